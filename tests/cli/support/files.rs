//! Shared files several feature files start from: a managed target with short placeholder
//! values, a source and its target, shared files reached through `--credentials-file` and
//! `--config-file`, and a second IAM user (bob) with his own key and device.

use super::harness::{default_source, managed, TestEnv};
use super::standin::StandIn;

/// A target mfa-profile manages, with short placeholder values (`s`, `t`).
pub fn managed_short(target: &str, source: &str, expiration: &str) -> String {
    format!("[{target}]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = {expiration}\nmfa_source_profile = {source}\n")
}

/// The usual source, then its target `[mfa]` (short values), recorded from `source`.
pub fn with_mfa(source: &str, expiration: &str) -> String {
    format!(
        "{}{}",
        default_source(),
        managed_short("mfa", source, expiration)
    )
}

/// The usual source, then `target` managed from it (placeholder session values).
pub fn with_target(target: &str, expiration: &str) -> String {
    format!(
        "{}\n{}",
        default_source(),
        managed(target, "default", expiration)
    )
}

/// Files reached through --credentials-file/--config-file (`[work]` and a valid `[work-mfa]`,
/// its serial in the config file); the environment's hold nothing. The environment, the four
/// flags, and the credentials file's text.
pub fn files_from_flags() -> (TestEnv, [String; 4], String) {
    let env = TestEnv::new();
    env.write_credentials(b"");
    let creds = env.home().join("elsewhere-credentials");
    let config = env.home().join("elsewhere-config");
    let text = format!(
        "[work]\naws_access_key_id = A\naws_secret_access_key = S\n{}",
        managed_short("work-mfa", "work", "2099-01-01T00:00:00Z")
    );
    std::fs::write(&creds, &text).unwrap();
    std::fs::write(&config, "[profile work]\nmfa_serial = GAHT12345678\n").unwrap();
    let flags = [
        "--credentials-file".to_owned(),
        creds.display().to_string(),
        "--config-file".to_owned(),
        config.display().to_string(),
    ];
    (env, flags, text)
}

/// Bob, a second IAM user of the account: his key (AWS's second documentation example), secret
/// and MFA device.
pub const BOB_KEY: &str = "AKIAI44QH8DHBEXAMPLE";
pub const BOB_SECRET: &str = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
pub const BOB_SERIAL: &str = "arn:aws:iam::123456789012:mfa/bob";

/// `[default]` (alice's keys and device) and `[work]` (bob's), each with a comment.
pub const TWO_USERS: &str = "# alice\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n# bob\n[work]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n";

impl StandIn {
    /// Adds bob ([`BOB_KEY`], [`BOB_SERIAL`]), whose policy requires MFA as alice's does.
    pub fn add_bob(&self) {
        self.add_user("bob", BOB_KEY, BOB_SECRET);
        self.add_device("bob", BOB_SERIAL);
        self.set_mfa_required("bob", true);
    }
}
