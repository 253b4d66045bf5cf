//! What the command `exec --server` runs must not find before the endpoint: the SDKs take
//! the profile's credentials first (botocore: environment, assume-role, web identity, SSO,
//! the credentials file, `credential_process`, the config file's keys, and only then the
//! container endpoint; aws-config and the JavaScript SDK in much the same order), and with no
//! `AWS_PROFILE` that profile is `default`.
//!
//! Invariant: pure; a config file with no credential setting in its default profile is left
//! as it is (the command reads the user's own file); otherwise the copy differs from it only
//! by the lines of those settings.

use crate::ini::Document;
use crate::profile::FileKind;

/// The settings of a profile that make the SDKs take credentials from it (keys, a process,
/// a role, web identity, IAM Identity Center, `aws login`).
pub const CREDENTIAL_SETTINGS: [&str; 16] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "credential_process",
    "role_arn",
    "source_profile",
    "credential_source",
    "web_identity_token_file",
    "role_session_name",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
    "sso_region",
    "login_session",
];

/// The credential settings the default profile of the config file `config` holds, in order
/// (empty when none).
pub fn default_credential_settings(config: &Document) -> Vec<String> {
    let mut found = Vec::new();
    for section in config.sections().filter(is_default) {
        for entry in section.entries() {
            let key = entry.key().to_ascii_lowercase();
            if CREDENTIAL_SETTINGS.contains(&key.as_str()) && !found.contains(&key) {
                found.push(key);
            }
        }
    }
    found
}

/// `config` without the credential settings of its default profile; `None` when it holds
/// none.
pub fn without_default_credentials(config: &Document) -> Option<String> {
    if default_credential_settings(config).is_empty() {
        return None;
    }
    let mut copy = config.clone();
    let ids: Vec<_> = copy
        .sections()
        .filter(is_default)
        .map(|section| section.id())
        .collect();
    for id in ids {
        let mut section = copy.section_mut(id);
        for key in CREDENTIAL_SETTINGS {
            section.remove(key);
        }
    }
    Some(copy.render())
}

/// Whether either reader (botocore, the SDKs) takes `section` of a config file for the
/// default profile.
fn is_default(section: &crate::ini::Section<'_>) -> bool {
    FileKind::Config.sdk_profile(section) == Some("default")
        || FileKind::Config.botocore_profile(section) == Some("default")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_without_credentials_in_default_is_kept() {
        let doc =
            Document::parse(b"[default]\nregion = eu-west-1\n[profile x]\nrole_arn = r\n").unwrap();
        assert!(default_credential_settings(&doc).is_empty());
        assert_eq!(without_default_credentials(&doc), None);
    }

    #[test]
    fn the_copy_loses_the_credential_lines_of_default_alone() {
        let text = "# mine\n[default]\nregion = eu-west-1\ncredential_process = x\n  continued\nOutput = json\n\n[profile default]\nsso_session = s\n[profile other]\nrole_arn = r\nsource_profile = default\n";
        let doc = Document::parse(text.as_bytes()).unwrap();
        assert_eq!(
            default_credential_settings(&doc),
            ["credential_process", "sso_session"]
        );
        assert_eq!(
            without_default_credentials(&doc).unwrap(),
            "# mine\n[default]\nregion = eu-west-1\nOutput = json\n\n[profile default]\n[profile other]\nrole_arn = r\nsource_profile = default\n"
        );
        let upper = Document::parse(b"[default]\nAWS_ACCESS_KEY_ID = A\n").unwrap();
        assert_eq!(default_credential_settings(&upper), ["aws_access_key_id"]);
    }
}
