//! Handing a target's session to another program (`exec`, `export`, `credential-process`):
//! which target a command means, and whether its stored session can be handed out as it is.
//!
//! Invariant: pure decisions on a parsed credentials file; the secrets read stay inside
//! [`SessionCredentials`] until a caller formats them because the user asked for them.

use crate::error::Error;
use crate::ini::Document;
use crate::keys::SessionCredentials;
use crate::profile::{
    find_section, stored_session, FileKind, ManagedTarget, NoSession, ProfileName,
};
use crate::time::human_span;
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

/// The target a command means: the one named, else `AWS_PROFILE` when it names a managed
/// target, else `mfa`. `AWS_PROFILE` naming anything else (a source, say) is not a target.
pub fn choose_target(
    named: Option<&ProfileName>,
    aws_profile: Option<&str>,
    doc: &Document,
) -> ProfileName {
    if let Some(name) = named {
        return name.clone();
    }
    let managed = aws_profile
        .and_then(|env| ProfileName::new(env).ok())
        .filter(|env| {
            find_section(doc, FileKind::Credentials, env)
                .ok()
                .flatten()
                .is_some_and(|id| ManagedTarget::read(&doc.section(id)).is_some())
        });
    managed.unwrap_or_else(|| ProfileName::new("mfa").expect("a valid name"))
}

/// Decides what to do with the session stored in `target` at time `now`, given that a session
/// valid for less than `min_remaining` seconds is stale.
pub fn decide(
    doc: &Document,
    path: &Path,
    target: &ProfileName,
    now: i64,
    min_remaining: i64,
    when_stale: WhenStale,
) -> Result<Handout, Error> {
    match stored_session(doc, target) {
        Ok(session) if session.expires_at - now > min_remaining => Ok(Handout::Ready(session)),
        Ok(session) if when_stale == WhenStale::Refuse => {
            if session.expires_at > now {
                let remaining = session.expires_at - now;
                return Ok(Handout::Expiring { session, remaining });
            }
            Err(Error::Expired {
                target: target.to_string(),
                when: format!("expired {} ago", human_span(now - session.expires_at)),
                hint: format!("refresh it with `mfa-profile -t {target}`, or add --refresh"),
            })
        }
        Err(why @ NoSession::Refused(_)) => Err(no_session(target, path, why)),
        Err(why) if when_stale == WhenStale::Refuse => Err(no_session(target, path, why)),
        _ => Ok(Handout::Refresh),
    }
}

/// The error for a target with no session to hand out, with the command that fixes it.
pub fn no_session(target: &ProfileName, path: &Path, why: NoSession) -> Error {
    Error::NoSession {
        target: target.to_string(),
        path: path.to_path_buf(),
        why: match why {
            NoSession::Missing => {
                format!("does not exist; create it with `mfa-profile -t {target} CODE`")
            }
            NoSession::Incomplete(key) => format!(
                "holds no session (no {key}); refresh it with `mfa-profile -t {target} --force`"
            ),
            NoSession::Refused(refusal) => format!("cannot be read safely: {refusal}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &[u8] =
        b"[default]\naws_access_key_id = AKIALONGTERM\naws_secret_access_key = long\n\
[mfa]\naws_access_key_id = ASIA1\naws_secret_access_key = s1\naws_session_token = t1\n\
expiration = 1970-01-01T01:00:00Z\nmfa_source_profile = default\n\
[half]\naws_access_key_id = ASIA2\n";

    fn name(s: &str) -> ProfileName {
        ProfileName::new(s).unwrap()
    }

    #[test]
    fn aws_profile_selects_only_a_managed_target() {
        let doc = Document::parse(FILE).unwrap();
        let choose = |named: Option<&str>, env| {
            choose_target(named.map(name).as_ref(), env, &doc).to_string()
        };
        assert_eq!(choose(Some("work"), Some("mfa")), "work");
        assert_eq!(choose(None, Some("mfa")), "mfa");
        assert_eq!(
            choose(None, Some("default")),
            "mfa",
            "a source is never a target"
        );
        assert_eq!(choose(None, Some("half")), "mfa", "not managed");
        assert_eq!(choose(None, None), "mfa");
    }

    #[test]
    fn fresh_expiring_expired_and_missing_sessions() {
        let doc = Document::parse(FILE).unwrap();
        let path = Path::new("/c");
        let at = |now, when| decide(&doc, path, &name("mfa"), now, 900, when);
        assert!(matches!(at(0, WhenStale::Refuse), Ok(Handout::Ready(_))));
        assert!(matches!(
            at(3000, WhenStale::Refuse),
            Ok(Handout::Expiring { remaining: 600, .. })
        ));
        assert!(matches!(at(3000, WhenStale::Refresh), Ok(Handout::Refresh)));
        let expired = at(7200, WhenStale::Refuse).unwrap_err().to_string();
        assert!(expired.contains("expired 1h ago"), "{expired}");
        let missing = decide(&doc, path, &name("nope"), 0, 900, WhenStale::Refuse);
        assert!(missing.unwrap_err().to_string().contains("does not exist"));
        let half = decide(&doc, path, &name("half"), 0, 900, WhenStale::Refresh);
        assert!(matches!(half, Ok(Handout::Refresh)));
    }
}
