//! `export`: the target's session as variables for a shell (POSIX sh by default, PowerShell on
//! Windows, fish, cmd, dotenv, the credential-process JSON), evaluated by `sh` for the aws CLI;
//! an expired, missing or long-term target refused with nothing printed, `--refresh` refreshing
//! it first. What a hostile session cannot make a shell run is in `security.rs`.

use crate::support::*;

const VALID: &str = "2099-01-01T00:00:00Z";
const EXPIRED: &str = "2001-01-01T00:00:00Z";

/// A source `[work]` and its target `[work-mfa]`, valid for six more hours.
fn source_and_valid_target() -> String {
    let expiration = mfa_profile::rfc3339(now() + 6 * 3600);
    format!(
        "[work]\r\naws_access_key_id = {AKID}\r\naws_secret_access_key = {SECRET}\r\nmfa_serial = {SERIAL}\r\n\r\n\
[work-mfa]\r\naws_access_key_id = ASIAEXAMPLE\r\naws_secret_access_key = sessionsecret\r\n\
aws_session_token = sessiontoken\r\nexpiration = {expiration}\r\nmfa_source_profile = work\r\n"
    )
}

fn work_pair() -> String {
    format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n\n{}",
        default_source(),
        managed("work-mfa", "work", EXPIRED)
    )
}

/// What every platform shares (scripts/test-windows.sh runs it against the Windows exe).
#[test]
fn export_prints_the_platforms_shell_by_default() {
    let env = TestEnv::with_credentials(&source_and_valid_target());
    let out = Test::on(&env).args(["export", "work-mfa"]).run().out;
    let first = out.stdout.lines().next().unwrap_or_default();
    if testing_windows_exe() {
        assert_eq!(first, "$Env:AWS_ACCESS_KEY_ID='ASIAEXAMPLE'", "PowerShell");
    } else {
        assert_eq!(first, "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'", "POSIX sh");
    }
    let env_format = Test::on(&env)
        .args(["export", "work-mfa", "--format", "env"])
        .run()
        .out;
    assert!(env_format
        .stdout
        .starts_with("export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"));
}

#[test]
fn export_is_evaluated_by_sh_and_the_aws_cli_signs_with_it() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let env = TestEnv::with_credentials(&with_target("mfa", VALID));
    // Only the exported variables can work: the command reads no credentials file.
    let script = format!(
        "set -e; eval \"$('{BIN}' export)\"; echo \"$AWS_SESSION_TOKEN $AWS_CREDENTIAL_EXPIRATION\"; \
         AWS_SHARED_CREDENTIALS_FILE=/nonexistent aws --region us-east-1 --endpoint-url {} sts get-caller-identity --output json",
        moto.url()
    );
    let out = run(env.command("sh").args(["-c", &script]));
    out.assert_code(0)
        .assert_stdout_has("\"Account\": \"123456789012\"");
    assert!(
        out.stdout
            .starts_with("sessiontoken 2099-01-01T00:00:00Z\n"),
        "{out}"
    );
}

#[test]
fn export_formats_print_their_own_syntax() {
    let original = with_target("mfa", VALID);
    let env = TestEnv::with_credentials(&original);
    let plain = Test::on(&env)
        .args(["export", "--format", "env-no-export"])
        .run()
        .out;
    assert!(
        plain
            .stdout
            .starts_with("AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"),
        "{plain}"
    );
    for (format, first) in [
        ("powershell", "$Env:AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"),
        ("windows-cmd", "set \"AWS_ACCESS_KEY_ID=ASIAEXAMPLE\""),
        ("fish", "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'"),
        ("dotenv", "AWS_ACCESS_KEY_ID=ASIAEXAMPLE"),
    ] {
        let out = Test::on(&env)
            .args(["export", "mfa", "--format", format])
            .run()
            .out;
        assert_eq!(out.stdout.lines().next(), Some(first), "{format}");
        assert_eq!(out.stdout.lines().count(), 4, "{format}");
    }
    env.assert_credentials(original.as_bytes());
}

#[test]
fn export_format_process_prints_the_credential_process_json() {
    let ran = Test::new()
        .credentials(with_target("mfa", VALID))
        .args(["export", "--format", "process"])
        .run();
    assert_eq!(ran.out.json()["SessionToken"], "sessiontoken");
}

#[test]
fn export_refuses_an_expired_target_and_prints_nothing() {
    let original = with_target("mfa", EXPIRED);
    let ran = Test::new()
        .credentials(&original)
        .arg("export")
        .status(1)
        .stderr_has("the session in [mfa] expired")
        .stderr_has("--refresh")
        .stdout_is("")
        .run();
    ran.out.assert_silent_about("sessionsecret");
    ran.env.assert_credentials(original.as_bytes());
}

#[test]
fn export_refuses_a_missing_target() {
    Test::new()
        .credentials(with_target("mfa", EXPIRED))
        .args(["export", "nope"])
        .status(2)
        .stderr_has("[nope] in ~/.aws/credentials does not exist")
        .run()
        .out
        .assert_silent_about("sessionsecret");
}

#[test]
fn export_warns_about_a_session_inside_min_remaining_and_still_prints_it() {
    let soon = mfa_profile::rfc3339(now() + 300);
    Test::new()
        .credentials(with_target("mfa", &soon))
        .arg("export")
        .stderr_has("warning: the session in [mfa] expires in")
        .stdout_has("export AWS_SESSION_TOKEN='sessiontoken'")
        .run();
}

/// Also stands for daily's `export_refresh_refreshes_an_expired_target_first` (merged here:
/// the token printed is the one written, and the source is untouched).
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
    let text = ran.env.read_credentials_text();
    let token = sdk_value(&text, "mfa", "aws_session_token").unwrap();
    assert_ne!(token, "sessiontoken");
    assert_eq!(exported("AWS_SESSION_TOKEN"), token, "the session written");
    assert!(
        text.starts_with(&default_source()),
        "the source is untouched"
    );
}

#[test]
fn exporting_a_long_term_profile_points_to_its_session_target() {
    Test::new()
        .credentials(work_pair())
        .args(["export", "work"])
        .status(2)
        .stderr_has("[work] in ~/.aws/credentials holds long-term keys, not a session; use its session target [work-mfa]")
        .run()
        .out
        .assert_stderr_lacks("--force");
}

#[test]
fn an_old_expiry_is_said_with_its_date() {
    Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", "2001-01-01T00:00:00Z")
        ))
        .arg("export")
        .status(1)
        .stderr_has("the session in [mfa] expired on 2001-01-01 00:00 UTC (")
        .stderr_has(" days ago)")
        .run();
}
