//! Reading back the session a target profile holds, for `export`, `exec` and
//! `credential-process`, and choosing which target a command means.
//!
//! Invariant: read-only; the secrets read stay inside [`Secret`] until a caller formats them
//! because the user asked for them.

use crate::ini::Document;
use crate::profile::{
    find_credentials_section, section_values, ProfileName, Refusal, ACCESS_KEY_ID, EXPIRATION,
    MFA_SOURCE_PROFILE, SECRET_ACCESS_KEY, SESSION_TOKEN,
};
use crate::secret::{Secret, SessionCredentials};
use crate::units;

/// Why a target holds no session that can be handed out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoSession {
    /// There is no such section.
    Missing,
    /// The section lacks one of the three keys or a readable expiration.
    Incomplete(&'static str),
    /// The two readers would not agree on the section.
    Refused(Refusal),
}

/// The session stored in profile `target` of a credentials file.
pub fn stored_session(
    doc: &Document,
    target: &ProfileName,
) -> Result<SessionCredentials, NoSession> {
    let at = find_credentials_section(doc, target)
        .map_err(NoSession::Refused)?
        .ok_or(NoSession::Missing)?;
    let values = section_values(doc, at);
    let get = |key: &str| {
        values
            .iter()
            .rev() // the SDKs take the last of repeated keys
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let access_key_id = get(ACCESS_KEY_ID).ok_or(NoSession::Incomplete(ACCESS_KEY_ID))?;
    let secret = get(SECRET_ACCESS_KEY).ok_or(NoSession::Incomplete(SECRET_ACCESS_KEY))?;
    let token = get(SESSION_TOKEN).ok_or(NoSession::Incomplete(SESSION_TOKEN))?;
    let expires_at = get(EXPIRATION)
        .and_then(units::parse_rfc3339)
        .ok_or(NoSession::Incomplete(EXPIRATION))?;
    Ok(SessionCredentials {
        access_key_id: access_key_id.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: Secret::new(token),
        expires_at,
    })
}

/// True when profile `name` is a managed target (it records its source).
pub fn is_managed(doc: &Document, name: &str) -> bool {
    let Ok(name) = ProfileName::new(name) else {
        return false;
    };
    matches!(find_credentials_section(doc, &name), Ok(Some(at))
        if section_values(doc, at).iter().any(|(k, _)| k == MFA_SOURCE_PROFILE))
}

/// The target a command means: the one named, else `AWS_PROFILE` when it names a managed
/// target, else `mfa`. `AWS_PROFILE` naming anything else (a source, say) is not a target.
pub fn choose_target(
    named: Option<&str>,
    aws_profile: Option<&str>,
    doc: &Document,
) -> Result<ProfileName, crate::profile::NameError> {
    match (named, aws_profile) {
        (Some(name), _) => ProfileName::new(name),
        (None, Some(env)) if is_managed(doc, env) => ProfileName::new(env),
        (None, _) => ProfileName::new("mfa"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &[u8] =
        b"[default]\naws_access_key_id = AKIALONGTERM\naws_secret_access_key = long\n\
[mfa]\naws_access_key_id = ASIA1\naws_secret_access_key = s1\naws_session_token = t1\n\
expiration = 2030-01-01T00:00:00Z\nmfa_source_profile = default\n\
[half]\naws_access_key_id = ASIA2\naws_secret_access_key = s2\nexpiration = 2030-01-01T00:00:00Z\n";

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
    fn aws_profile_selects_only_a_managed_target() {
        let doc = Document::parse(FILE).unwrap();
        let choose = |named, env| choose_target(named, env, &doc).unwrap().to_string();
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
}
