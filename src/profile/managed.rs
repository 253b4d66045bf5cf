//! The managed target: a section mfa-profile wrote, recognised by `mfa_source_profile`, and the
//! session it holds.
//!
//! Invariant: the one definition of "managed target" and of what it records; values are read
//! as the SDKs read them (keys case-insensitive, the last of repeated keys wins).

use super::find::{find_section, FileKind};
use super::{
    ProfileName, Refusal, ACCESS_KEY_ID, EXPIRATION, MFA_EXTERNAL_ID, MFA_ROLE_ARN,
    MFA_ROLE_SESSION_NAME, MFA_SOURCE_PROFILE, SECRET_ACCESS_KEY, SESSION_TOKEN,
};
use crate::ini::{Document, Section};
use crate::keys::{Secret, SessionCredentials};
use crate::time;

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
}

impl ManagedTarget {
    /// Reads what a section records; `None` when it is not a managed target.
    pub fn read(section: &Section) -> Option<ManagedTarget> {
        let get = |key: &str| {
            section
                .get(key)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Some(ManagedTarget {
            name: section.name().to_owned(),
            source: get(MFA_SOURCE_PROFILE)?,
            expires_at: section.get(EXPIRATION).and_then(time::parse_rfc3339),
            role_arn: get(MFA_ROLE_ARN),
            external_id: get(MFA_EXTERNAL_ID),
            role_session_name: get(MFA_ROLE_SESSION_NAME),
        })
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
        time::parse_rfc3339(get(EXPIRATION)?).ok_or(NoSession::Incomplete(EXPIRATION))?;
    Ok(SessionCredentials {
        access_key_id: access_key_id.to_owned(),
        secret_access_key: Secret::new(secret),
        session_token: Secret::new(token),
        expires_at,
    })
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
    fn the_last_of_repeated_keys_wins_as_for_the_sdks() {
        let doc =
            Document::parse(b"[mfa]\nmfa_source_profile = a\nmfa_source_profile = b\n").unwrap();
        assert_eq!(managed_targets(&doc)[0].source, "b");
    }
}
