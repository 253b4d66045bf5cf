//! `status --keys`: each source's key with its user, age and last use from IAM, a warning past
//! the rotation age, what to do when IAM wants MFA first, throttled calls sent again, and every
//! call on one connection; a session token the tool would not sign with. Against the stand-in.

use crate::support::rotation::{credentials, start, OLD, OLD_SECRET};
use crate::support::*;

fn keys_status(aws: &StandIn) -> Test {
    Test::new().args(["status", "--keys"]).args(aws.endpoints())
}

#[test]
fn an_old_key_is_shown_with_its_age_and_last_use_and_due_for_rotation() {
    let aws = start();
    let ran = keys_status(&aws)
        .credentials(credentials())
        .stderr_has("[default]: older than 90 days: rotate it with `mfa-profile rotate -s default`")
        .stdout_has("SOURCE   ACCESS KEY            USER   AGE")
        .stdout_has(&format!("default  {OLD}  alice"))
        .stdout_has("2026-01-02 (")
        .stdout_has(" ago), s3 in eu-west-1  rotate")
        .run();
    ran.out.assert_silent_about(OLD_SECRET);
    assert_eq!(
        aws.signers_of("ListAccessKeys"),
        [session_key_id(1)],
        "the valid session in [mfa] signs the IAM calls"
    );
    assert_eq!(ran.env.read_credentials_text(), credentials(), "read-only");
}

#[test]
fn the_age_limit_is_configurable_and_json_has_every_field() {
    let aws = start();
    let ran = keys_status(&aws)
        .credentials(credentials())
        .args(["--max-key-age", "100000", "--json"])
        .run();
    let row = &ran.out.json()[0];
    assert_eq!(row["source"], "default");
    assert_eq!(row["access_key_id"], OLD);
    assert_eq!(row["user"], "alice");
    assert_eq!(row["created"], "2025-01-01T00:00:00Z");
    assert_eq!(row["last_used"], "2026-01-02T03:04:05Z");
    assert_eq!(row["last_used_service"], "s3");
    assert_eq!(row["state"], "ok");
    assert!(row["age_days"].as_i64().unwrap() > 300);
}

#[test]
fn without_a_session_a_force_mfa_denial_says_to_refresh_first() {
    let aws = start();
    aws.fault("ListAccessKeys", Fault::error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys with an explicit deny").times(1));
    let expired = credentials().replace("2099-01-01", "2001-01-01");
    keys_status(&aws)
        .credentials(expired)
        .stderr_has("[default]: IAM denied ListAccessKeys (User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys with an explicit deny); under a policy that requires MFA (the usual one), this call needs an MFA session; refresh [mfa] with `mfa-profile -t mfa` and run again")
        .stdout_has(&format!("default  {OLD}  alice  -    -          unknown"))
        .run();
    assert_eq!(aws.signers_of("ListAccessKeys"), [OLD]);
}

#[test]
fn a_throttled_iam_call_is_sent_again() {
    let aws = start();
    aws.fault(
        "ListAccessKeys",
        Fault::error(400, "Throttling", "Rate exceeded").times(2),
    );
    keys_status(&aws)
        .credentials(credentials())
        .stdout_has(&format!("default  {OLD}  alice"))
        .run();
    let lists = aws
        .actions()
        .iter()
        .filter(|a| *a == "ListAccessKeys")
        .count();
    assert_eq!(lists, 3, "two throttled attempts, then the answer");
}
/// Pins the finding "`status --keys` and `rotate` open one connection per call (a runtime per
/// call drops the pool)": over TLS, every call of `status --keys` (GetCallerIdentity,
/// ListAccessKeys, GetAccessKeyLastUsed) goes over one connection.
#[test]
fn status_keys_makes_every_call_on_one_connection() {
    let aws = StandIn::start_https();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, 3600, ""));
    let ca = aws.ca_file(&env, "ca.pem");
    Test::in_env(env)
        .args(["status", "--keys"])
        .args(aws.endpoints())
        .env("AWS_CA_BUNDLE", &ca)
        .stdout_has(&format!("default  {AKID}  alice"))
        .run();
    let calls = aws.calls();
    assert!(calls.len() >= 3, "{calls:?}");
    assert_eq!(aws.connections(), 1, "{calls:?}");
}

/// The same for a session token: a stored MFA session whose token holds a control character is
/// not signed with (`status --keys` signs with the long-term key instead, and does not panic).
#[test]
fn a_control_character_in_a_stored_session_token_is_never_signed_with() {
    let aws = StandIn::start();
    let text = with_mfa_session(&aws, 3600, "");
    let token = sdk_value(&text, "mfa", "aws_session_token").unwrap();
    let text = text.replace(&token, &format!("{token}\u{1}"));
    let ran = Test::new()
        .credentials(&text)
        .args(["status", "--keys"])
        .args(aws.endpoints())
        .run();
    ran.out.assert_stderr_lacks("panicked");
    for call in aws.calls() {
        assert_eq!(call.key_id, AKID, "signed with the long-term key: {call:?}");
    }
}

/// IAM's endpoint in the aws partition takes only credential scopes of us-east-1 ("Elements of
/// an AWS API request signature": "If you use a service like IAM that uses a globally unique
/// endpoint, use the default region (us-east-1)"). With IAM's endpoint given by
/// `--iam-endpoint-url` (or `AWS_ENDPOINT_URL_IAM`) the SDK would sign for the source profile's
/// region, which IAM refuses as SignatureDoesNotMatch; the tool signs for the partition's IAM
/// region (`aws::iam_call`). Found by moving the key tests onto the stand-in.
#[test]
fn iam_calls_to_an_overridden_endpoint_are_signed_for_us_east_1() {
    let aws = StandIn::start();
    let file = with_mfa_session(&aws, 3600, "").replacen(
        "[default]\n",
        "[default]\nregion = eu-west-1\n",
        1,
    );
    Test::new()
        .credentials(&file)
        .args(["status", "--keys"])
        .args(aws.endpoints())
        .stdout_has(&format!("default  {AKID}  alice"))
        .stderr_lacks("SignatureDoesNotMatch")
        .run();
    for call in aws.calls() {
        assert_eq!(call.status, 200, "{call:?}");
    }
}

/// The same rule with IAM's endpoint from `AWS_ENDPOINT_URL_IAM` and another region (the
/// variable is how the SDKs and the aws CLI are pointed at an endpoint): every IAM call is
/// answered, so each was signed for us-east-1.
#[test]
fn iam_calls_to_the_endpoint_of_aws_endpoint_url_iam_are_signed_for_us_east_1_too() {
    let aws = StandIn::start();
    let file = with_mfa_session(&aws, 3600, "").replacen(
        "[default]\n",
        "[default]\nregion = ap-southeast-2\n",
        1,
    );
    Test::new()
        .credentials(&file)
        .envs(aws.endpoint_vars())
        .args(["status", "--keys"])
        .stdout_has(&format!("default  {AKID}  alice"))
        .stderr_lacks("SignatureDoesNotMatch")
        .run();
    let iam_calls: Vec<_> = aws
        .calls()
        .into_iter()
        .filter(|c| c.action.contains("AccessKey"))
        .collect();
    assert!(!iam_calls.is_empty(), "IAM was asked");
    for call in iam_calls {
        assert_eq!(call.status, 200, "{call:?}");
    }
}
