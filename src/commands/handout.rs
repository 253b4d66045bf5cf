//! Handing a target's session to another program (`exec`, `export`, `credential-process`):
//! which target a command means, and whether its stored session can be handed out as it is.
//!
//! Invariant: pure decisions on a parsed credentials file; the secrets read stay inside
//! [`SessionCredentials`] until a caller formats them because the user asked for them.

use crate::error::Error;
use crate::ini::Document;
use crate::input::keys::SessionCredentials;
use crate::profile::{
    create_hint, find_section, inspect_target, managed_targets, meaning_of, stored_session,
    FileKind, ManagedTarget, NoSession, ProfileMeaning, ProfileName, SharedDocuments,
};
use crate::text::shown::Shown;
use crate::text::suggest::closest;
use crate::text::time::{human, human_span};
use std::path::Path;

/// Variables that would make an SDK or tool use another identity than the profile `exec`
/// names: credentials in the environment (with their companions, and the Java SDK v1's
/// older names), web identity (which the Java SDK and botocore try before the profile), and
/// `AWS_DEFAULT_PROFILE` (which older tools prefer to `AWS_PROFILE`). `exec` removes them from
/// the command's environment.
pub const SHADOWING_VARIABLES: [&str; 12] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ACCOUNT_ID",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_DEFAULT_PROFILE",
];

/// What a command may do when the stored session is stale (or missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenStale {
    /// Refresh it, asking for a code.
    Refresh,
    /// Refuse: the user did not ask for a refresh.
    Refuse,
}

/// What to do with the target's stored session.
#[derive(Debug)]
pub enum Handout {
    /// Hand it out.
    Ready(SessionCredentials),
    /// Hand it out, warning that it expires in `remaining` seconds.
    Expiring {
        /// The session.
        session: SessionCredentials,
        /// Seconds left.
        remaining: i64,
    },
    /// Refresh it first.
    Refresh,
}

/// The target a command means: the one named; else, with `AWS_PROFILE` set, the managed
/// target it names or the one recorded for the source it names (naming anything else is an
/// error: the command would run with another identity than meant); else `mfa`.
pub fn choose_target(
    named: Option<&ProfileName>,
    aws_profile: Option<&str>,
    docs: &SharedDocuments,
    path: &Path,
) -> Result<ProfileName, Error> {
    if let Some(name) = named {
        return Ok(name.clone());
    }
    let Some(env) = aws_profile else {
        return Ok(ProfileName::new("mfa")?);
    };
    match meaning_of(&docs.credentials, &docs.config, env) {
        ProfileMeaning::ManagedTarget(target)
        | ProfileMeaning::Source {
            target: Some(target),
            ..
        } => Ok(target),
        ProfileMeaning::Source {
            source,
            target: None,
        } => Err(Error::AwsProfile {
            value: env.to_owned(),
            why: format!("names [{source}], a source with no session yet: create one with `mfa-profile -s {source}`"),
        }),
        ProfileMeaning::Unmanaged(_) => Err(Error::AwsProfile {
            value: env.to_owned(),
            why: format!(
                "names a profile mfa-profile does not manage; give the target with -t ({})",
                managed_list(&docs.credentials)
            ),
        }),
        ProfileMeaning::Missing => Err(Error::AwsProfile {
            value: env.to_owned(),
            why: format!(
                "names no profile in {}; unset it, or set it to a target ({})",
                Shown(path),
                managed_list(&docs.credentials)
            ),
        }),
    }
}

/// The managed targets, for a hint: `[mfa], [work-mfa]`, or that there are none.
fn managed_list(doc: &Document) -> String {
    let names: Vec<String> = managed_targets(doc)
        .iter()
        .map(|t| format!("[{}]", t.name))
        .collect();
    if names.is_empty() {
        "mfa-profile manages none yet".into()
    } else {
        format!("mfa-profile manages {}", names.join(", "))
    }
}

/// Decides what to do with the session stored in `target` at time `now`. A session valid
/// for less than its refresh margin (`min_remaining`, less for a short session) is stale.
/// Only a target that records its source may be refreshed here: a missing or foreign target
/// is an error, never a new profile made from `[default]`.
pub fn decide(
    doc: &Document,
    config: &Document,
    path: &Path,
    target: &ProfileName,
    now: i64,
    min_remaining: i64,
    when_stale: WhenStale,
) -> Result<Handout, Error> {
    let section = find_section(doc, FileKind::Credentials, target)
        .ok()
        .flatten()
        .map(|id| doc.section(id));
    let managed = section.as_ref().and_then(ManagedTarget::read);
    let margin = managed
        .as_ref()
        .map_or(min_remaining, |m| m.refresh_margin(min_remaining));
    match stored_session(doc, target) {
        Ok(session) if session.expires_at - now > margin => Ok(Handout::Ready(session)),
        Ok(session) if when_stale == WhenStale::Refuse => {
            if session.expires_at > now {
                let remaining = session.expires_at - now;
                return Ok(Handout::Expiring { session, remaining });
            }
            Err(Error::Expired {
                target: target.to_string(),
                when: format!(
                    "expired on {} ({} ago)",
                    human(session.expires_at),
                    human_span(now - session.expires_at)
                ),
                hint: format!("refresh it with `mfa-profile -t {target}`, or add --refresh"),
            })
        }
        Err(why @ NoSession::Refused(_)) => Err(Error::no_session(target, path, why)),
        Err(NoSession::Missing) => Err(missing_target(doc, config, target, path)),
        _ if managed.is_none() => Err(not_managed(doc, config, target, path)),
        Err(why) if when_stale == WhenStale::Refuse => Err(Error::no_session(target, path, why)),
        _ => Ok(Handout::Refresh),
    }
}

/// No such target: the closest managed target is suggested.
fn missing_target(doc: &Document, config: &Document, target: &ProfileName, path: &Path) -> Error {
    let names: Vec<String> = managed_targets(doc).into_iter().map(|t| t.name).collect();
    let why = match closest(target.as_str(), names.iter().map(String::as_str)) {
        Some(near) => format!("does not exist; did you mean [{near}]?"),
        None => format!(
            "does not exist ({}); {}",
            managed_list(doc),
            create_hint(doc, config, target)
        ),
    };
    Error::NoSession {
        target: target.to_string(),
        path: path.to_path_buf(),
        why,
    }
}

/// A profile mfa-profile did not write: long-term keys, or settings only.
fn not_managed(doc: &Document, config: &Document, target: &ProfileName, path: &Path) -> Error {
    let long_term = find_section(doc, FileKind::Credentials, target)
        .ok()
        .flatten()
        .and_then(|id| inspect_target(&doc.section(id)).ok())
        .is_some_and(|s| s.holds_long_term_keys());
    let why = if long_term {
        let yours: Vec<String> = managed_targets(doc)
            .into_iter()
            .filter(|t| t.source == target.as_str())
            .map(|t| format!("[{}]", t.name))
            .collect();
        match yours.first() {
            Some(first) => format!("holds long-term keys, not a session; use its session target {first}"),
            None => format!("holds long-term keys, not a session; make a session from it with `mfa-profile -s {target}`"),
        }
    } else {
        format!(
            "holds no session mfa-profile wrote; {}",
            create_hint(doc, config, target)
        )
    };
    Error::NoSession {
        target: target.to_string(),
        path: path.to_path_buf(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &[u8] =
        b"[default]\naws_access_key_id = AKIALONGTERM\naws_secret_access_key = long\n\
[mfa]\naws_access_key_id = ASIA1\naws_secret_access_key = s1\naws_session_token = t1\n\
expiration = 1970-01-01T01:00:00Z\nmfa_source_profile = default\n\
[work-mfa]\naws_access_key_id = ASIA2\nmfa_source_profile = work\n\
[half]\naws_access_key_id = ASIA2\n\
[settings]\nregion = eu-west-1\n";

    fn name(s: &str) -> ProfileName {
        ProfileName::new(s).unwrap()
    }

    fn docs() -> SharedDocuments {
        SharedDocuments {
            credentials: Document::parse(FILE).unwrap(),
            config: Document::parse(b"[profile cfg]\nregion = x\n").unwrap(),
        }
    }

    #[test]
    fn aws_profile_names_a_target_or_a_source_of_one() {
        let docs = docs();
        let choose = |named: Option<&str>, env| {
            choose_target(named.map(name).as_ref(), env, &docs, Path::new("/c"))
                .map(|t| t.to_string())
                .map_err(|e| e.to_string())
        };
        assert_eq!(choose(Some("work"), Some("mfa")).unwrap(), "work");
        assert_eq!(choose(None, Some("mfa")).unwrap(), "mfa");
        assert_eq!(
            choose(None, Some("default")).unwrap(),
            "mfa",
            "a source means its target"
        );
        assert_eq!(choose(None, Some("work")).unwrap(), "work-mfa");
        assert!(choose(None, Some("cfg"))
            .unwrap_err()
            .contains("does not manage"));
        assert!(choose(None, Some("nope"))
            .unwrap_err()
            .contains("names no profile"));
        assert_eq!(choose(None, None).unwrap(), "mfa");
    }

    #[test]
    fn fresh_expiring_expired_and_missing_sessions() {
        let doc = Document::parse(FILE).unwrap();
        let path = Path::new("/c");
        let at = |now, when| decide(&doc, &Document::empty(), path, &name("mfa"), now, 900, when);
        assert!(matches!(at(0, WhenStale::Refuse), Ok(Handout::Ready(_))));
        assert!(matches!(
            at(3000, WhenStale::Refuse),
            Ok(Handout::Expiring { remaining: 600, .. })
        ));
        assert!(matches!(at(3000, WhenStale::Refresh), Ok(Handout::Refresh)));
        let expired = at(7200, WhenStale::Refuse).unwrap_err().to_string();
        assert!(
            expired.contains("expired on 1970-01-01 01:00 UTC (1h ago)"),
            "{expired}"
        );
    }

    #[test]
    fn only_a_managed_target_may_be_refreshed_here() {
        let doc = Document::parse(FILE).unwrap();
        let path = Path::new("/c");
        let error = |target: &str| {
            decide(
                &doc,
                &Document::empty(),
                path,
                &name(target),
                0,
                900,
                WhenStale::Refresh,
            )
            .unwrap_err()
            .to_string()
        };
        assert!(error("wrk-mfa").contains("does not exist; did you mean [work-mfa]?"));
        assert!(error("settings").contains("holds no session mfa-profile wrote"));
        assert!(error("half").contains("holds long-term keys"));
        assert!(error("default")
            .contains("holds long-term keys, not a session; use its session target [mfa]"));
        let managed = decide(
            &doc,
            &Document::empty(),
            path,
            &name("work-mfa"),
            0,
            900,
            WhenStale::Refresh,
        );
        assert!(
            matches!(managed, Ok(Handout::Refresh)),
            "incomplete but managed"
        );
    }
}
