//! `prune`: which expired sessions to clear from a credentials file, and which targets to
//! remove when the user names them.
//!
//! Invariant: pure. Clearing an expired target removes its session (the keys and `expiration`)
//! and nothing else: the section, the comments around it and what it records (source, role,
//! base, length, device) stay, so `refresh --all` renews it. A target is chosen only when it is
//! a managed target (it records `mfa_source_profile`) holding a session and never long-term
//! keys, and the target checks a refresh makes pass on it (one section of that name, readers
//! agree); anything else is left and, when it is a managed target, said why. A whole section
//! is removed only when named, and never while another target derives from it.

use crate::ini::{Document, SectionId};
use crate::profile::{
    locate_target, managed_targets, ProfileName, ACCESS_KEY_ID, EXPIRATION, SECRET_ACCESS_KEY,
    SECURITY_TOKEN, SESSION_TOKEN,
};

/// The keys of a session: what clearing an expired target removes.
pub const SESSION_KEYS: [&str; 5] = [
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    SECURITY_TOKEN,
    EXPIRATION,
];

/// An expired target whose session goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expired {
    /// Its section.
    pub id: SectionId,
    /// Its name.
    pub name: String,
    /// When its session expired (epoch seconds).
    pub expired_at: i64,
}

/// What to clear, and the expired managed targets left alone with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruning {
    /// The targets whose session goes, in file order.
    pub clear: Vec<Expired>,
    /// `(name, why)` of expired managed targets that stay as they are.
    pub kept: Vec<(String, String)>,
}

/// The expired managed targets of `doc` at `now`.
pub fn expired_targets(doc: &Document, now: i64) -> Pruning {
    let mut pruning = Pruning::default();
    for target in managed_targets(doc) {
        let Some(expired_at) = target.expires_at.filter(|at| *at <= now) else {
            continue;
        };
        if pruning.clear.iter().any(|e| e.name == target.name)
            || pruning.kept.iter().any(|(name, _)| *name == target.name)
        {
            continue;
        }
        match session_section(doc, &target.name) {
            Ok(id) => pruning.clear.push(Expired {
                id,
                name: target.name,
                expired_at,
            }),
            Err(why) => pruning.kept.push((target.name, why)),
        }
    }
    pruning
}

/// The section of managed target `name`, when it holds a session mfa-profile may remove.
fn session_section(doc: &Document, name: &str) -> Result<SectionId, String> {
    let located = ProfileName::new(name)
        .map_err(|e| e.to_string())
        .and_then(|name| locate_target(doc, &name).map_err(|e| e.to_string()))?;
    match located {
        Some((id, summary)) if summary.has_session_token || !summary.has_access_key => Ok(id),
        Some(_) => Err("it holds an access key without a session token".into()),
        None => Err("there is no such section".into()),
    }
}

/// Removes the session of each target in `expired` from `doc`, and nothing else.
pub fn clear_sessions(doc: &mut Document, expired: &[Expired]) {
    for target in expired {
        let mut section = doc.section_mut(target.id);
        for key in SESSION_KEYS {
            section.remove(key);
        }
    }
}

/// The sections of the managed targets `names`, to remove whole; or why not, one sentence
/// per target refused.
pub fn targets_to_forget(
    doc: &Document,
    names: &[ProfileName],
) -> Result<Vec<SectionId>, Vec<String>> {
    let managed = managed_targets(doc);
    let mut ids = Vec::new();
    let mut refused = Vec::new();
    for name in names {
        let Some(target) = managed.iter().find(|t| t.name == name.as_str()) else {
            refused.push(format!(
                "[{name}] is not a target mfa-profile manages (it records no mfa_source_profile); prune removes only those"
            ));
            continue;
        };
        let dependents: Vec<&str> = managed
            .iter()
            .filter(|t| t.via.as_deref() == Some(name.as_str()))
            .filter(|t| !names.iter().any(|n| n.as_str() == t.name))
            .map(|t| t.name.as_str())
            .collect();
        if !dependents.is_empty() {
            let listed: Vec<String> = dependents.iter().map(|d| format!("[{d}]")).collect();
            refused.push(format!(
                "{} derive{} from [{name}] (mfa_via = {name}), and would be left without a base; remove {} too: `mfa-profile prune {name} {}`",
                listed.join(", "),
                if dependents.len() == 1 { "s" } else { "" },
                if dependents.len() == 1 { "it" } else { "them" },
                dependents.join(" ")
            ));
            continue;
        }
        match session_section(doc, &target.name) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(why) => refused.push(format!("[{name}] is left: {why}")),
        }
    }
    if refused.is_empty() {
        Ok(ids)
    } else {
        Err(refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n\
[old]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n\
[fresh]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n\
[keys]\naws_access_key_id = AKIA\naws_secret_access_key = s\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n\
[unreadable]\naws_session_token = t\nexpiration = soon\nmfa_source_profile = default\n\
[notours]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\n";

    #[test]
    fn only_expired_sessions_mfa_profile_wrote_are_chosen() {
        let doc = Document::parse(FILE.as_bytes()).unwrap();
        let pruning = expired_targets(&doc, 1_800_000_000);
        let cleared: Vec<&str> = pruning.clear.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(cleared, ["old"]);
        assert_eq!(pruning.clear[0].expired_at, 978_307_200);
        assert_eq!(pruning.kept.len(), 1);
        assert_eq!(pruning.kept[0].0, "keys");
    }

    #[test]
    fn clearing_keeps_what_renews_the_target() {
        let text = "# role for deploys\n[admin]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_duration = 1800\n";
        let mut doc = Document::parse(text.as_bytes()).unwrap();
        let pruning = expired_targets(&doc, 1_800_000_000);
        clear_sessions(&mut doc, &pruning.clear);
        assert_eq!(
            doc.render(),
            "# role for deploys\n[admin]\nmfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_duration = 1800\n"
        );
        let again = Document::parse(doc.render().as_bytes()).unwrap();
        assert_eq!(expired_targets(&again, 1_800_000_000), Pruning::default());
    }

    #[test]
    fn a_target_written_twice_is_left_with_the_reason() {
        let twice = "[mfa]\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n[mfa]\nregion = x\n";
        let pruning = expired_targets(&Document::parse(twice.as_bytes()).unwrap(), 1_800_000_000);
        assert!(pruning.clear.is_empty());
        assert_eq!(pruning.kept.len(), 1);
        assert!(pruning.kept[0].1.contains("twice"), "{:?}", pruning.kept);
    }

    #[test]
    fn only_managed_targets_with_no_target_deriving_from_them_are_forgotten() {
        let text = format!("{FILE}[admin]\nmfa_source_profile = default\nmfa_via = old\n");
        let doc = Document::parse(text.as_bytes()).unwrap();
        let name = |n: &str| ProfileName::new(n).unwrap();
        let refused = targets_to_forget(&doc, &[name("old")]).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].contains("`mfa-profile prune old admin`"),
            "{refused:?}"
        );
        assert_eq!(
            targets_to_forget(&doc, &[name("old"), name("admin")])
                .unwrap()
                .len(),
            2
        );
        let refused =
            targets_to_forget(&doc, &[name("default"), name("notours"), name("keys")]).unwrap_err();
        assert_eq!(refused.len(), 3, "{refused:?}");
    }
}
