//! Every STS path of the tool against the stand-in that enforces AWS's documented rules
//! (tests/cli/standin/): refresh, role targets, derived targets, `refresh --all`, `exec`,
//! `export --refresh`, `credential-process`, `setup` and `rotate`'s STS calls. Each test checks
//! what the stand-in saw (which key signed which action, with which parameters) and that what
//! the tool wrote is a session the stand-in accepts.

use crate::support::standin::*;
use crate::support::*;

const CODE: &str = "123456";
const EXPIRED: &str = "2001-01-01T00:00:00Z";

/// STS and IAM at `aws` (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_IAM`: every command reads
/// them, where only some take `--endpoint-url`), in the stand-in's next code window.
fn at(aws: &StandIn, test: Test) -> Test {
    aws.next_code_window();
    let [(sts, sts_url), (iam, iam_url)] = aws.endpoint_vars();
    test.env(sts, sts_url).env(iam, iam_url)
}

/// A refresh (the default command) of the harness's source profile, with `--endpoint-url` at
/// `aws` (and IAM by `AWS_ENDPOINT_URL_IAM`: a refresh has no IAM flag), in the stand-in's next
/// code window.
fn against(aws: &StandIn) -> Test {
    aws.next_code_window();
    Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &aws.url()])
        .env("AWS_ENDPOINT_URL_IAM", aws.url())
}

/// Seconds from the stand-in's clock to the expiration of `profile` in the credentials file.
fn lasts(aws: &StandIn, env: &TestEnv, profile: &str) -> i64 {
    let text = env.read_credentials_text();
    let expiration = sdk_value(&text, profile, "expiration")
        .unwrap_or_else(|| panic!("[{profile}] has no expiration:\n{text}"));
    epoch_of(&expiration) - aws.now()
}

/// Asserts that `profile` of `env`'s credentials file is a session the stand-in takes for
/// `arn`.
fn assert_works_as(aws: &StandIn, env: &TestEnv, profile: &str, arn: &str) {
    let text = env.read_credentials_text();
    assert_eq!(
        aws.caller_of_profile(&text, profile).as_deref(),
        Ok(arn),
        "{text}"
    );
}

fn param<'a>(call: &'a Call, name: &str) -> Option<&'a str> {
    call.params.get(name).map(String::as_str)
}

/// The source and a managed MFA session `[mfa]` the stand-in issued (valid for `secs`),
/// followed by `more`.
fn with_mfa_session(aws: &StandIn, secs: i64, more: &str) -> String {
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

const ADMIN_ARN: &str = "arn:aws:sts::123456789012:assumed-role/admin/mfa-profile-default";

#[test]
fn setup_checks_the_keys_finds_the_device_and_refreshes_once() {
    let aws = StandIn::start();
    aws.next_code_window();
    let ran = Test::new()
        .args(["setup", "-s", "work"])
        .args(aws.endpoints())
        .stdin(format!("{AKID}\n{SECRET}\n{CODE}\n"))
        .stderr_has("the keys are IAM user alice's")
        .stderr_has(&format!(
            "recorded MFA device {SERIAL} as mfa_serial in [profile work]"
        ))
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
    ran.out.assert_silent_about(SECRET);
    assert_eq!(
        aws.actions(),
        ["GetCallerIdentity", "ListMFADevices", "GetSessionToken"]
    );
    assert!(aws
        .calls()
        .iter()
        .all(|c| c.key_id == AKID && c.status == 200));
    assert_works_as(&aws, &ran.env, "work-mfa", USER_ARN);
}

#[test]
fn setup_with_keys_aws_does_not_know_writes_nothing() {
    let aws = StandIn::start();
    let ran = Test::new()
        .args(["setup"])
        .args(aws.endpoints())
        .stdin(format!("AKIAUNKNOWNKEYEXAMPL\n{SECRET}\n"))
        .status(1)
        .stderr_has("InvalidClientTokenId")
        .run();
    assert!(!ran.env.credentials().exists());
    assert_eq!(aws.calls()[0].code.as_deref(), Some("InvalidClientTokenId"));
}
