//! The managed target: a section mfa-profile wrote, recognised by `mfa_source_profile`, and the
//! session it holds.
//!
//! Invariant: the one definition of "managed target" and of what it records; values are read
//! as the SDKs read them (keys case-insensitive, the last of repeated keys wins).

use super::find::{find_section, FileKind};
use super::name::NameError;
use super::{
    ProfileName, Refusal, ACCESS_KEY_ID, EXPIRATION, MFA_DURATION, MFA_EXTERNAL_ID, MFA_ROLE_ARN,
    MFA_ROLE_SESSION_NAME, MFA_SERIAL_NUMBER, MFA_SOURCE_PROFILE, MFA_VIA, SECRET_ACCESS_KEY,
    SESSION_TOKEN,
};
use crate::ini::{Document, Section};
use crate::input::keys::{Secret, SessionCredentials};
use crate::text::time;

/// What mfa-profile recorded in a target it wrote. Values are as found in the file; callers
/// parse them into typed inputs before use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedTarget {
    /// The section's name.
    pub name: String,
    /// `mfa_source_profile`: the source it was refreshed from.
    pub source: String,
    /// `expiration`, epoch seconds, when readable.
    pub expires_at: Option<i64>,
    /// `mfa_role_arn`: the role its session is of.
    pub role_arn: Option<String>,
    /// `mfa_external_id`.
    pub external_id: Option<String>,
    /// `mfa_role_session_name`.
    pub role_session_name: Option<String>,
    /// `mfa_serial_number`: the MFA device given with `--serial-number`.
    pub serial_number: Option<String>,
    /// `mfa_duration`: the session length asked for, seconds (written in seconds; read in the
    /// forms `-d` takes too: `4h`, `1h30m`).
    pub duration: Option<u32>,
    /// `mfa_duration` when it is not a duration: its text and line, for the refusal.
    pub unreadable_duration: Option<(String, usize)>,
    /// `mfa_via`: a derived target's base, the managed target whose MFA session its role is
    /// assumed with.
    pub via: Option<String>,
}

impl ManagedTarget {
    /// How long before its expiry the session counts as stale: `min_remaining`, or a quarter
    /// of the session's length when that is less (a 15-minute session is fresh for 11m15s, not
    /// stale the moment it is written).
    pub fn refresh_margin(&self, min_remaining: i64) -> i64 {
        match self.duration {
            Some(length) => min_remaining.min(i64::from(length) / 4),
            None => min_remaining,
        }
    }

    /// Reads what a section records; `None` when it is not a managed target.
    pub fn read(section: &Section) -> Option<ManagedTarget> {
        let get = |key: &str| {
            section
                .get(key)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let duration = section
            .entries()
            .filter(|e| e.key().eq_ignore_ascii_case(MFA_DURATION))
            .last();
        let parsed = duration.map(|entry| {
            entry
                .value()
                .parse::<crate::input::Span>()
                .map(|span| span.secs())
                .map_err(|_| (entry.value().to_owned(), entry.line()))
        });
        Some(ManagedTarget {
            name: section.name().to_owned(),
            source: get(MFA_SOURCE_PROFILE)?,
            expires_at: section.get(EXPIRATION).and_then(time::parse_expiration),
            role_arn: get(MFA_ROLE_ARN),
            external_id: get(MFA_EXTERNAL_ID),
            role_session_name: get(MFA_ROLE_SESSION_NAME),
            serial_number: get(MFA_SERIAL_NUMBER),
            duration: parsed.clone().and_then(Result::ok),
            unreadable_duration: parsed.and_then(Result::err),
            via: get(MFA_VIA),
        })
    }
}

/// The target a source's sessions go to when none is named: `mfa` for `default`, `NAME` for
/// aws-mfa's `NAME-long-term`, `SOURCE-mfa` otherwise.
pub fn default_target(source: &ProfileName) -> Result<ProfileName, NameError> {
    match source.as_str() {
        "default" => ProfileName::new("mfa"),
        name => match name.strip_suffix("-long-term").filter(|n| !n.is_empty()) {
            Some(short) => ProfileName::new(short),
            None => ProfileName::new(&format!("{name}-mfa")),
        },
    }
}

/// What a profile name (`AWS_PROFILE`, say) means to mfa-profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileMeaning {
    /// A target mfa-profile manages.
    ManagedTarget(ProfileName),
    /// A source: a profile with long-term keys, or one a managed target records. `target` is
    /// the target recorded for it (its default target's name first), if any.
    Source {
        /// The source.
        source: ProfileName,
        /// Its target, when one exists.
        target: Option<ProfileName>,
    },
    /// A profile that is neither.
    Unmanaged(ProfileName),
    /// No such profile in either file (or not a valid name).
    Missing,
}

/// What profile `name` is, looked up in both files.
pub fn meaning_of(credentials: &Document, config: &Document, name: &str) -> ProfileMeaning {
    let Ok(name) = ProfileName::new(name) else {
        return ProfileMeaning::Missing;
    };
    let in_credentials = find_section(credentials, FileKind::Credentials, &name)
        .ok()
        .flatten()
        .map(|id| credentials.section(id));
    let in_config = find_section(config, FileKind::Config, &name)
        .ok()
        .flatten()
        .map(|id| config.section(id));
    if in_credentials.is_some_and(|s| ManagedTarget::read(&s).is_some()) {
        return ProfileMeaning::ManagedTarget(name);
    }
    let targets: Vec<ManagedTarget> = managed_targets(credentials)
        .into_iter()
        .filter(|t| t.source == name.as_str())
        .collect();
    let holds_keys = [in_credentials, in_config]
        .iter()
        .flatten()
        .any(|s| s.get(ACCESS_KEY_ID).is_some());
    if !targets.is_empty() || holds_keys {
        let preferred = default_target(&name).ok();
        let target = targets
            .iter()
            .find(|t| preferred.as_ref().is_some_and(|p| p.as_str() == t.name))
            .or(targets.first())
            .and_then(|t| ProfileName::new(&t.name).ok());
        return ProfileMeaning::Source {
            source: name,
            target,
        };
    }
    match in_credentials.or(in_config) {
        Some(_) => ProfileMeaning::Unmanaged(name),
        None => ProfileMeaning::Missing,
    }
}

/// The profiles that hold long-term keys (an access key with no session token, not written by
/// mfa-profile), in either file, in file order: the sources mfa-profile can start from.
pub fn long_term_profiles(credentials: &Document, config: &Document) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (doc, kind) in [
        (credentials, FileKind::Credentials),
        (config, FileKind::Config),
    ] {
        for section in doc.sections() {
            let Some(name) = kind.sdk_profile(&section) else {
                continue;
            };
            let long_term = section.get(ACCESS_KEY_ID).is_some()
                && section.get(SESSION_TOKEN).is_none()
                && ManagedTarget::read(&section).is_none();
            if long_term && !found.iter().any(|f| f == name) {
                found.push(name.to_owned());
            }
        }
    }
    found
}

/// What to run when no profile holds long-term keys.
pub const NO_SOURCE_YET: &str = "no profile holds long-term keys yet: run `mfa-profile setup`, which asks for your IAM user's access key, writes it into [default] and makes the first session";

/// What to run first when nothing is managed yet: a refresh from `[default]` when it holds
/// keys, else from the first profile that does, else how to add keys. A source whose own
/// target is itself a profile with long-term keys is passed over: a refresh refuses to
/// overwrite those.
pub fn first_refresh_hint(credentials: &Document, config: &Document) -> String {
    let sources = long_term_profiles(credentials, config);
    let fillable: Vec<(&str, ProfileName)> = sources
        .iter()
        .filter_map(|source| {
            let target = default_target(&ProfileName::new(source).ok()?).ok()?;
            let long_term = sources.iter().any(|s| s == target.as_str());
            (!long_term).then_some((source.as_str(), target))
        })
        .collect();
    let chosen = fillable
        .iter()
        .find(|(source, _)| *source == "default")
        .or(fillable.first());
    match chosen {
        None => match sources.first() {
            None => NO_SOURCE_YET.into(),
            // No source's own target can be written (its name would pass the 128-character
            // limit, or it holds long-term keys itself): a name that can is offered.
            Some(first) => {
                let free = (1..)
                    .map(|n| match n {
                        1 => "mfa-session".to_owned(),
                        n => format!("mfa-session-{n}"),
                    })
                    .find(|name| !sources.contains(name))
                    .expect("a name is free");
                format!("run `mfa-profile -s {first} -t {free}` to create [{free}] from [{first}] (it asks for the MFA code)")
            }
        },
        Some(("default", _)) => {
            "run `mfa-profile` to create [mfa] from [default] (it asks for the MFA code)".into()
        }
        Some((source, target)) => format!(
            "run `mfa-profile -s {source}` to create [{target}] from [{source}] (it asks for the MFA code)"
        ),
    }
}

/// The managed targets of a credentials file, in file order.
pub fn managed_targets(doc: &Document) -> Vec<ManagedTarget> {
    doc.sections()
        .filter_map(|section| ManagedTarget::read(&section))
        .collect()
}

/// Why a target holds no session that can be handed out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoSession {
    /// There is no such section.
    Missing,
    /// The section lacks one of the three keys or a readable expiration.
    Incomplete(&'static str),
    /// The two readers would not agree on the section.
    Refused(Refusal),
    /// One of its keys holds a character no request can carry (a control character, or a
    /// letter outside ASCII in the key id or the token).
    Unsendable(&'static str),
}

/// The session stored in profile `target` of a credentials file.
pub fn stored_session(
    doc: &Document,
    target: &ProfileName,
) -> Result<SessionCredentials, NoSession> {
    let id = find_section(doc, FileKind::Credentials, target)
        .map_err(NoSession::Refused)?
        .ok_or(NoSession::Missing)?;
    let section = doc.section(id);
    let get = |key: &'static str| {
        section
            .get(key)
            .filter(|v| !v.is_empty())
            .ok_or(NoSession::Incomplete(key))
    };
    let access_key_id = get(ACCESS_KEY_ID)?;
    let secret = get(SECRET_ACCESS_KEY)?;
    let token = get(SESSION_TOKEN)?;
    let expires_at =
        time::parse_expiration(get(EXPIRATION)?).ok_or(NoSession::Incomplete(EXPIRATION))?;
    let session = SessionCredentials {
        access_key_id: access_key_id.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: Secret::new(token),
        expires_at,
    };
    match session.unsendable() {
        Some(key) => Err(NoSession::Unsendable(key)),
        None => Ok(session),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &[u8] =
        b"[default]\naws_access_key_id = AKIALONGTERM\naws_secret_access_key = long\n\
[mfa]\naws_access_key_id = ASIA1\naws_secret_access_key = s1\naws_session_token = t1\n\
expiration = 2030-01-01T00:00:00Z\nmfa_source_profile = default\n\
[half]\naws_access_key_id = ASIA2\naws_secret_access_key = s2\nexpiration = 2030-01-01T00:00:00Z\n\
[role]\nmfa_source_profile = default\nMFA_ROLE_ARN = arn:aws:iam::123456789012:role/a\nexpiration = junk\n";

    fn name(s: &str) -> ProfileName {
        ProfileName::new(s).unwrap()
    }

    #[test]
    fn reads_a_complete_session_only() {
        let doc = Document::parse(FILE).unwrap();
        let session = stored_session(&doc, &name("mfa")).unwrap();
        assert_eq!(session.access_key_id, "ASIA1");
        assert_eq!(session.session_token.expose(), "t1");
        assert_eq!(session.expires_at, 1_893_456_000);
        assert_eq!(
            stored_session(&doc, &name("half")).unwrap_err(),
            NoSession::Incomplete(SESSION_TOKEN)
        );
        assert_eq!(
            stored_session(&doc, &name("nope")).unwrap_err(),
            NoSession::Missing
        );
    }

    #[test]
    fn managed_targets_are_the_sections_recording_a_source() {
        let doc = Document::parse(FILE).unwrap();
        let found = managed_targets(&doc);
        let names: Vec<&str> = found.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["mfa", "role"]);
        assert_eq!(found[0].expires_at, Some(1_893_456_000));
        assert_eq!(found[1].expires_at, None, "unreadable expiration");
        assert_eq!(
            found[1].role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/a"),
            "keys match case-insensitively"
        );
    }

    #[test]
    fn default_targets() {
        let target = |s: &str| default_target(&name(s)).unwrap().to_string();
        assert_eq!(target("default"), "mfa");
        assert_eq!(target("work"), "work-mfa");
        assert_eq!(target("work-long-term"), "work", "aws-mfa's naming");
        assert_eq!(target("-long-term"), "-long-term-mfa");
    }

    #[test]
    fn what_a_profile_name_means() {
        let doc = Document::parse(FILE).unwrap();
        let config =
            Document::parse(b"[profile cfg]\nregion = x\n[profile keys]\naws_access_key_id = A\n")
                .unwrap();
        let meaning = |n: &str| meaning_of(&doc, &config, n);
        assert_eq!(meaning("mfa"), ProfileMeaning::ManagedTarget(name("mfa")));
        assert_eq!(
            meaning("default"),
            ProfileMeaning::Source {
                source: name("default"),
                target: Some(name("mfa"))
            }
        );
        assert_eq!(
            meaning("keys"),
            ProfileMeaning::Source {
                source: name("keys"),
                target: None
            }
        );
        assert_eq!(meaning("cfg"), ProfileMeaning::Unmanaged(name("cfg")));
        assert_eq!(meaning("nope"), ProfileMeaning::Missing);
    }

    #[test]
    fn a_short_session_is_fresh_for_three_quarters_of_its_length() {
        let target = ManagedTarget {
            duration: Some(900),
            ..ManagedTarget::default()
        };
        assert_eq!(target.refresh_margin(900), 225);
        let long = ManagedTarget {
            duration: Some(43_200),
            ..ManagedTarget::default()
        };
        assert_eq!(long.refresh_margin(900), 900);
        assert_eq!(ManagedTarget::default().refresh_margin(900), 900);
    }

    #[test]
    fn the_last_of_repeated_keys_wins_as_for_the_sdks() {
        let doc =
            Document::parse(b"[mfa]\nmfa_source_profile = a\nmfa_source_profile = b\n").unwrap();
        assert_eq!(managed_targets(&doc)[0].source, "b");
    }
}
