//! `exec`: runs a command (or the user's shell) with `AWS_PROFILE` set to a target, refreshed
//! first when it must be (a derived target assumed with its valid base), every variable that
//! could shadow the profile removed, the files it read handed on, and the command's exit code
//! passed on (126 and 127 for a command that cannot run); the target found from `-t` or
//! `AWS_PROFILE`, never created from a guess.

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

/// What every platform shares (scripts/test-windows.sh runs it against the Windows exe). Also
/// stands for daily's `exec_of_a_missing_command_exits_127` (merged here: its second half is
/// that test, word for word).
#[test]
fn exec_runs_the_command_with_the_profile_and_ends_with_its_exit_code() {
    let env = TestEnv::with_credentials(&source_and_valid_target());
    let args: &[&str] = if testing_windows_exe() {
        &[
            "cmd",
            "/C",
            "echo",
            "%AWS_PROFILE%",
            "%AWS_ACCESS_KEY_ID%",
            "&",
            "exit",
            "7",
        ]
    } else {
        &[
            "sh",
            "-c",
            "echo $AWS_PROFILE ${AWS_ACCESS_KEY_ID-%AWS_ACCESS_KEY_ID%}; exit 7",
        ]
    };
    let out = Test::on(&env)
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .args(["exec", "-t", "work-mfa", "--"])
        .args(args)
        .status(7)
        .run()
        .out;
    assert_eq!(
        out.stdout.trim_end(),
        "work-mfa %AWS_ACCESS_KEY_ID%",
        "the profile set, the shadowing key removed"
    );

    Test::on(&env)
        .args(["exec", "-t", "work-mfa", "--", "no-such-command-x"])
        .status(127)
        .stderr_has("cannot run `no-such-command-x`")
        .run();
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

#[test]
fn exec_removes_every_variable_that_could_shadow_the_profile() {
    let env = TestEnv::with_credentials(&format!(
        "{}[mfa]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = sessionsecret\naws_session_token = sessiontoken\nexpiration = {VALID}\nmfa_source_profile = default\n",
        default_source()
    ));
    let shadowing = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_ACCOUNT_ID",
        "AWS_ACCESS_KEY",
        "AWS_SECRET_KEY",
        "AWS_ROLE_ARN",
        "AWS_ROLE_SESSION_NAME",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_DEFAULT_PROFILE",
    ];
    let out = Test::on(&env)
        .envs(shadowing.map(|name| (name, "shadow")))
        .args(["exec", "--", "env"])
        .run()
        .out;
    assert!(
        out.stdout.lines().any(|l| l == "AWS_PROFILE=mfa"),
        "{}",
        out.stdout
    );
    let help = Test::on(&env).args(["exec", "--help"]).run().out;
    for name in shadowing {
        assert!(
            !out.stdout.contains(&format!("{name}=")),
            "{name} is still set: {}",
            out.stdout
        );
        assert!(help.stdout.contains(name), "--help does not list {name}");
    }
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

/// Also stands for first_hour's `exec_runs_a_command_given_without_double_dash` (merged here:
/// its `--version`, a flag clap would take for its own, is among those that reach the
/// command).
#[test]
fn exec_takes_the_command_without_a_double_dash_and_its_own_flags_reach_it() {
    // `--profile`, `-t` and `--version` after the command's name are the command's, not
    // exec's.
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
        .args(["--profile", "other", "-t", "x", "--version"])
        .stdout_is("work-mfa --profile other -t x --version\n")
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

/// Also stands for daily's `exec_refreshes_an_expired_target_first` (merged here: the file
/// after the refresh, byte for byte).
#[test]
fn exec_refreshes_an_expired_target_and_the_command_uses_the_session() {
    let aws = StandIn::for_files();
    let ran = at(
        &aws,
        Test::new().credentials(with_target("work-mfa", EXPIRED)),
    )
    .args(["exec", "-t", "work-mfa", "--code-command", "echo 123456"])
    .args(["--", "sh", "-c", "echo \"$AWS_PROFILE\""])
    .stdout_is("work-mfa\n")
    .stderr_has("wrote [work-mfa]")
    .run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    ran.env
        .assert_credentials(&expected("exec-refreshed.credentials"));
    assert_works_as(&aws, &ran.env, "work-mfa", USER_ARN);
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
fn exec_without_a_target_uses_aws_profile_naming_a_managed_target() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let env = TestEnv::with_credentials(&with_target("work-mfa", VALID));
    let mut exec = Test::on(&env)
        .env("AWS_PROFILE", "work-mfa")
        .args(["exec", "--", "aws"])
        .command();
    let out = caller_identity(&mut exec, &moto);
    out.assert_code(0).assert_stdout_has("123456789012");
}

#[test]
fn aws_profile_naming_a_source_gives_exec_that_sources_target() {
    let text = format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\n\n{}",
        default_source(),
        managed("work-mfa", "work", VALID)
    );
    Test::new()
        .credentials(text)
        .env("AWS_PROFILE", "work")
        .args(["exec", "--", "sh", "-c", "echo $AWS_PROFILE"])
        .stdout_is("work-mfa\n")
        .run();
}

#[test]
fn aws_profile_naming_nothing_is_said() {
    Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", VALID)
        ))
        .env("AWS_PROFILE", "wrok")
        .args(["exec", "--", "true"])
        .status(2)
        .stderr_has("AWS_PROFILE=wrok names no profile in ~/.aws/credentials; unset it, or set it to a target (mfa-profile manages [mfa])")
        .run();
}

fn work_pair() -> String {
    format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n\n{}",
        default_source(),
        managed("work-mfa", "work", EXPIRED)
    )
}

#[test]
fn a_mistyped_target_is_never_created_from_default() {
    require!("setsid");
    let original = work_pair();
    let env = TestEnv::with_credentials(&original);
    env.write_config("# config\n");
    for args in [
        vec!["credential-process", "wrk2-mfa"],
        vec![
            "exec",
            "-t",
            "wrk-mfa",
            "--code-command",
            "echo 123456",
            "--",
            "true",
        ],
        vec![
            "export",
            "wrk3-mfa",
            "--refresh",
            "--code-command",
            "echo 123456",
        ],
    ] {
        Test::on(&env)
            .detached()
            .env("AWS_ENDPOINT_URL_STS", CLOSED)
            .args(&args)
            .status(2)
            .stderr_has("does not exist; did you mean [work-mfa]?")
            .stdout_is("")
            .run();
    }
    env.assert_credentials(original.as_bytes());
    assert_eq!(
        env.read_config_text(),
        "# config\n",
        "no [profile wrk2-mfa] either"
    );
}

#[test]
fn a_target_mfa_profile_did_not_write_is_not_filled_by_exec_either() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(format!("{}\n[work]\nregion = eu-west-1\n", default_source()))
        .args(["export", "work", "--refresh", "--code-command", "echo 123456"])
        .env("AWS_ENDPOINT_URL_STS", CLOSED)
        .status(2)
        .stderr_has("[work] in ~/.aws/credentials holds no session mfa-profile wrote; to create [work], name its source: `mfa-profile -s default -t work`")
        .run();
    // The command named, as printed, makes the session export then hands out.
    let command = hinted(&ran.out.stderr, "mfa-profile -s default -t work");
    run_hint(&ran.env, &command, ["123456", "--endpoint-url", &aws.url()]);
    Test::in_env(ran.env)
        .args(["export", "work"])
        .stdout_has(&format!("export AWS_ACCESS_KEY_ID='{}'", session_key_id(1)))
        .run();
}
