//! Every STS path of the tool against the stand-in that enforces AWS's documented rules
//! (tests/cli/standin/): refresh, role targets, derived targets, `refresh --all`, `exec`,
//! `export --refresh`, `credential-process`, `setup` and `rotate`'s STS calls.

use crate::harness::*;
use crate::standin::*;

const CODE: &str = "123456";

/// The source, with STS (`--endpoint-url`) and IAM (`AWS_ENDPOINT_URL_IAM`: a refresh has no
/// IAM flag) at `aws`, in the next code window.
fn against(aws: &StandIn) -> Test {
    aws.next_code_window();
    Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &aws.url()])
        .env("AWS_ENDPOINT_URL_IAM", aws.url())
}

#[test]
fn refresh_gets_an_mfa_session_with_the_long_term_key_and_a_code() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .arg(CODE)
        .stderr_has("wrote [mfa] in ~/.aws/credentials from [default]")
        .run();
    let calls = aws.calls();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    assert_eq!(calls[0].key_id, AKID);
    assert_eq!(
        calls[0].params.get("SerialNumber").map(String::as_str),
        Some(SERIAL)
    );
    assert_eq!(
        calls[0].params.get("TokenCode").map(String::as_str),
        Some(CODE)
    );
    let text = ran.env.read_credentials_text();
    let expiration = sdk_value(&text, "mfa", "expiration").unwrap();
    assert!(
        (epoch_of(&expiration) - aws.now() - 43_200).abs() <= 5,
        "{expiration}"
    );
}

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
    let text = ran.env.read_credentials_text();
    let session = sdk_value(&text, "work-mfa", "aws_access_key_id").unwrap();
    assert!(session.starts_with("ASIASTANDIN"), "{text}");
}
