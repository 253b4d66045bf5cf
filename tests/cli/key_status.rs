//! `status --keys`: each source's key with its user, age and last use from IAM, a warning past
//! the rotation age, and what to do when IAM wants MFA first.

use crate::fake_aws::*;
use crate::rotate::{credentials, session, OLD, OLD_SECRET};
use crate::support::*;

fn keys_status(aws: &FakeAws) -> Test {
    Test::new().args(["status", "--keys"]).args(aws.endpoints())
}

#[test]
fn an_old_key_is_shown_with_its_age_and_last_use_and_due_for_rotation() {
    let aws = crate::rotate::start();
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
        [SESSION_KEY],
        "the valid session in [mfa] signs the IAM calls"
    );
    assert_eq!(ran.env.read_credentials_text(), credentials(), "read-only");
}

#[test]
fn the_age_limit_is_configurable_and_json_has_every_field() {
    let aws = crate::rotate::start();
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
    let aws = crate::rotate::start();
    aws.fail("ListAccessKeys", 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys with an explicit deny", 1);
    let expired = credentials().replace("2099-01-01", "2001-01-01");
    keys_status(&aws)
        .credentials(expired)
        .stderr_has("[default]: IAM denied ListAccessKeys (User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys with an explicit deny); under a policy that requires MFA (the usual one), this call needs an MFA session; refresh [mfa] with `mfa-profile -t mfa` and run again")
        .stdout_has(&format!("default  {OLD}  alice  -    -          unknown"))
        .run();
    assert_eq!(aws.signers_of("ListAccessKeys"), [OLD]);
}

#[test]
fn keys_of_a_moto_user_are_listed() {
    let Some(moto) = Moto::start() else { return };
    let Some((key, secret)) = crate::support::moto_iam::create_user(&moto, "frank", &[]) else {
        return;
    };
    Test::new()
        .credentials(format!(
            "[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n{}",
            session()
        ))
        .args([
            "status",
            "--keys",
            "--endpoint-url",
            &moto.url(),
            "--iam-endpoint-url",
            &moto.url(),
        ])
        .stdout_has(&format!("default  {key}  frank  "))
        .stdout_has("  ok\n")
        .run();
}

#[test]
fn a_throttled_iam_call_is_sent_again() {
    let aws = crate::rotate::start();
    aws.fail("ListAccessKeys", 400, "Throttling", "Rate exceeded", 2);
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
