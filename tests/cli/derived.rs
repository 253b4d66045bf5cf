//! Derived targets: a role assumed with a managed session's credentials (`--via`), so one code
//! a day serves every role of a device; checked against moto and a recording STS stand-in.

use crate::support::*;

const ADMIN: &str = "arn:aws:iam::123456789012:role/admin";
const OPS: &str = "arn:aws:iam::123456789012:role/ops";

/// `[default]` with a counting code command, then the three targets, all expired, the derived
/// ones first in the file.
fn expired_day() -> String {
    let expired = "2001-01-01T00:00:00Z";
    format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; echo 123456\n\n{}mfa_role_arn = {ADMIN}\nmfa_via = mfa\n\n{}\n{}mfa_role_arn = {OPS}\nmfa_via = mfa\n",
        default_source(),
        managed("admin", "default", expired),
        managed("mfa", "default", expired),
        managed("ops", "default", expired),
    )
}

fn code_runs(env: &TestEnv) -> usize {
    std::fs::read_to_string(env.home().join("code-runs"))
        .map(|text| text.lines().count())
        .unwrap_or(0)
}

#[test]
fn refresh_all_asks_one_code_for_a_session_and_two_roles_derived_from_it() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let env = TestEnv::with_credentials(&expired_day());
    let out = run(env
        .mfa()
        .args(["refresh", "--all", "--endpoint-url", &moto.url()]));
    out.assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]")
        .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session")
        .assert_stderr_has("wrote [ops] in ~/.aws/credentials from [mfa]'s session");
    assert_eq!(code_runs(&env), 1, "one code for the day");
    let mfa_at = out.stderr.find("wrote [mfa]").unwrap();
    assert!(
        out.stderr.find("wrote [admin]").unwrap() > mfa_at,
        "the base first"
    );
    let status = run(env.mfa().args(["status", "--json"])).json();
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
fn the_role_requests_are_signed_with_the_sessions_key_and_carry_no_code() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&expired_day());
    run(env
        .mfa()
        .args(["refresh", "--all", "--endpoint-url", &sts.url()]))
    .assert_code(0);
    let keys = sts.signing_keys();
    assert_eq!(
        keys,
        [AKID, CANNED_KEY, CANNED_KEY],
        "GetSessionToken with the long-term key, then each AssumeRole with the session's"
    );
    let bodies = sts.requests();
    assert!(bodies[0].contains("Action=GetSessionToken") && bodies[0].contains("TokenCode=123456"));
    for body in &bodies[1..] {
        assert!(body.contains("Action=AssumeRole"), "{body}");
        assert!(
            !body.contains("TokenCode") && !body.contains("SerialNumber"),
            "{body}"
        );
    }
    assert_eq!(code_runs(&env), 1);
}

#[test]
fn via_records_the_base_and_a_fresh_base_means_no_code_at_all() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    ));
    let out = run(env.mfa().args([
        "-t",
        "admin",
        "--role-arn",
        ADMIN,
        "--via",
        "mfa",
        "--no-input",
        "--endpoint-url",
        &sts.url(),
    ]));
    out.assert_code(0).assert_stderr_has(&shown(
        "wrote [admin] in ~/.aws/credentials from [mfa]'s session",
    ));
    let text = env.read_credentials_text();
    assert!(
        text.ends_with(&format!("mfa_role_arn = {ADMIN}\nmfa_via = mfa\n")),
        "{text}"
    );
    assert_eq!(
        sts.signing_keys(),
        ["ASIAEXAMPLE"],
        "the stored session of [mfa] signs"
    );
}

#[test]
fn status_names_the_code_a_derived_target_needs_when_its_base_expired() {
    let text = format!(
        "{}\n{}\n{}mfa_role_arn = {ADMIN}\nmfa_via = mfa\n",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z"),
        managed("admin", "default", "2099-01-01T00:00:00Z")
    );
    Test::new()
        .credentials(text)
        .arg("status")
        .stdout_has("via mfa")
        .stderr_has("[admin] derives from [mfa], which has expired: `mfa-profile -t admin` asks one code, for [mfa]'s MFA device")
        .run();
}

/// Issue 20, bug 6: `status admin` looked for [admin]'s base among the targets it showed
/// (only [admin]) and called a valid [mfa] "missing".
#[test]
fn status_of_one_derived_target_finds_its_valid_base() {
    let text = format!(
        "{}\n{}\n{}mfa_role_arn = {ADMIN}\nmfa_via = mfa\n",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z"),
        managed("admin", "default", "2001-01-01T00:00:00Z")
    );
    let out = Test::new()
        .credentials(text.clone())
        .args(["status", "admin"])
        .stdout_has("admin")
        .run()
        .out;
    out.assert_stderr_lacks("missing")
        .assert_stderr_lacks("derives from");
    // With the base expired, the one target shown still gets its hint.
    let expired = text.replace("2099-01-01T00:00:00Z", "2001-01-01T00:00:00Z");
    Test::new()
        .credentials(expired)
        .args(["status", "admin"])
        .stderr_has("[admin] derives from [mfa], which has expired")
        .run();
}

#[test]
fn a_role_target_cannot_derive_from_a_role() {
    let text = format!(
        "{}\n{}mfa_role_arn = {ADMIN}\n",
        default_source(),
        managed("admin", "default", "2099-01-01T00:00:00Z")
    );
    Test::new()
        .credentials(&text)
        .args(["-t", "ops", "--role-arn", OPS, "--via", "admin", "--endpoint-url", CLOSED])
        .status(2)
        .stderr_has("[ops] cannot derive from [admin]: it holds a role's session, and a role assumed from a role (role chaining) lasts at most 1h")
        .run();
}

#[test]
fn a_role_target_with_its_own_code_waits_for_the_next_window_and_is_told_about_via() {
    if !require("setsid") {
        return;
    }
    let sts = CannedSts::start();
    let expired = "2001-01-01T00:00:00Z";
    let env = TestEnv::with_credentials(&format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; echo 123456\n\n{}\n{}mfa_role_arn = {ADMIN}\n",
        default_source(),
        managed("mfa", "default", expired),
        managed("admin", "default", expired),
    ));
    let out = run(detached(&env).args(["refresh", "--all", "--endpoint-url", &sts.url()]));
    out.assert_code(0)
        .assert_stderr_has("STS takes a code once: waiting ")
        .assert_stderr_has("tip: `mfa-profile -t admin --via mfa --force` assumes [admin]'s role with [mfa]'s session from now on, with no code of its own");
    assert_eq!(code_runs(&env), 2, "a second code, from the next window");
}

#[test]
fn a_target_cannot_derive_from_itself_nor_without_a_role() {
    let valid = "2099-01-01T00:00:00Z";
    let files = format!(
        "{}{}\n{}",
        default_source(),
        managed("mfa", "default", valid),
        managed("admin", "default", "2001-01-01T00:00:00Z")
    );
    Test::new()
        .credentials(&files)
        .args(["-t", "mfa", "--force", "--role-arn", ADMIN, "--via", "mfa"])
        .args(["--endpoint-url", CLOSED])
        .status(2)
        .stderr_has("a target cannot derive from itself")
        .run();
    let ran = Test::new()
        .credentials(&files)
        .args(["-t", "admin", "--via", "mfa", "--endpoint-url", CLOSED])
        .status(2)
        .stderr_has("a derived target assumes a role: add --role-arn ARN")
        .run();
    ran.env.assert_credentials(files.as_bytes());
}
