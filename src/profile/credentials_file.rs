//! Writing a session into the target section of a credentials file.
//!
//! Invariant: only the target's own lines change (or the section is appended): its managed
//! keys, written in lower case (the JavaScript SDK matches keys case-sensitively), and its
//! header where the JavaScript SDK would not read it; the caller has located and checked the
//! target with [`locate_target`](super::locate_target).

use super::find::FileKind;
use super::target::{defaults_give_a_security_token, js_header_fix};
use super::{
    ProfileName, ACCESS_KEY_ID, EXPIRATION, MANAGED_KEYS, MFA_DURATION, MFA_EXTERNAL_ID,
    MFA_ROLE_ARN, MFA_ROLE_SESSION_NAME, MFA_SERIAL_NUMBER, MFA_SOURCE_PROFILE, MFA_VIA,
    SECRET_ACCESS_KEY, SECURITY_TOKEN, SESSION_TOKEN,
};
use crate::ini::{Document, SectionId};
use crate::input::keys::SessionCredentials;
use crate::text::time;

/// The role a session is of, as recorded in the target so later refreshes repeat it.
#[derive(Clone, Copy, Debug)]
pub struct RecordedRole<'a> {
    /// `mfa_role_arn`.
    pub arn: &'a str,
    /// `mfa_external_id`, when the role needs one.
    pub external_id: Option<&'a str>,
    /// `mfa_role_session_name`, when the user chose it.
    pub session_name: Option<&'a str>,
}

/// What a refresh writes into its target.
#[derive(Clone, Copy, Debug)]
pub struct SessionEntries<'a> {
    /// The session.
    pub session: &'a SessionCredentials,
    /// `mfa_source_profile`.
    pub source: &'a ProfileName,
    /// The role, for an AssumeRole session.
    pub role: Option<RecordedRole<'a>>,
    /// `mfa_serial_number`: the MFA device, when it was given rather than found in the source.
    pub serial: Option<&'a str>,
    /// `mfa_duration`: the session length asked for, seconds.
    pub duration: Option<u32>,
    /// `mfa_via`: the managed target whose session the role was assumed with.
    pub via: Option<&'a str>,
}

impl<'a> SessionEntries<'a> {
    /// A GetSessionToken session from `source`, nothing else recorded.
    pub fn plain(session: &'a SessionCredentials, source: &'a ProfileName) -> SessionEntries<'a> {
        SessionEntries {
            session,
            source,
            role: None,
            serial: None,
            duration: None,
            via: None,
        }
    }
}

/// Writes a session into the target section `at` (appended as `[name]` when `None`). Existing
/// keys keep their place and spacing, their spelling lower-cased; an existing
/// `aws_security_token` gets the new token too: botocore prefers it to `aws_session_token`, and
/// older tools read only it. So does a target that botocore would otherwise give the
/// `aws_security_token` of `[DEFAULT]`.
pub fn write_session(
    doc: &mut Document,
    at: Option<SectionId>,
    name: &ProfileName,
    entries: &SessionEntries,
) {
    // botocore prefers aws_security_token, the section's own or one [DEFAULT] gives it.
    let has_security_token = at.is_some_and(|id| doc.section(id).get(SECURITY_TOKEN).is_some())
        || defaults_give_a_security_token(doc);
    let id = at.unwrap_or_else(|| doc.append_section(&FileKind::Credentials.header_for(name)));
    let session = entries.session;
    let expiration = time::rfc3339(session.expires_at);
    let mut values = vec![
        (ACCESS_KEY_ID, session.access_key_id.as_str()),
        (SECRET_ACCESS_KEY, session.secret_access_key.expose()),
        (SESSION_TOKEN, session.session_token.expose()),
    ];
    if has_security_token {
        values.push((SECURITY_TOKEN, session.session_token.expose()));
    }
    values.push((EXPIRATION, &expiration));
    values.push((MFA_SOURCE_PROFILE, entries.source.as_str()));
    if let Some(role) = &entries.role {
        values.push((MFA_ROLE_ARN, role.arn));
        values.extend(role.external_id.map(|id| (MFA_EXTERNAL_ID, id)));
        values.extend(role.session_name.map(|n| (MFA_ROLE_SESSION_NAME, n)));
    }
    values.extend(entries.serial.map(|serial| (MFA_SERIAL_NUMBER, serial)));
    let duration = entries.duration.map(|d| d.to_string());
    values.extend(duration.as_deref().map(|d| (MFA_DURATION, d)));
    values.extend(entries.via.map(|base| (MFA_VIA, base)));
    let fixed_header = js_header_fix(doc.section(id).header());
    let mut section = doc.section_mut(id);
    if let Some(header) = fixed_header {
        section.set_header(&header);
    }
    for key in MANAGED_KEYS {
        section.rename_key(key, key);
    }
    // What this refresh does not record any more (a role given up, a length back to the
    // default, a base no longer used) goes, or the next refresh would repeat it.
    for key in RECORD_KEYS {
        if !values.iter().any(|(written, _)| *written == key) {
            section.remove(key);
        }
    }
    for (key, value) in values {
        section.set(key, value);
    }
}

/// The keys that record how a target is refreshed, besides its source.
const RECORD_KEYS: [&str; 6] = [
    MFA_ROLE_ARN,
    MFA_EXTERNAL_ID,
    MFA_ROLE_SESSION_NAME,
    MFA_SERIAL_NUMBER,
    MFA_DURATION,
    MFA_VIA,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::keys::Secret;
    use crate::profile::locate_target;

    fn session() -> SessionCredentials {
        SessionCredentials {
            access_key_id: "ASIANEW".into(),
            secret_access_key: Secret::new("newsecret"),
            session_token: Secret::new("newtoken"),
            expires_at: 1_893_456_000,
        }
    }

    fn write(input: &str, role: Option<RecordedRole>) -> String {
        let mut doc = Document::parse(input.as_bytes()).unwrap();
        let name = ProfileName::new("mfa").unwrap();
        let at = locate_target(&doc, &name).unwrap().map(|(id, _)| id);
        let source = ProfileName::default_profile();
        let session = session();
        let entries = SessionEntries {
            session: &session,
            source: &source,
            role,
            serial: None,
            duration: None,
            via: None,
        };
        write_session(&mut doc, at, &name, &entries);
        doc.render()
    }

    #[test]
    fn a_new_target_is_appended_whole() {
        assert_eq!(
            write("[default]\nk = v\n", None),
            "[default]\nk = v\n\n[mfa]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\n\
aws_session_token = newtoken\nexpiration = 2030-01-01T00:00:00Z\nmfa_source_profile = default\n"
        );
    }

    #[test]
    fn an_existing_target_keeps_its_other_lines_and_a_security_token_is_renewed() {
        assert_eq!(
            write("[mfa]\r\nregion=eu\r\naws_security_token=old\r\n# mine\r\n", None),
            "[mfa]\r\nregion=eu\r\naws_security_token=newtoken\r\naws_access_key_id=ASIANEW\r\n\
aws_secret_access_key=newsecret\r\naws_session_token=newtoken\r\nexpiration=2030-01-01T00:00:00Z\r\n\
mfa_source_profile=default\r\n# mine\r\n"
        );
    }

    #[test]
    fn managed_keys_are_written_in_lower_case_and_a_glued_comment_gets_a_space() {
        assert_eq!(
            write("[mfa];note\nAWS_ACCESS_KEY_ID=old\nREGION=eu\n", None),
            "[mfa] ;note\naws_access_key_id=ASIANEW\nREGION=eu\naws_secret_access_key=newsecret\n\
aws_session_token=newtoken\nexpiration=2030-01-01T00:00:00Z\nmfa_source_profile=default\n"
        );
    }

    #[test]
    fn a_security_token_in_default_gets_one_of_our_own_beside_it() {
        let out = write("[DEFAULT]\naws_security_token = stale\n", None);
        assert!(
            out.contains("\naws_session_token = newtoken\naws_security_token = newtoken\n"),
            "{out}"
        );
    }

    #[test]
    fn a_role_is_recorded_with_what_was_given() {
        let role = RecordedRole {
            arn: "arn:aws:iam::123456789012:role/admin",
            external_id: Some("partner-42"),
            session_name: None,
        };
        let out = write("", Some(role));
        assert!(out.ends_with(
            "mfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_external_id = partner-42\n"
        ));
    }
}
