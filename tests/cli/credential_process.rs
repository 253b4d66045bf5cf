//! `credential-process`: the target's session as the JSON the AWS CLI and SDKs read from a
//! `credential_process` profile, refreshed first when it must be (with a code command, or a
//! code asked on the terminal, never on the streams the caller reads), the role's session for a
//! derived target, and a clear exit 4 when no code can be had; the aws CLI calling it for real.

use crate::support::*;

const VALID: &str = "2099-01-01T00:00:00Z";
const EXPIRED: &str = "2001-01-01T00:00:00Z";

fn credential_process_config(env: &TestEnv, extra: &str) {
    env.write_config(&format!(
        "{extra}[profile cp]\ncredential_process = {BIN} credential-process mfa\n"
    ));
}

#[test]
fn credential_process_prints_version_1_json() {
    let ran = Test::new()
        .credentials(with_target("mfa", VALID))
        .args(["credential-process", "mfa"])
        .run();
    let json = ran.out.json();
    assert_eq!(json["Version"], 1);
    assert_eq!(json["AccessKeyId"], "ASIAEXAMPLE");
    assert_eq!(json["Expiration"], "2099-01-01T00:00:00Z");
}

#[test]
fn credential_process_without_a_terminal_or_a_code_command_fails_clearly() {
    require!("setsid");
    let expired = with_target("mfa", EXPIRED);
    Test::new()
        .credentials(&expired)
        .detached()
        .args(["credential-process", "mfa"])
        .status(4)
        .stderr_has("[mfa] needs an MFA code for arn:aws:iam::123456789012:mfa/alice and there is no terminal to ask for it on; run `mfa-profile -t mfa` in a terminal")
        .stdout_is("")
        .run()
        .env
        .assert_credentials(expired.as_bytes());
}

#[test]
fn credential_process_serves_the_aws_cli() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let env = TestEnv::with_credentials(&with_target("mfa", VALID));
    credential_process_config(&env, "");
    let out = caller_identity(env.command("aws").args(["--profile", "cp"]), &moto);
    out.assert_code(0).assert_stdout_has("123456789012");
}

#[test]
fn credential_process_refreshes_with_mfa_process_when_the_aws_cli_calls_it() {
    let Some(moto) = Moto::start() else { return };
    require!("aws", "setsid");
    let env = TestEnv::with_credentials(&with_target("mfa", EXPIRED));
    credential_process_config(&env, "[default]\nmfa_process = echo 123456\n\n");
    let out = caller_identity(
        env.command("setsid")
            .args(["-w", "aws", "--profile", "cp"])
            .env("AWS_ENDPOINT_URL_STS", moto.url()),
        &moto,
    );
    out.assert_code(0);
    let text = env.read_credentials_text();
    let expiration = sdk_value(&text, "mfa", "expiration").unwrap();
    assert!(epoch_of(&expiration) > now() + 11 * 3600, "{expiration}");
}

#[test]
fn credential_process_asks_for_the_code_on_the_terminal_not_on_its_streams() {
    require!("script");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_target("mfa", EXPIRED));
    // `script` runs it on a pseudo-terminal and types the code there; stderr goes to
    // /dev/null, so the prompt can only have reached the terminal itself.
    let mut cmd = env.command("sh");
    cmd.env("TERM", "xterm")
        .env("AWS_ENDPOINT_URL_STS", aws.url())
        .args([
            "-c",
            &format!("(sleep 1; printf '123456\\n') | script -qec '{BIN} credential-process mfa 2>/dev/null' /dev/null"),
        ]);
    let out = run(&mut cmd);
    out.assert_code(0)
        .assert_stdout_has("MFA code for arn:aws:iam::123456789012:mfa/alice (for [mfa]): ");
    let json_line = out.stdout.lines().find(|l| l.starts_with('{')).unwrap();
    let json: serde_json::Value = serde_json::from_str(json_line.trim()).unwrap();
    let text = env.read_credentials_text();
    assert_eq!(
        json["SessionToken"],
        sdk_value(&text, "mfa", "aws_session_token").unwrap()
    );
    assert!(epoch_of(json["Expiration"].as_str().unwrap()) > now() + 11 * 3600);
    assert_eq!(param(&aws.calls()[0], "TokenCode"), Some("123456"));
}

/// Issue 22: botocore pipes a `credential_process`'s standard error and shows it only when the
/// process fails, so a code command's "Touch your YubiKey" never showed under
/// `aws --profile X-cp`; it goes to the terminal, seen while the command waits.
#[test]
fn a_code_commands_prompt_reaches_the_terminal_under_the_aws_cli() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let env = TestEnv::with_credentials(&with_target("mfa", EXPIRED));
    credential_process_config(
        &env,
        "[default]\nmfa_process = echo 'Touch your YubiKey' >&2; sleep 1; echo 123456\n\n",
    );
    let url = moto.url();
    let vars = [("AWS_ENDPOINT_URL_STS", url.as_str())];
    let aws = crate::support::pty::program_on_terminal(
        &env,
        &vars,
        "aws",
        &[
            "--profile",
            "cp",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &url,
            "sts",
            "get-caller-identity",
            "--query",
            "Account",
            "--output",
            "text",
        ],
        &[("Touch your YubiKey", "")],
    );
    let Some(ran) = aws else { return };
    assert_eq!(ran.code, 0, "{ran}");
    let touch = ran.transcript.find("Touch your YubiKey").unwrap();
    let account = ran
        .transcript
        .find("123456789012")
        .expect("the call's answer");
    assert!(touch < account, "the prompt shows before the answer: {ran}");
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
