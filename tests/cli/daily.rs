//! The daily commands end to end against moto and the real consumers: `export` evaluated by
//! `sh`, `credential-process` called by the aws CLI, `exec`, `refresh --all`, AssumeRole,
//! code commands, `AWS_PROFILE`, completions and the man page.

use crate::harness::*;

const BIN: &str = env!("CARGO_BIN_EXE_mfa-profile");

fn managed(target: &str, source: &str, expiration: &str) -> String {
    format!("[{target}]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = sessionsecret\naws_session_token = sessiontoken\nexpiration = {expiration}\nmfa_source_profile = {source}\n")
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn epoch_of(rfc3339: &str) -> i64 {
    let py = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, datetime; print(int(datetime.datetime.strptime(sys.argv[1], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc).timestamp()))",
            rfc3339,
        ])
        .output()
        .unwrap();
    String::from_utf8(py.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// `aws sts get-caller-identity` against moto; its exit code and output.
fn caller_identity(cmd: &mut std::process::Command, moto: &Moto) -> Run {
    run(cmd.args([
        "--region",
        "us-east-1",
        "--endpoint-url",
        &moto.url(),
        "sts",
        "get-caller-identity",
        "--output",
        "json",
    ]))
}

/// Runs without a controlling terminal (`setsid`), so nothing can prompt.
fn detached(env: &TestEnv) -> std::process::Command {
    let mut cmd = env.command("setsid");
    cmd.arg("-w").arg(BIN);
    cmd
}

#[test]
fn export_is_evaluated_by_sh_and_the_aws_cli_signs_with_it() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let original = format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&original);
    // Only the exported variables can work: the command reads no credentials file.
    let script = format!(
        "set -e; eval \"$('{BIN}' export)\"; echo \"$AWS_SESSION_TOKEN $AWS_CREDENTIAL_EXPIRATION\"; \
         AWS_SHARED_CREDENTIALS_FILE=/nonexistent aws --region us-east-1 --endpoint-url {} sts get-caller-identity --output json",
        moto.url()
    );
    let out = run(env.command("sh").args(["-c", &script]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("sessiontoken 2099-01-01T00:00:00Z\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\"Account\": \"123456789012\""),
        "{}",
        out.stdout
    );

    // env-no-export assigns without exporting; the other formats print their syntax.
    let plain = run(env.mfa().args(["export", "--format", "env-no-export"]));
    assert!(
        plain
            .stdout
            .starts_with("AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"),
        "{}",
        plain.stdout
    );
    for (format, first) in [
        ("powershell", "$Env:AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"),
        ("windows-cmd", "set \"AWS_ACCESS_KEY_ID=ASIAEXAMPLE\""),
        ("fish", "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'"),
        ("dotenv", "AWS_ACCESS_KEY_ID=ASIAEXAMPLE"),
    ] {
        let out = run(env.mfa().args(["export", "mfa", "--format", format]));
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert_eq!(out.stdout.lines().next(), Some(first), "{format}");
        assert_eq!(out.stdout.lines().count(), 4, "{format}");
    }
    let process = run(env.mfa().args(["export", "--format", "process"]));
    let json: serde_json::Value = serde_json::from_str(process.stdout.trim()).unwrap();
    assert_eq!(json["SessionToken"], "sessiontoken");
    assert_eq!(
        env.read_credentials(),
        original.as_bytes(),
        "export writes nothing"
    );
}

#[test]
fn export_refuses_an_expired_or_missing_target_unless_asked_to_refresh() {
    let Some(moto) = Moto::start() else { return };
    let original = format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&original);
    let out = run(env.mfa().arg("export"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the session in [mfa] expired"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--refresh"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "nothing to eval: {}", out.stdout);
    let missing = run(env.mfa().args(["export", "nope"]));
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("[nope] in ~/.aws/credentials does not exist"),
        "{}",
        missing.stderr
    );
    assert!(!out.stderr.contains("sessionsecret") && !missing.stderr.contains("sessionsecret"));
    assert_eq!(env.read_credentials(), original.as_bytes());

    // --refresh with a code command: refreshed through moto, then printed.
    let out = run(env.mfa().env("AWS_ENDPOINT_URL_STS", moto.url()).args([
        "export",
        "--refresh",
        "--code-command",
        "echo 'code: 123456'",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = env.read_credentials_text();
    let token = value(&text, "mfa", "aws_session_token").unwrap();
    assert_ne!(token, "sessiontoken");
    assert!(
        out.stdout
            .contains(&format!("export AWS_SESSION_TOKEN='{token}'")),
        "{}",
        out.stdout
    );
    assert!(
        text.starts_with(&default_source()),
        "the source is untouched"
    );
}

#[test]
fn credential_process_serves_the_aws_cli_and_refreshes_with_mfa_process() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") || !require("setsid") {
        return;
    }
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    ));
    env.write_config(&format!(
        "[profile cp]\ncredential_process = {BIN} credential-process mfa\n"
    ));
    let out = caller_identity(env.command("aws").args(["--profile", "cp"]), &moto);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("123456789012"), "{}", out.stdout);
    let direct = run(env.mfa().args(["credential-process", "mfa"]));
    let json: serde_json::Value = serde_json::from_str(direct.stdout.trim()).unwrap();
    assert_eq!(json["Version"], 1);
    assert_eq!(json["AccessKeyId"], "ASIAEXAMPLE");
    assert_eq!(json["Expiration"], "2099-01-01T00:00:00Z");

    // Expired, no terminal, no code command: a clear failure on stderr, nothing on stdout.
    let expired = format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    env.write_credentials(expired.as_bytes());
    let out = run(detached(&env).args(["credential-process", "mfa"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("no terminal to ask for an MFA code"),
        "{}",
        out.stderr
    );
    assert_eq!(env.read_credentials(), expired.as_bytes());

    // With mfa_process in the source's config profile, the aws CLI's call refreshes it.
    env.write_config(&format!(
        "[default]\nmfa_process = echo 123456\n\n[profile cp]\ncredential_process = {BIN} credential-process mfa\n"
    ));
    let out = caller_identity(
        env.command("setsid")
            .args(["-w", "aws", "--profile", "cp"])
            .env("AWS_ENDPOINT_URL_STS", moto.url()),
        &moto,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = env.read_credentials_text();
    let expiration = value(&text, "mfa", "expiration").unwrap();
    assert!(epoch_of(expiration) > now() + 11 * 3600, "{expiration}");
}

#[test]
fn exec_runs_the_command_with_the_target_and_without_shadowing_keys() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("work-mfa", "default", "2099-01-01T00:00:00Z")
    ));
    let out = run(env
        .mfa()
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .env("AWS_SESSION_TOKEN", "shadow")
        .env("AWS_DEFAULT_PROFILE", "default")
        .args(["exec", "-t", "work-mfa", "--", "sh", "-c"])
        .arg("echo \"$AWS_PROFILE ${AWS_ACCESS_KEY_ID-unset} ${AWS_SESSION_TOKEN-unset} ${AWS_DEFAULT_PROFILE-unset} $1\"; exit 7")
        .args(["sh", "arg one"]));
    assert_eq!(out.code, 7, "the command's exit code: {}", out.stderr);
    assert_eq!(out.stdout, "work-mfa unset unset unset arg one\n");

    let missing = run(env
        .mfa()
        .args(["exec", "-t", "work-mfa", "--", "no-such-command-x"]));
    assert_eq!(missing.code, 127, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("cannot run `no-such-command-x`"),
        "{}",
        missing.stderr
    );

    // AWS_PROFILE naming a managed target selects it; the aws CLI signs with its session.
    if require("aws") {
        let out = caller_identity(
            env.mfa()
                .env("AWS_PROFILE", "work-mfa")
                .args(["exec", "--", "aws"]),
            &moto,
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("123456789012"), "{}", out.stdout);
    }

    // An expired target is refreshed first (code from --code-command), then the command runs.
    env.write_credentials(
        format!(
            "{}\n{}",
            default_source(),
            managed("work-mfa", "default", "2001-01-01T00:00:00Z")
        )
        .as_bytes(),
    );
    let out = run(env.mfa().env("AWS_ENDPOINT_URL_STS", moto.url()).args([
        "exec",
        "-t",
        "work-mfa",
        "--code-command",
        "echo 123456",
        "--",
        "true",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("wrote [work-mfa]"), "{}", out.stderr);
}

#[test]
fn refresh_all_reports_a_failing_pair_and_still_refreshes_the_other() {
    let Some(moto) = Moto::start() else { return };
    let broken_source = "[broken]\naws_access_key_id = AKIABROKENEXAMPLE\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n";
    let original = format!(
        "# two pairs\n{}\n{}\n{}\n{}\n[valid-mfa]\naws_access_key_id = ASIAV\naws_secret_access_key = v\naws_session_token = v\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n",
        default_source(),
        broken_source,
        managed("mfa", "default", "2001-01-01T00:00:00Z"),
        managed("broken-mfa", "broken", "2001-01-01T00:00:00Z"),
    );
    let env = TestEnv::with_credentials(&original);
    // One code per target that needs one, read in turn from standard input.
    let out = run(env
        .mfa()
        .args(["refresh", "--all", "--json", "--endpoint-url", &moto.url()])
        .stdin(std::fs::File::open(write_temp(&env, "codes", "123456\n654321\n")).unwrap()));
    assert_ne!(
        out.code, 0,
        "a failure must show in the exit code: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("[broken-mfa]: error:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 of 3 targets failed: [broken-mfa]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("[valid-mfa] is still valid"),
        "{}",
        out.stderr
    );
    let text = env.read_credentials_text();
    assert_ne!(
        value(&text, "mfa", "aws_session_token"),
        Some("sessiontoken"),
        "[mfa] refreshed"
    );
    assert_eq!(
        section(&text, "broken-mfa"),
        section(&original, "broken-mfa")
    );
    // Everything but [mfa]'s managed values is byte-identical.
    let start = text.find("[mfa]").unwrap();
    assert_eq!(&text[..start], &original[..start]);
    let end = text.find("[broken-mfa]").unwrap();
    assert_eq!(
        &text[end..],
        &original[original.find("[broken-mfa]").unwrap()..]
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one JSON object per target that did not fail: {}",
        out.stdout
    );
}

fn write_temp(env: &TestEnv, name: &str, text: &str) -> std::path::PathBuf {
    let path = env.home().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn assume_role_with_mfa_is_recorded_and_repeated() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&default_source());
    let role = "arn:aws:iam::123456789012:role/admin";
    let out = run(env.mfa().args([
        "-t",
        "admin",
        "--role-arn",
        role,
        "--external-id",
        "partner-42",
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = env.read_credentials_text();
    assert_eq!(value(&text, "admin", "mfa_role_arn"), Some(role));
    assert_eq!(value(&text, "admin", "mfa_external_id"), Some("partner-42"));
    assert_eq!(
        value(&text, "admin", "mfa_role_session_name"),
        None,
        "derived, not recorded"
    );
    let expires = epoch_of(value(&text, "admin", "expiration").unwrap());
    assert!(
        (expires - now() - 3600).abs() < 120,
        "a role session lasts 1h by default"
    );
    assert!(value(&text, "admin", "aws_session_token").is_some());

    // A later refresh of the target repeats the role (and its length) without --role-arn.
    let out = run(env.mfa().args([
        "-t",
        "admin",
        "--force",
        "-d",
        "2h",
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = env.read_credentials_text();
    assert_eq!(value(&text, "admin", "mfa_role_arn"), Some(role));
    let expires = epoch_of(value(&text, "admin", "expiration").unwrap());
    assert!((expires - now() - 7200).abs() < 120);

    let bad = run(env.mfa().args([
        "-t",
        "x",
        "--role-arn",
        "arn:aws:iam::123456789012:user/bob",
        "123456",
    ]));
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("is not a role ARN"), "{}", bad.stderr);
}

#[test]
fn code_command_failure_is_reported_with_its_stderr() {
    let env = TestEnv::with_credentials(&default_source());
    let out = run(env.mfa().args([
        "--code-command",
        "echo 'ykman: no YubiKey detected' >&2; exit 3",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("failed (exit status 3): ykman: no YubiKey detected"),
        "{}",
        out.stderr
    );
    assert_eq!(env.read_credentials(), default_source().as_bytes());
}

#[test]
fn aws_profile_naming_a_managed_target_selects_it_and_never_a_source() {
    let Some(moto) = Moto::start() else { return };
    let original = format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n\n{}",
        default_source(),
        managed("work-mfa", "work", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&original);
    let out = run(env.mfa().env("AWS_PROFILE", "work-mfa").args([
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("wrote [work-mfa] in ~/.aws/credentials from [work]"),
        "{}",
        out.stderr
    );
    // AWS_PROFILE naming a source is not a target: the default pair is refreshed.
    let out =
        run(env
            .mfa()
            .env("AWS_PROFILE", "work")
            .args(["123456", "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("wrote [mfa] in ~/.aws/credentials from [default]"),
        "{}",
        out.stderr
    );
}

#[test]
fn completions_and_man_page() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(env.mfa().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(
            out.stdout.contains("credential-process"),
            "{shell} completes the commands"
        );
    }
    if require("bash") {
        let script = format!("source <('{BIN}' completions bash) && complete -p mfa-profile");
        let out = run(env.command("bash").args(["-c", &script]));
        assert_eq!(out.code, 0, "bash loads the script: {}", out.stderr);
    }
    let man = run(env.mfa().arg("man"));
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie \\n(.g .ds Aq") || man.stdout.contains(".TH mfa-profile"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(
        man.stdout.contains("credential\\-process"),
        "the man page lists the commands"
    );
}

#[test]
fn the_sources_region_is_carried_over_to_the_targets_config_profile_once() {
    let Some(moto) = Moto::start() else { return };
    let credentials = format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
    );
    let env = TestEnv::with_credentials(&credentials);
    let config = "# work account\n[profile work]\nregion = eu-west-1\n";
    env.write_config(config);
    let refresh = |extra: &[&str]| {
        run(env
            .mfa()
            .args([
                "-s",
                "work",
                "--force",
                "123456",
                "--endpoint-url",
                &moto.url(),
            ])
            .args(extra))
    };
    let out = refresh(&["--no-config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        config,
        "--no-config"
    );
    let out = refresh(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "added region = eu-west-1 (from [work]) to [profile work-mfa] in ~/.aws/config"
        ),
        "{}",
        out.stderr
    );
    let written = std::fs::read_to_string(env.config()).unwrap();
    assert_eq!(
        written,
        format!("{config}\n[profile work-mfa]\nregion = eu-west-1\n")
    );
    let again = refresh(&[]);
    assert!(
        !again.stderr.contains("added region"),
        "said once: {}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), written);
    if require("aws") {
        let out =
            run(env
                .command("aws")
                .args(["configure", "get", "region", "--profile", "work-mfa"]));
        assert_eq!(out.stdout.trim(), "eu-west-1", "{}", out.stderr);
        // With no --region anywhere, the aws CLI signs for the carried-over region.
        let out = run(env.command("aws").args([
            "--profile",
            "work-mfa",
            "--endpoint-url",
            &moto.url(),
            "sts",
            "get-caller-identity",
        ]));
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}

#[test]
fn credential_process_asks_for_the_code_on_the_terminal_not_on_its_streams() {
    let Some(moto) = Moto::start() else { return };
    if !require("script") {
        return;
    }
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    ));
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
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("MFA code for arn:aws:iam::123456789012:mfa/alice (for [mfa]): "),
        "{:?}",
        out.stdout
    );
    let json_line = out.stdout.lines().find(|l| l.starts_with('{')).unwrap();
    let json: serde_json::Value = serde_json::from_str(json_line.trim()).unwrap();
    let text = env.read_credentials_text();
    assert_eq!(
        json["SessionToken"],
        value(&text, "mfa", "aws_session_token").unwrap()
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
        let tty = run(env.command("script").env("TERM", "xterm").args([
            "-qec",
            &format!("{BIN} --force 123456 --endpoint-url {uri}"),
            "/dev/null",
        ]));
        (piped, tty)
    })
    .await
    .unwrap();
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(
        !piped.stderr.contains("waiting for STS"),
        "{}",
        piped.stderr
    );
    assert_eq!(tty.code, 0, "{}", tty.stderr);
    assert!(tty.stdout.contains("waiting for STS"), "{:?}", tty.stdout);
    assert!(
        tty.stdout.contains("\r\x1b[K"),
        "the spinner clears its line: {:?}",
        tty.stdout
    );
    assert!(tty.stdout.contains("wrote [mfa]"), "{:?}", tty.stdout);
}

#[test]
fn promises_without_sts_export_warning_role_checks_all_and_exec_126() {
    // export of a session still valid but inside --min-remaining: printed, with a warning.
    let soon = mfa_profile::time::rfc3339(now() + 300);
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", &soon)
    ));
    let out = run(env.mfa().arg("export"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("warning: the session in [mfa] expires in"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("export AWS_SESSION_TOKEN='sessiontoken'"),
        "{}",
        out.stdout
    );

    // Role parameters are checked before any code is asked for or STS is called.
    let role = "arn:aws:iam::123456789012:role/admin";
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
        let out = run(env.mfa().args([
            "-t",
            "admin",
            "--role-arn",
            role,
            flag,
            value,
            "123456",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ]));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains(message), "{}", out.stderr);
    }

    // --all: every target valid is success with no code; no managed target is success too.
    let valid = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    ));
    let out = run(valid
        .mfa()
        .args(["refresh", "--all", "--endpoint-url", "http://127.0.0.1:9"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("[mfa] is still valid"),
        "{}",
        out.stderr
    );
    let none = TestEnv::with_credentials(&default_source());
    let out = run(none.mfa().args(["refresh", "--all"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no profile in ~/.aws/credentials is managed by mfa-profile yet"),
        "{}",
        out.stderr
    );

    // exec of a file that cannot be run: 126, as shells do.
    let script = valid.home().join("not-executable");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    let out = run(valid.mfa().arg("exec").arg("--").arg(&script));
    assert_eq!(out.code, 126, "{}", out.stderr);
    assert!(out.stderr.contains("cannot run"), "{}", out.stderr);
}
