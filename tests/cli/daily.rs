//! The daily commands end to end: `export` evaluated by `sh`, `credential-process` called by
//! the aws CLI, `exec`, `refresh --all`, AssumeRole, code commands, `AWS_PROFILE`, completions
//! and the man page.

use crate::harness::*;

fn with_target(target: &str, expiration: &str) -> String {
    format!(
        "{}\n{}",
        default_source(),
        managed(target, "default", expiration)
    )
}

const VALID: &str = "2099-01-01T00:00:00Z";
const EXPIRED: &str = "2001-01-01T00:00:00Z";

#[test]
fn export_is_evaluated_by_sh_and_the_aws_cli_signs_with_it() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
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
    let plain = run(env.mfa().args(["export", "--format", "env-no-export"]));
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
        let out = run(env.mfa().args(["export", "mfa", "--format", format]));
        out.assert_code(0);
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
fn export_refresh_refreshes_an_expired_target_first() {
    let Some(moto) = Moto::start() else { return };
    let ran = Test::new()
        .credentials(with_target("mfa", EXPIRED))
        .env("AWS_ENDPOINT_URL_STS", moto.url())
        .args([
            "export",
            "--refresh",
            "--code-command",
            "echo 'code: 123456'",
        ])
        .run();
    let text = ran.env.read_credentials_text();
    let token = sdk_value(&text, "mfa", "aws_session_token").unwrap();
    assert_ne!(token, "sessiontoken");
    ran.out
        .assert_stdout_has(&format!("export AWS_SESSION_TOKEN='{token}'"));
    assert!(
        text.starts_with(&default_source()),
        "the source is untouched"
    );
}

fn credential_process_config(env: &TestEnv, extra: &str) {
    env.write_config(&format!(
        "{extra}[profile cp]\ncredential_process = {BIN} credential-process mfa\n"
    ));
}

#[test]
fn credential_process_serves_the_aws_cli() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let env = TestEnv::with_credentials(&with_target("mfa", VALID));
    credential_process_config(&env, "");
    let out = caller_identity(env.command("aws").args(["--profile", "cp"]), &moto);
    out.assert_code(0).assert_stdout_has("123456789012");
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
    if !require("setsid") {
        return;
    }
    let expired = with_target("mfa", EXPIRED);
    let env = TestEnv::with_credentials(&expired);
    let out = run(detached(&env).args(["credential-process", "mfa"]));
    out.assert_code(4)
        .assert_stderr_has("[mfa] needs an MFA code for arn:aws:iam::123456789012:mfa/alice and there is no terminal to ask for it on; run `mfa-profile -t mfa` in a terminal");
    assert!(out.stdout.is_empty(), "{out}");
    env.assert_credentials(expired.as_bytes());
}

#[test]
fn credential_process_refreshes_with_mfa_process_when_the_aws_cli_calls_it() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") || !require("setsid") {
        return;
    }
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
fn exec_passes_on_the_exit_code_and_removes_shadowing_variables() {
    Test::new()
        .credentials(with_target("work-mfa", VALID))
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .env("AWS_SESSION_TOKEN", "shadow")
        .env("AWS_DEFAULT_PROFILE", "default")
        .args(["exec", "-t", "work-mfa", "--", "sh", "-c"])
        .arg("echo \"$AWS_PROFILE ${AWS_ACCESS_KEY_ID-unset} ${AWS_SESSION_TOKEN-unset} ${AWS_DEFAULT_PROFILE-unset} $1\"; exit 7")
        .args(["sh", "arg one"])
        .status(7)
        .stdout_is("work-mfa unset unset unset arg one\n")
        .run();
}

/// Issue 20: `exec -t mfa` with no command starts the user's shell (`$SHELL`), as aws-vault
/// does, with the profile set.
#[test]
fn exec_with_no_command_starts_the_users_shell() {
    let env = TestEnv::with_credentials(&with_target("work-mfa", VALID));
    let shell = env.home().join("my-shell");
    std::fs::write(
        &shell,
        "#!/bin/sh\necho \"shell with $AWS_PROFILE\"\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(&shell, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    Test::in_env(env)
        .env("SHELL", &shell)
        .args(["exec", "-t", "work-mfa"])
        .status(3)
        .stdout_is("shell with work-mfa\n")
        .run();
    Test::new()
        .credentials(with_target("work-mfa", VALID))
        .env("SHELL", "")
        .args(["exec", "-t", "work-mfa"])
        .status(127)
        .stderr_has(
            "no command was given and SHELL names no shell to start; give the command after --",
        )
        .run();
}

#[test]
fn exec_of_a_missing_command_exits_127() {
    Test::new()
        .credentials(with_target("work-mfa", VALID))
        .args(["exec", "-t", "work-mfa", "--", "no-such-command-x"])
        .status(127)
        .stderr_has("cannot run `no-such-command-x`")
        .run();
}

#[test]
fn exec_of_a_file_that_cannot_run_exits_126() {
    let env = TestEnv::with_credentials(&with_target("mfa", VALID));
    let script = env.home().join("not-executable");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    Test::in_env(env)
        .arg("exec")
        .arg("--")
        .arg(&script)
        .status(126)
        .stderr_has("cannot run")
        .run();
}

#[test]
fn exec_without_a_target_uses_aws_profile_naming_a_managed_target() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let env = TestEnv::with_credentials(&with_target("work-mfa", VALID));
    let out = caller_identity(
        env.mfa()
            .env("AWS_PROFILE", "work-mfa")
            .args(["exec", "--", "aws"]),
        &moto,
    );
    out.assert_code(0).assert_stdout_has("123456789012");
}

#[test]
fn exec_refreshes_an_expired_target_first() {
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(with_target("work-mfa", EXPIRED))
        .env("AWS_ENDPOINT_URL_STS", sts.url())
        .args(["exec", "-t", "work-mfa", "--code-command", "echo 123456"])
        .args(["--", "true"])
        .stderr_has("wrote [work-mfa]")
        .run();
    ran.env
        .assert_credentials(&expected("exec-refreshed.credentials"));
}

#[test]
fn refresh_all_reports_a_failing_pair_and_still_refreshes_the_other() {
    let Some(moto) = Moto::start() else { return };
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
        .args(["refresh", "--all", "--json", "--endpoint-url", &moto.url()])
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

const ROLE: &str = "arn:aws:iam::123456789012:role/admin";

#[test]
fn assume_role_is_recorded_and_lasts_1h_by_default() {
    let Some(moto) = Moto::start() else { return };
    let ran = Test::new()
        .credentials(default_source())
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ROLE,
            "--external-id",
            "partner-42",
        ])
        .args(["123456", "--endpoint-url", &moto.url()])
        .run();
    let text = ran.env.read_credentials_text();
    let value = |k| sdk_value(&text, "admin", k);
    assert_eq!(value("mfa_role_arn").as_deref(), Some(ROLE));
    assert_eq!(value("mfa_external_id").as_deref(), Some("partner-42"));
    assert_eq!(
        value("mfa_role_session_name"),
        None,
        "derived, not recorded"
    );
    let expires = epoch_of(&value("expiration").unwrap());
    assert!(
        (expires - now() - 3600).abs() < 120,
        "a role session lasts 1h by default"
    );
    assert!(value("aws_session_token").is_some());
}

#[test]
fn a_recorded_role_is_repeated_with_the_length_asked_for() {
    let Some(moto) = Moto::start() else { return };
    let first = Test::new()
        .credentials(default_source())
        .args(["-s", "default", "-t", "admin", "--role-arn", ROLE, "123456"])
        .args(["--endpoint-url", &moto.url()])
        .run();
    let ran = Test::in_env(first.env)
        .args(["-t", "admin", "--force", "-d", "2h", "123456"])
        .args(["--endpoint-url", &moto.url()])
        .run();
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "admin", "mfa_role_arn").as_deref(),
        Some(ROLE)
    );
    let expires = epoch_of(&sdk_value(&text, "admin", "expiration").unwrap());
    assert!((expires - now() - 7200).abs() < 120);
}

#[test]
fn a_user_arn_given_as_the_role_is_refused() {
    Test::new()
        .credentials(default_source())
        .args([
            "-t",
            "x",
            "--role-arn",
            "arn:aws:iam::123456789012:user/bob",
        ])
        .arg("123456")
        .status(2)
        .stderr_has("is not a role ARN")
        .run();
}

#[test]
fn role_parameters_are_checked_before_any_code_or_call() {
    for (flag, value, message) in [
        (
            "--external-id",
            "has space",
            "external ID `has space` is not 2 to 1224",
        ),
        (
            "--role-session-name",
            "a/b",
            "role session name `a/b` is not 2 to 64",
        ),
    ] {
        Test::new()
            .credentials(default_source())
            .args(["-t", "admin", "--role-arn", ROLE, flag, value, "123456"])
            .args(["--endpoint-url", CLOSED])
            .status(2)
            .stderr_has(message)
            .run();
    }
}

#[test]
fn code_command_failure_is_reported_with_its_stderr() {
    let ran = Test::new()
        .credentials(default_source())
        .args([
            "--code-command",
            "echo 'ykman: no YubiKey detected' >&2; exit 3",
        ])
        .args(["--endpoint-url", CLOSED])
        .status(1)
        .stderr_has("failed (exit status 3): ykman: no YubiKey detected")
        .run();
    ran.env.assert_credentials(default_source().as_bytes());
}

fn two_pairs() -> String {
    format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n\n{}",
        default_source(),
        managed("work-mfa", "work", EXPIRED)
    )
}

#[test]
fn aws_profile_naming_a_managed_target_selects_it() {
    let sts = CannedSts::start();
    Test::new()
        .credentials(two_pairs())
        .env("AWS_PROFILE", "work-mfa")
        .args(["123456", "--endpoint-url", &sts.url()])
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
}

#[test]
fn aws_profile_naming_a_source_refreshes_that_sources_target() {
    let sts = CannedSts::start();
    Test::new()
        .credentials(two_pairs())
        .env("AWS_PROFILE", "work")
        .args(["123456", "--endpoint-url", &sts.url()])
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        Test::new()
            .args(["completions", shell])
            .stdout_has("credential-process")
            .run();
    }
}

#[test]
fn bash_loads_the_completion_script() {
    if !require("bash") {
        return;
    }
    let env = TestEnv::new();
    let script = format!("source <('{BIN}' completions bash) && complete -p mfa-profile");
    run(env.command("bash").args(["-c", &script])).assert_code(0);
}

#[test]
fn the_man_page_lists_the_commands() {
    let ran = Test::new()
        .arg("man")
        .stdout_has("credential\\-process")
        .run();
    let page = &ran.out.stdout;
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH mfa-profile"),
        "{}",
        &page[..200.min(page.len())]
    );
}

fn work_with_region() -> TestEnv {
    let env = TestEnv::with_credentials(&format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
    ));
    env.write_config(WORK_CONFIG);
    env
}

const WORK_CONFIG: &str = "# work account\n[profile work]\nregion = eu-west-1\n";

fn refresh_work(env: TestEnv, sts: &CannedSts, extra: &[&str]) -> Ran {
    Test::in_env(env)
        .args([
            "-s",
            "work",
            "--force",
            "123456",
            "--endpoint-url",
            &sts.url(),
        ])
        .args(extra)
        .run()
}

#[test]
fn no_config_leaves_the_config_file_alone() {
    let sts = CannedSts::start();
    let ran = refresh_work(work_with_region(), &sts, &["--no-config"]);
    assert_eq!(ran.env.read_config_text(), WORK_CONFIG);
}

#[test]
fn the_sources_region_is_carried_over_to_the_targets_config_profile_once() {
    let sts = CannedSts::start();
    let ran = refresh_work(work_with_region(), &sts, &[]);
    ran.out.assert_stderr_has(
        "added region = eu-west-1 (from [work]) to [profile work-mfa] in ~/.aws/config",
    );
    let written = format!("{WORK_CONFIG}\n[profile work-mfa]\nregion = eu-west-1\n");
    assert_eq!(ran.env.read_config_text(), written);
    let again = refresh_work(ran.env, &sts, &[]);
    again.out.assert_stderr_lacks("added region");
    assert_eq!(again.env.read_config_text(), written);
}

#[test]
fn the_aws_cli_reads_the_carried_over_region() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let ran = Test::in_env(work_with_region())
        .args(["-s", "work", "123456", "--endpoint-url", &moto.url()])
        .run();
    let env = ran.env;
    let out = run(env
        .command("aws")
        .args(["configure", "get", "region", "--profile", "work-mfa"]));
    assert_eq!(out.stdout.trim(), "eu-west-1", "{out}");
    // With no --region anywhere, the aws CLI signs for the carried-over region.
    let out = run(env.command("aws").args([
        "--profile",
        "work-mfa",
        "--endpoint-url",
        &moto.url(),
        "sts",
        "get-caller-identity",
    ]));
    out.assert_code(0);
}

#[test]
fn credential_process_asks_for_the_code_on_the_terminal_not_on_its_streams() {
    let Some(moto) = Moto::start() else { return };
    if !require("script") {
        return;
    }
    let env = TestEnv::with_credentials(&with_target("mfa", EXPIRED));
    // `script` runs it on a pseudo-terminal and types the code there; stderr goes to
    // /dev/null, so the prompt can only have reached the terminal itself.
    let mut cmd = env.command("sh");
    cmd.env("TERM", "xterm")
        .env("AWS_ENDPOINT_URL_STS", moto.url())
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
}

/// A GetSessionToken answer that takes 800 ms: a spinner on a terminal, nothing when piped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_sts_call_shows_a_spinner_on_a_terminal_only() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    if !require("script") {
        return;
    }
    let server = MockServer::start().await;
    let body = "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetSessionTokenResult><Credentials>\
<SessionToken>slowtoken</SessionToken><SecretAccessKey>slowsecret</SecretAccessKey>\
<Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>ASIASLOW0EXAMPLE</AccessKeyId>\
</Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>58c5dbae-EXAMPLE</RequestId></ResponseMetadata></GetSessionTokenResponse>";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml")
                .set_body_string(body)
                .set_delay(std::time::Duration::from_millis(800)),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    let (piped, tty) = tokio::task::spawn_blocking(move || {
        let env = TestEnv::with_credentials(&default_source());
        let piped = run(env
            .mfa()
            .args(["--force", "123456", "--endpoint-url", &uri]));
        env.next_code_window();
        let tty = run(env.command("script").env("TERM", "xterm").args([
            "-qec",
            &format!("{BIN} --force 123456 --endpoint-url {uri}"),
            "/dev/null",
        ]));
        (piped, tty)
    })
    .await
    .unwrap();
    piped.assert_code(0).assert_stderr_lacks("waiting for STS");
    tty.assert_code(0)
        .assert_stdout_has("waiting for STS")
        .assert_stdout_has("wrote [mfa]");
    assert!(
        tty.stdout.contains("\r\x1b[K"),
        "the spinner clears its line: {:?}",
        tty.stdout
    );
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

#[test]
fn exec_takes_the_command_without_a_double_dash_and_its_own_flags_reach_it() {
    // `--profile` and `-t` after the command's name are the command's, not exec's.
    Test::new()
        .credentials(with_target("work-mfa", VALID))
        .args([
            "exec",
            "-t",
            "work-mfa",
            "sh",
            "-c",
            "echo \"$AWS_PROFILE $*\"",
            "sh",
        ])
        .args(["--profile", "other", "-t", "x"])
        .stdout_is("work-mfa --profile other -t x\n")
        .run();
}

#[test]
fn exec_hands_the_files_it_read_to_the_command() {
    let env = TestEnv::with_credentials("");
    let credentials = env.home().join("elsewhere-credentials");
    let config = env.home().join("elsewhere-config");
    std::fs::write(&credentials, with_target("work-mfa", VALID)).unwrap();
    std::fs::write(&config, "").unwrap();
    let ran = Test::in_env(env)
        .arg("exec")
        .arg("--credentials-file")
        .arg(&credentials)
        .arg("--config-file")
        .arg(&config)
        .args(["-t", "work-mfa", "--", "sh", "-c"])
        .arg("echo \"$AWS_SHARED_CREDENTIALS_FILE|$AWS_CONFIG_FILE\"")
        .run();
    assert_eq!(
        ran.out.stdout,
        format!("{}|{}\n", bin_path(&credentials), bin_path(&config))
    );
}

/// Issue 20: `refresh --all` repeated the "not an AWS host" notice (and every other warning)
/// for each target; each is said once per run.
#[test]
fn refresh_all_says_each_notice_once() {
    let sts = CannedSts::start();
    let text = format!(
        "{}[work]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = w\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n\n{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z"),
        managed("work-mfa", "work", "2001-01-01T00:00:00Z"),
    );
    let env = TestEnv::with_credentials(&text);
    let out = run(env.mfa().args([
        "refresh",
        "--all",
        "--code-command",
        "echo 123456",
        "--endpoint-url",
        &sts.url(),
    ]));
    out.assert_code(0)
        .assert_stderr_has("wrote [mfa]")
        .assert_stderr_has("wrote [work-mfa]");
    assert_eq!(
        out.stderr.matches("which is not an AWS host").count(),
        1,
        "{out}"
    );
}

/// Issue 22: botocore pipes a `credential_process`'s standard error and shows it only when the
/// process fails, so a code command's "Touch your YubiKey" never showed under
/// `aws --profile X-cp`; it goes to the terminal, seen while the command waits.
#[test]
fn a_code_commands_prompt_reaches_the_terminal_under_the_aws_cli() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let env = TestEnv::with_credentials(&with_target("mfa", EXPIRED));
    credential_process_config(
        &env,
        "[default]\nmfa_process = echo 'Touch your YubiKey' >&2; sleep 1; echo 123456\n\n",
    );
    let url = moto.url();
    let vars = [("AWS_ENDPOINT_URL_STS", url.as_str())];
    let aws = crate::pty::program_on_terminal(
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
