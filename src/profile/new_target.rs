//! A target that mfa-profile has not written yet: which source it may be filled from without
//! being told, and the command that creates it.
//!
//! Invariant: a target with no recorded source is never given one by guess; the one implicit
//! pair is the documented `[default]` -> `[mfa]`. Every command a hint names is complete (no
//! placeholder): it names the source with `-s` unless the pair is implicit, and a name one edit
//! from a managed target or from a source's own target is said ("did you mean").

use super::managed::{default_target, long_term_profiles, managed_targets};
use super::ProfileName;
use crate::ini::Document;
use crate::text::suggest::one_edit_from;

/// The source a target with no recorded source is refreshed from when none is named: only
/// `[default]`, for `[mfa]`.
pub fn implicit_source(target: &ProfileName) -> Option<ProfileName> {
    (target.as_str() == "mfa").then(ProfileName::default_profile)
}

/// How to create `target`, which holds no session mfa-profile wrote: a near name first when
/// there is one, then the command naming a source (or `setup` when no profile holds keys).
pub fn create_hint(credentials: &Document, config: &Document, target: &ProfileName) -> String {
    let mut sources = long_term_profiles(credentials, config);
    sources.retain(|source| source != target.as_str());
    let own_targets: Vec<(String, String)> = sources
        .iter()
        .filter_map(|source| {
            let name = ProfileName::new(source).ok()?;
            Some((default_target(&name).ok()?.to_string(), source.clone()))
        })
        .collect();
    if let Some((_, source)) = own_targets.iter().find(|(t, _)| t == target.as_str()) {
        return format!("it is [{source}]'s target: create it with `mfa-profile -s {source}`");
    }
    let managed: Vec<String> = managed_targets(credentials)
        .into_iter()
        .map(|t| t.name)
        .collect();
    let near = if let Some(name) =
        one_edit_from(target.as_str(), managed.iter().map(String::as_str))
    {
        Some(format!(
            "did you mean [{name}]? `mfa-profile -t {name}` refreshes it"
        ))
    } else {
        one_edit_from(target.as_str(), own_targets.iter().map(|(t, _)| t.as_str())).map(|name| {
            let source = &own_targets.iter().find(|(t, _)| t == name).expect("listed").1;
            format!("did you mean [{name}], the target of [{source}]? `mfa-profile -s {source}` creates it")
        })
    };
    let create = match sources.as_slice() {
        [] => format!(
            "no profile holds long-term keys yet: `mfa-profile setup -t {target}` asks for your IAM user's access key, writes it into [default] and creates [{target}]"
        ),
        [only] => format!("to create [{target}], name its source: `mfa-profile -s {only} -t {target}`"),
        few if few.len() <= 3 => format!(
            "to create [{target}], name its source: {}",
            few.iter()
                .map(|s| format!("`mfa-profile -s {s} -t {target}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        many => format!(
            "to create [{target}], name its source ({}): `mfa-profile -s {} -t {target}`, say",
            many.iter()
                .map(|s| format!("[{s}]"))
                .collect::<Vec<_>>()
                .join(", "),
            many[0]
        ),
    };
    match near {
        Some(near) => format!("{near}; {create}"),
        None => create,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse(text.as_bytes()).unwrap()
    }

    fn hint(credentials: &str, target: &str) -> String {
        create_hint(
            &doc(credentials),
            &Document::empty(),
            &ProfileName::new(target).unwrap(),
        )
    }

    const TWO_USERS: &str = "[default]\naws_access_key_id = AKIAALICE\naws_secret_access_key = a\n\
[work]\naws_access_key_id = AKIABOB\naws_secret_access_key = b\n";

    #[test]
    fn only_mfa_has_an_implicit_source() {
        let name = |n: &str| ProfileName::new(n).unwrap();
        assert_eq!(implicit_source(&name("mfa")), Some(name("default")));
        assert_eq!(implicit_source(&name("wrk-mfa")), None);
        assert_eq!(implicit_source(&name("work-mfa")), None);
    }

    #[test]
    fn a_typo_of_a_sources_target_is_named_with_its_source() {
        assert_eq!(
            hint(TWO_USERS, "wrk-mfa"),
            "did you mean [work-mfa], the target of [work]? `mfa-profile -s work` creates it; \
to create [wrk-mfa], name its source: `mfa-profile -s default -t wrk-mfa` or `mfa-profile -s work -t wrk-mfa`"
        );
        assert_eq!(
            hint(TWO_USERS, "work-mfa"),
            "it is [work]'s target: create it with `mfa-profile -s work`"
        );
    }

    #[test]
    fn a_typo_of_a_managed_target_is_named() {
        let text =
            format!("{TWO_USERS}[prod]\naws_access_key_id = ASIA\nmfa_source_profile = work\n");
        assert!(hint(&text, "prdo").starts_with(
            "did you mean [prod]? `mfa-profile -t prod` refreshes it; to create [prdo]"
        ));
    }

    #[test]
    fn with_no_source_setup_is_the_way() {
        assert!(hint("", "x").contains("`mfa-profile setup -t x`"));
        assert_eq!(
            hint("[a]\naws_access_key_id = K\n", "x"),
            "to create [x], name its source: `mfa-profile -s a -t x`"
        );
    }
}
