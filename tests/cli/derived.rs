//! Derived targets: a role assumed with a managed session's credentials (`--via`), so one code
//! a day serves every role of a device: signed with the base's session and no code, the base
//! refreshed first when stale (one code), role chaining's one-hour cap said before any call,
//! `status` naming the code a derived target needs, and what cannot be derived. `refresh --all`
//! of a whole day is in `refresh_all.rs`.

use crate::support::*;

const CODE: &str = "123456";
const EXPIRED: &str = "2001-01-01T00:00:00Z";
const ADMIN: &str = ADMIN_ROLE;
const OPS: &str = OPS_ROLE;

fn code_runs(env: &TestEnv) -> usize {
    std::fs::read_to_string(env.home().join("code-runs"))
        .map(|text| text.lines().count())
        .unwrap_or(0)
}

/// Also stands for aws_rules' `a_derived_target_assumes_the_role_with_the_bases_mfa_session_and_no_code`
/// (merged here: the same run, checked by the stand-in).
#[test]
fn via_records_the_base_and_a_fresh_base_means_no_code_at_all() {
    let aws = StandIn::start();
    let file = with_mfa_session(&aws, 12 * 3600, "");
    let base_key = sdk_value(&file, "mfa", "aws_access_key_id").unwrap();
    let env = TestEnv::with_credentials(&file);
    Test::on(&env)
        .args([
            "-t",
            "admin",
            "--role-arn",
            ADMIN,
            "--via",
            "mfa",
            "--no-input",
        ])
        .args(["--endpoint-url", &aws.url()])
        .stderr_has(&shown(
            "wrote [admin] in ~/.aws/credentials from [mfa]'s session",
        ))
        .run();
    let text = env.read_credentials_text();
    assert!(
        text.ends_with(&format!("mfa_role_arn = {ADMIN}\nmfa_via = mfa\n")),
        "{text}"
    );
    let calls = aws.calls();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    assert_eq!(
        calls[0].key_id, base_key,
        "the stored session of [mfa] signs"
    );
    assert_eq!(param(&calls[0], "TokenCode"), None);
    assert_eq!(
        calls[0].status, 200,
        "the MFA session meets the trust policy"
    );
    assert!(
        lasts(&aws, &env, "admin") <= 3_600,
        "role chaining: an hour at most"
    );
    assert_works_as(&aws, &env, "admin", ADMIN_ARN);
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
    require!("setsid");
    let aws = StandIn::start();
    let expired = "2001-01-01T00:00:00Z";
    let env = TestEnv::with_credentials(&format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; echo 123456\n\n{}\n{}mfa_role_arn = {ADMIN}\n",
        default_source(),
        managed("mfa", "default", expired),
        managed("admin", "default", expired),
    ));
    Test::on(&env)
        .detached()
        .args(["refresh", "--all", "--endpoint-url", &aws.url()])
        .stderr_has("STS takes a code once: waiting ")
        .stderr_has("tip: `mfa-profile -t admin --via mfa --force` assumes [admin]'s role with [mfa]'s session from now on, with no code of its own")
        .run();
    assert_eq!(code_runs(&env), 2, "a second code, from the next window");
    assert_eq!(aws.actions(), ["GetSessionToken", "AssumeRole"]);
    assert!(
        aws.calls().iter().all(|c| c.status == 200),
        "{:?}",
        aws.calls()
    );
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

#[test]
fn a_derived_target_whose_base_is_stale_refreshes_the_base_first_with_one_code() {
    let aws = StandIn::start();
    let file = format!(
        "{}\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n",
        with_mfa_session(&aws, -60, ""),
        managed("admin", "default", EXPIRED)
    );
    let ran = at(&aws, Test::new().credentials(&file))
        .args(["-t", "admin", "--code-command", "echo 123456"])
        .stderr_has("refreshed [mfa] first")
        .stderr_has("wrote [admin]")
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken", "AssumeRole"]);
    let calls = aws.calls();
    let text = ran.env.read_credentials_text();
    assert_eq!(
        Some(calls[1].key_id.clone()),
        sdk_value(&text, "mfa", "aws_access_key_id"),
        "the role assumed with the base just refreshed"
    );
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
}

/// A derived target is role chaining, which STS caps at one hour (asked for four, STS refuses:
/// ValidationError "The requested DurationSeconds exceeds the 1 hour session limit for roles
/// assumed by role chaining."): the tool refuses before any call (issue 22 §2), and the way
/// out it names works.
#[test]
fn a_derived_target_asked_for_more_than_an_hour_is_told_of_the_one_hour_cap() {
    let aws = StandIn::start();
    let file = with_mfa_session(&aws, 12 * 3600, "");
    let env = TestEnv::with_credentials(&file);
    aws.next_code_window();
    let out = Test::on(&env)
        .env("AWS_ENDPOINT_URL_STS", aws.url())
        .args(["-t", "admin", "--role-arn", ADMIN_ROLE, "--via", "mfa"])
        .args(["-d", "4h", "--no-input"])
        .status(2)
        .stderr_has("STS gives such a chained role session at most 1h")
        .run()
        .out;
    assert_eq!(env.read_credentials_text(), file, "nothing written");
    assert!(
        aws.calls().is_empty(),
        "refused before any call: {:?}",
        aws.calls()
    );
    // The way out it names: the role assumed with the long-term key and a code, for 4h.
    let command = hinted(&out.stderr, "mfa-profile -s default -t admin");
    let url = aws.url();
    run_hint(&env, &command, [CODE, "--endpoint-url", &url]).assert_code(0);
    let assumed = aws
        .calls()
        .into_iter()
        .find(|c| c.action == "AssumeRole")
        .unwrap();
    assert_eq!(assumed.key_id, AKID, "the long-term key signs");
    let text = env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "admin", "mfa_via"),
        None,
        "no longer derived"
    );
    let expires = epoch_of(&sdk_value(&text, "admin", "expiration").unwrap());
    assert!((expires - now() - 4 * 3600).abs() < 120, "4h");
}

/// Issue 22 §2: a derived target that recorded `mfa_duration` over an hour (an older version, a
/// hand edit) is capped at one hour with a notice, by every command that refreshes it (each
/// sent 4h before, and STS refused).
#[test]
fn a_derived_target_that_recorded_four_hours_is_capped_at_an_hour_by_every_command() {
    let commands: [&[&str]; 5] = [
        &["-t", "admin", "--no-input"],
        &["refresh", "--all", "--no-input"],
        &["exec", "-t", "admin", "--no-input", "--", "true"],
        &["export", "admin", "--refresh", "--no-input"],
        &["credential-process", "admin", "--no-input"],
    ];
    for args in commands {
        let aws = StandIn::start();
        let target = format!(
            "\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\nmfa_duration = 14400\n",
            managed("admin", "default", EXPIRED)
        );
        let file = with_mfa_session(&aws, 12 * 3600, &target);
        let ran = at(&aws, Test::new().credentials(&file))
            .args(args)
            .stderr_has("[admin] asks for 4h, but its role is assumed with [mfa]'s session and STS gives such a chained role session at most 1h")
            .run();
        let assumed: Vec<Option<String>> = aws
            .calls()
            .into_iter()
            .filter(|c| c.action == "AssumeRole")
            .map(|c| c.params.get("DurationSeconds").cloned())
            .collect();
        assert!(
            matches!(assumed.as_slice(), [None] | [Some(_)] if assumed[0].as_deref().unwrap_or("3600") == "3600"),
            "one AssumeRole for an hour: {assumed:?} {args:?}\n{}",
            ran.out
        );
        assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
    }
}

/// The notice of the cut names the way to the length recorded: the command makes the target a
/// role target of its own (the long-term key and a code), with its 4h.
#[test]
fn a_derived_target_that_recorded_four_hours_is_made_a_role_target_by_the_command_named() {
    let aws = StandIn::start();
    let target = format!(
        "\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\nmfa_duration = 14400\n",
        managed("admin", "default", EXPIRED)
    );
    let file = with_mfa_session(&aws, 12 * 3600, &target);
    let ran = at(&aws, Test::new().credentials(&file))
        .args(["-t", "admin"])
        .stderr_has("asking for 1h")
        .run();
    let command = hinted(&ran.out.stderr, "mfa-profile -s default -t admin");
    aws.next_code_window();
    ran.env.next_code_window();
    let url = aws.url();
    run_hint(&ran.env, &command, [CODE, "--endpoint-url", &url]).assert_code(0);
    let assumed = aws
        .calls()
        .into_iter()
        .rfind(|c| c.action == "AssumeRole")
        .unwrap();
    assert_eq!(assumed.key_id, AKID, "the long-term key signs");
    assert_eq!(
        assumed.params.get("DurationSeconds").map(String::as_str),
        Some("14400")
    );
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "admin", "mfa_via"),
        None,
        "no longer derived"
    );
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
}
