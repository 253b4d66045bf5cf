//! Runs against the stand-in, and what they wrote judged by it: the stand-in's endpoints put on
//! a [`Test`] in its next code window, a managed session it issued to start a file with, a
//! stand-in whose sessions all expire at one time (for files compared byte for byte with
//! `fixtures/expected/`), and whether a profile the tool wrote is a session the stand-in takes.

use super::harness::{default_source, epoch_of, sdk_value, Test, TestEnv};
use super::standin::{numbered, Call, Issued, StandIn, USER};

/// The ARN the stand-in gives a session of [`super::standin::ADMIN_ROLE`] assumed by the tool
/// under its default session name.
pub const ADMIN_ARN: &str = "arn:aws:sts::123456789012:assumed-role/admin/mfa-profile-default";

/// When every session of [`StandIn::for_files`] expires, as the fixtures of
/// `fixtures/expected/` hold it.
pub const FIXED_EXPIRATION: &str = "2099-01-01T00:00:00Z";

impl StandIn {
    /// A stand-in whose sessions all expire at [`FIXED_EXPIRATION`], so that a refresh's file is
    /// the same every run.
    pub fn for_files() -> StandIn {
        let aws = StandIn::start();
        aws.fix_expirations(FIXED_EXPIRATION);
        aws
    }
}

/// The `n`th session a [`StandIn::for_files`] issues (1 for the first, unless the test added
/// users or roles first).
pub fn fixed_session(n: u64) -> Issued {
    numbered(n, FIXED_EXPIRATION)
}

/// The access key id of the `n`th session a stand-in issues.
pub fn session_key_id(n: u64) -> String {
    numbered(n, FIXED_EXPIRATION).key_id
}

/// STS and IAM at `aws` (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_IAM`: every command reads
/// them, where only some take `--endpoint-url`), in the stand-in's next code window.
pub fn at(aws: &StandIn, test: Test) -> Test {
    aws.next_code_window();
    test.envs(aws.endpoint_vars())
}

/// A refresh (the default command) of the harness's source profile, with `--endpoint-url` at
/// `aws` (and IAM by `AWS_ENDPOINT_URL_IAM`: a refresh has no IAM flag), in the stand-in's next
/// code window.
pub fn against(aws: &StandIn) -> Test {
    aws.next_code_window();
    Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &aws.url()])
        .env("AWS_ENDPOINT_URL_IAM", aws.url())
}

/// Seconds from the stand-in's clock to the expiration of `profile` in the credentials file.
pub fn lasts(aws: &StandIn, env: &TestEnv, profile: &str) -> i64 {
    let text = env.read_credentials_text();
    let expiration = sdk_value(&text, profile, "expiration")
        .unwrap_or_else(|| panic!("[{profile}] has no expiration:\n{text}"));
    epoch_of(&expiration) - aws.now()
}

/// Asserts that `profile` of `env`'s credentials file is a session the stand-in takes for
/// `arn`.
pub fn assert_works_as(aws: &StandIn, env: &TestEnv, profile: &str, arn: &str) {
    let text = env.read_credentials_text();
    assert_eq!(
        aws.caller_of_profile(&text, profile).as_deref(),
        Ok(arn),
        "{text}"
    );
}

/// A parameter of a call the stand-in logged.
pub fn param<'a>(call: &'a Call, name: &str) -> Option<&'a str> {
    call.params.get(name).map(String::as_str)
}

/// The harness's source and a managed MFA session `[mfa]` the stand-in issued (valid for
/// `secs`, negative: expired that long ago), followed by `more`.
pub fn with_mfa_session(aws: &StandIn, secs: i64, more: &str) -> String {
    let session = aws.issue_session(USER, true, secs);
    format!(
        "{}\n[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\nmfa_source_profile = default\n{more}",
        default_source(),
        session.key_id,
        session.secret,
        session.token,
        session.expiration
    )
}
