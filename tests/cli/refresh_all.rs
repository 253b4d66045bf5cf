//! `refresh --all`: every managed target in the file, the bases before what derives from them,
//! one code per device (a whole day of derived roles from one code), a failing pair reported
//! while the others are refreshed, and each notice said once.

use crate::support::*;

const EXPIRED: &str = "2001-01-01T00:00:00Z";
const VALID: &str = "2099-01-01T00:00:00Z";

/// `[default]` with a counting code command, then the three targets, all expired, the derived
/// ones first in the file.
fn expired_day() -> String {
    format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; echo 123456\n\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n\n{}\n{}mfa_role_arn = {OPS_ROLE}\nmfa_via = mfa\n",
        default_source(),
        managed("admin", "default", EXPIRED),
        managed("mfa", "default", EXPIRED),
        managed("ops", "default", EXPIRED),
    )
}

fn code_runs(env: &TestEnv) -> usize {
    std::fs::read_to_string(env.home().join("code-runs"))
        .map(|text| text.lines().count())
        .unwrap_or(0)
}

/// Also stands for derived's `the_role_requests_are_signed_with_the_sessions_key_and_carry_no_code`
/// (merged here: the same day against the stand-in, whose log shows each signer and parameter).
#[test]
fn refresh_all_asks_one_code_and_derives_both_roles_from_the_fresh_session() {
    let aws = StandIn::start();
    let ran = at(&aws, Test::new().credentials(expired_day()))
        .args(["refresh", "--all"])
        .stderr_has("wrote [mfa]")
        .stderr_has("wrote [admin]")
        .stderr_has("wrote [ops]")
        .run();
    assert_eq!(
        aws.actions(),
        ["GetSessionToken", "AssumeRole", "AssumeRole"]
    );
    let calls = aws.calls();
    assert_eq!(calls[0].key_id, AKID);
    let text = ran.env.read_credentials_text();
    let session = sdk_value(&text, "mfa", "aws_access_key_id").unwrap();
    assert!(calls[1..]
        .iter()
        .all(|c| c.key_id == session && c.status == 200));
    for call in &calls[1..] {
        assert!(
            param(call, "TokenCode").is_none() && param(call, "SerialNumber").is_none(),
            "no code with a role derived from a session: {call:?}"
        );
    }
    let runs = std::fs::read_to_string(ran.env.home().join("code-runs")).unwrap();
    assert_eq!(runs.lines().count(), 1, "one code for the day");
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
    assert_works_as(
        &aws,
        &ran.env,
        "ops",
        "arn:aws:sts::123456789012:assumed-role/ops/mfa-profile-default",
    );
}

#[test]
fn refresh_all_asks_one_code_for_a_session_and_two_roles_derived_from_it() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let env = TestEnv::with_credentials(&expired_day());
    let out = Test::on(&env)
        .args(["refresh", "--all", "--endpoint-url", &moto.url()])
        .stderr_has("wrote [mfa] in ~/.aws/credentials from [default]")
        .stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session")
        .stderr_has("wrote [ops] in ~/.aws/credentials from [mfa]'s session")
        .run()
        .out;
    assert_eq!(code_runs(&env), 1, "one code for the day");
    let mfa_at = out.stderr.find("wrote [mfa]").unwrap();
    assert!(
        out.stderr.find("wrote [admin]").unwrap() > mfa_at,
        "the base first"
    );
    let status = Test::on(&env).args(["status", "--json"]).run().out.json();
    for row in status.as_array().unwrap() {
        assert_eq!(row["state"], "valid", "{row}");
    }
    assert_eq!(status[0]["via"], "mfa");
    let identity = run(env.command("aws").args([
        "--profile",
        "admin",
        "--region",
        "us-east-1",
        "--endpoint-url",
        &moto.url(),
        "sts",
        "get-caller-identity",
        "--query",
        "Arn",
        "--output",
        "text",
    ]));
    identity.assert_code(0);
    assert!(
        identity.stdout.contains("assumed-role/admin/"),
        "{identity}"
    );
}

#[test]
fn refresh_all_reports_a_failing_pair_and_still_refreshes_the_other() {
    let aws = StandIn::start();
    let broken_source = "[broken]\naws_access_key_id = AKIABROKENEXAMPLE\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n";
    let original = format!(
        "# two pairs\n{}\n{}\n{}\n{}\n[valid-mfa]\naws_access_key_id = ASIAV\naws_secret_access_key = v\naws_session_token = v\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n",
        default_source(),
        broken_source,
        managed("mfa", "default", EXPIRED),
        managed("broken-mfa", "broken", EXPIRED),
    );
    // One code per target that needs one, read in turn from standard input.
    let ran = Test::new()
        .credentials(&original)
        .args(["refresh", "--all", "--json", "--endpoint-url", &aws.url()])
        .stdin("123456\n654321\n")
        .status(2)
        .stderr_has("[broken-mfa]: error:")
        .stderr_has("1 of 3 targets failed: [broken-mfa]")
        .stderr_has("[valid-mfa] is still valid")
        .run();
    let text = ran.env.read_credentials_text();
    assert_ne!(
        sdk_value(&text, "mfa", "aws_session_token").as_deref(),
        Some("sessiontoken"),
        "[mfa] refreshed"
    );
    // Everything but [mfa]'s managed values is byte-identical.
    let start = text.find("[mfa]").unwrap();
    assert_eq!(&text[..start], &original[..start]);
    let end = text.find("[broken-mfa]").unwrap();
    assert_eq!(
        &text[end..],
        &original[original.find("[broken-mfa]").unwrap()..]
    );
    let lines: Vec<&str> = ran.out.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one JSON object per target that did not fail\n{}",
        ran.out
    );
    assert_eq!(
        aws.actions(),
        ["GetSessionToken"],
        "the broken pair sent nothing"
    );
    assert_works_as(&aws, &ran.env, "mfa", USER_ARN);
}

#[test]
fn refresh_all_with_every_target_valid_succeeds_without_a_code() {
    Test::new()
        .credentials(with_target("mfa", VALID))
        .args(["refresh", "--all", "--endpoint-url", CLOSED])
        .stderr_has("[mfa] is still valid")
        .run();
}

#[test]
fn refresh_all_with_no_managed_target_succeeds_and_says_so() {
    Test::new()
        .credentials(default_source())
        .args(["refresh", "--all"])
        .stderr_has("no profile in ~/.aws/credentials is managed by mfa-profile yet")
        .run();
}

/// Issue 20: `refresh --all` repeated the "not an AWS host" notice (and every other warning)
/// for each target; each is said once per run.
#[test]
fn refresh_all_says_each_notice_once() {
    let aws = StandIn::start();
    aws.add_bob();
    let text = format!(
        "{}[work]\naws_access_key_id = {BOB_KEY}\naws_secret_access_key = {BOB_SECRET}\nmfa_serial = {BOB_SERIAL}\n\n{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z"),
        managed("work-mfa", "work", "2001-01-01T00:00:00Z"),
    );
    let out = Test::new()
        .credentials(&text)
        .args(["refresh", "--all", "--code-command", "echo 123456"])
        .args(["--endpoint-url", &aws.url()])
        .stderr_has("wrote [mfa]")
        .stderr_has("wrote [work-mfa]")
        .run()
        .out;
    assert_eq!(
        out.stderr.matches("which is not an AWS host").count(),
        1,
        "{out}"
    );
}
