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
fn a_role_target_assumes_the_role_with_the_long_term_key_and_a_code() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            CODE,
        ])
        .stderr_has("wrote [admin]")
        .run();
    let calls = aws.calls();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    assert_eq!(calls[0].key_id, AKID);
    assert_eq!(param(&calls[0], "RoleArn"), Some(ADMIN_ROLE));
    assert_eq!(
        param(&calls[0], "RoleSessionName"),
        Some("mfa-profile-default")
    );
    assert_eq!(param(&calls[0], "SerialNumber"), Some(SERIAL));
    assert_eq!(param(&calls[0], "TokenCode"), Some(CODE));
    assert!(
        (lasts(&aws, &ran.env, "admin") - 3_600).abs() <= 5,
        "1h by default"
    );
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
}

#[test]
fn a_role_target_gets_twelve_hours_when_the_role_allows_it() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            "-d",
            "12h",
            CODE,
        ])
        .run();
    assert_eq!(param(&aws.calls()[0], "DurationSeconds"), Some("43200"));
    assert!((lasts(&aws, &ran.env, "admin") - 43_200).abs() <= 5);
}

#[test]
fn a_role_target_beyond_the_roles_maximum_gets_stss_refusal() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "ops",
            "--role-arn",
            OPS_ROLE,
            "-d",
            "4h",
            CODE,
        ])
        .status(1)
        .stderr_has("MaxSessionDuration")
        .run();
    assert_eq!(aws.calls()[0].code.as_deref(), Some("ValidationError"));
    assert_eq!(ran.env.read_credentials_text(), default_source());
}

#[test]
fn a_role_target_with_a_session_name_and_external_id() {
    let aws = StandIn::start();
    aws.require_external_id("admin", "partner-1234");
    let ran = against(&aws)
        .args(["-s", "default", "-t", "admin", "--role-arn", ADMIN_ROLE])
        .args([
            "--role-session-name",
            "alice@example.com",
            "--external-id",
            "partner-1234",
            CODE,
        ])
        .run();
    assert_eq!(param(&aws.calls()[0], "ExternalId"), Some("partner-1234"));
    assert_works_as(
        &aws,
        &ran.env,
        "admin",
        "arn:aws:sts::123456789012:assumed-role/admin/alice@example.com",
    );
}

#[test]
fn a_role_a_user_may_not_assume_is_denied_and_nothing_is_written() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "nobody",
            "--role-arn",
            "arn:aws:iam::123456789012:role/nobody",
            CODE,
        ])
        .status(1)
        .run();
    assert_eq!(
        aws.calls()[0].code.as_deref(),
        Some("AccessDenied"),
        "{}",
        ran.out
    );
    assert_eq!(ran.env.read_credentials_text(), default_source());
}

#[test]
fn a_derived_target_assumes_the_role_with_the_bases_mfa_session_and_no_code() {
    let aws = StandIn::start();
    let file = with_mfa_session(&aws, 12 * 3600, "");
    let base_key = sdk_value(&file, "mfa", "aws_access_key_id").unwrap();
    let ran = at(&aws, Test::new().credentials(&file))
        .args([
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            "--via",
            "mfa",
            "--no-input",
        ])
        .stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session")
        .run();
    let calls = aws.calls();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    assert_eq!(calls[0].key_id, base_key, "signed with the base's session");
    assert_eq!(param(&calls[0], "TokenCode"), None);
    assert_eq!(
        calls[0].status, 200,
        "the MFA session meets the trust policy"
    );
    assert!(
        lasts(&aws, &ran.env, "admin") <= 3_600,
        "role chaining: an hour at most"
    );
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
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
    let out = run(env
        .mfa()
        .env("AWS_ENDPOINT_URL_STS", aws.url())
        .args([
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            "--via",
            "mfa",
            "-d",
            "4h",
        ])
        .arg("--no-input"));
    out.assert_code(2)
        .assert_stderr_has("STS gives such a chained role session at most 1h");
    assert_eq!(env.read_credentials_text(), file, "nothing written");
    assert!(
        aws.calls().is_empty(),
        "refused before any call: {:?}",
        aws.calls()
    );
    // The way out it names: the role assumed with the long-term key and a code, for 4h.
    let command = crate::support::hints::hinted(&out.stderr, "mfa-profile -s default -t admin");
    let url = aws.url();
    crate::support::hints::run_hint(&env, &command, &[CODE, "--endpoint-url", &url]).assert_code(0);
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
    let command = crate::support::hints::hinted(&ran.out.stderr, "mfa-profile -s default -t admin");
    aws.next_code_window();
    ran.env.next_code_window();
    let url = aws.url();
    crate::support::hints::run_hint(&ran.env, &command, &[CODE, "--endpoint-url", &url])
        .assert_code(0);
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

#[test]
fn refresh_all_asks_one_code_and_derives_both_roles_from_the_fresh_session() {
    let aws = StandIn::start();
    let file = format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; echo 123456\n\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n\n{}\n{}mfa_role_arn = {OPS_ROLE}\nmfa_via = mfa\n",
        default_source(),
        managed("admin", "default", EXPIRED),
        managed("mfa", "default", EXPIRED),
        managed("ops", "default", EXPIRED),
    );
    let ran = at(&aws, Test::new().credentials(&file))
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
fn exec_refreshes_an_expired_target_and_the_command_uses_the_session() {
    let aws = StandIn::start();
    let file = format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", EXPIRED)
    );
    let ran = at(&aws, Test::new().credentials(&file))
        .args(["exec", "-t", "mfa", "--code-command", "echo 123456"])
        .args(["--", "sh", "-c", "echo \"$AWS_PROFILE\""])
        .stdout_is("mfa\n")
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    assert_works_as(&aws, &ran.env, "mfa", USER_ARN);
}

#[test]
fn exec_of_a_derived_target_assumes_the_role_with_the_valid_base() {
    let aws = StandIn::start();
    let file = with_mfa_session(
        &aws,
        12 * 3600,
        &format!(
            "\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n",
            managed("admin", "default", EXPIRED)
        ),
    );
    let ran = at(&aws, Test::new().credentials(&file))
        .args(["exec", "-t", "admin", "--no-input", "--", "true"])
        .run();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
}

#[test]
fn export_refresh_prints_the_session_sts_issued() {
    let aws = StandIn::start();
    let file = format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", EXPIRED)
    );
    let ran = at(&aws, Test::new().credentials(&file))
        .args([
            "export",
            "mfa",
            "--refresh",
            "--code-command",
            "echo 123456",
        ])
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    let exported = |name: &str| {
        ran.out
            .stdout
            .lines()
            .find_map(|l| {
                l.strip_prefix(&format!("export {name}='"))?
                    .strip_suffix('\'')
            })
            .unwrap_or_else(|| panic!("{name} not exported\n{}", ran.out))
            .to_owned()
    };
    let arn = aws.caller_arn(
        &exported("AWS_ACCESS_KEY_ID"),
        &exported("AWS_SECRET_ACCESS_KEY"),
        Some(&exported("AWS_SESSION_TOKEN")),
    );
    assert_eq!(arn.as_deref(), Ok(USER_ARN));
}

#[test]
fn credential_process_refreshes_with_the_code_command_and_prints_a_working_session() {
    let aws = StandIn::start();
    let file = format!(
        "{}mfa_process = echo 123456\n\n{}",
        default_source(),
        managed("mfa", "default", EXPIRED)
    );
    let ran = at(&aws, Test::new().credentials(&file))
        .args(["credential-process", "mfa"])
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    let json = ran.out.json();
    assert_eq!(json["Version"], 1);
    let arn = aws.caller_arn(
        json["AccessKeyId"].as_str().unwrap(),
        json["SecretAccessKey"].as_str().unwrap(),
        json["SessionToken"].as_str(),
    );
    assert_eq!(arn.as_deref(), Ok(USER_ARN));
}

#[test]
fn credential_process_of_a_derived_target_prints_the_roles_session() {
    let aws = StandIn::start();
    let file = with_mfa_session(
        &aws,
        12 * 3600,
        &format!(
            "\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n",
            managed("admin", "default", EXPIRED)
        ),
    );
    let ran = at(&aws, Test::new().credentials(&file))
        .args(["credential-process", "admin", "--no-input"])
        .run();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    let json = ran.out.json();
    let arn = aws.caller_arn(
        json["AccessKeyId"].as_str().unwrap(),
        json["SecretAccessKey"].as_str().unwrap(),
        json["SessionToken"].as_str(),
    );
    assert_eq!(arn.as_deref(), Ok(ADMIN_ARN));
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

#[test]
fn rotate_calls_sts_and_iam_with_the_right_keys_and_the_new_key_works() {
    let aws = StandIn::start();
    aws.new_keys_known_after(1);
    let ran = at(&aws, Test::new().credentials(default_source()))
        .arg("rotate")
        .args(aws.endpoints())
        .args(["--code-command", "echo 123456", "--delete"])
        .stderr_has("rotated [default]")
        .run();
    let actions = aws.actions();
    assert_eq!(
        actions[..2],
        ["GetCallerIdentity", "GetSessionToken"],
        "{actions:?}"
    );
    let calls = aws.calls();
    assert_eq!(
        (calls[0].key_id.as_str(), calls[1].key_id.as_str()),
        (AKID, AKID)
    );
    let keys = aws.keys(USER);
    assert_eq!(keys.len(), 1, "the old key deleted: {keys:?}");
    let new_key = keys[0].0.clone();
    let checks: Vec<&Call> = calls
        .iter()
        .filter(|c| c.action == "GetCallerIdentity" && c.key_id == new_key)
        .collect();
    assert_eq!(
        checks.iter().map(|c| c.status).collect::<Vec<_>>(),
        [403, 200],
        "the new key waited for until STS knows it"
    );
    assert_eq!(
        param(&calls[1], "TokenCode"),
        Some(CODE),
        "the MFA session for IAM"
    );
    for call in calls.iter().filter(|c| {
        [
            "ListAccessKeys",
            "CreateAccessKey",
            "UpdateAccessKey",
            "DeleteAccessKey",
        ]
        .contains(&c.action.as_str())
    }) {
        assert!(
            call.key_id.starts_with("ASIASTANDIN"),
            "IAM signed with the MFA session: {call:?}"
        );
        assert_eq!(call.status, 200, "{call:?}");
    }
    assert_works_as(&aws, &ran.env, "default", USER_ARN);
}
