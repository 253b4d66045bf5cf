//! `doctor`: one finding per line, with what to do; exit 0 when nothing is wrong, 1 otherwise.

use crate::support::*;
use std::os::unix::fs::PermissionsExt;

fn private(env: &TestEnv) {
    for path in [env.credentials(), env.config()] {
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
}

/// `doctor` on these files, both private (mode 600).
fn doctor(credentials: &str, config: &str) -> Test {
    let env = TestEnv::with_credentials(credentials);
    env.write_config(config);
    private(&env);
    Test::on(&env).arg("doctor")
}

fn healthy() -> String {
    format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    )
}

#[test]
fn nothing_wrong_exits_0_and_says_how_each_profile_signs() {
    let out = doctor(&healthy(), "")
        .stdout_has("ok [default]: signs with the keys in the credentials file")
        .stdout_has(&format!("ok [default]: a source: its MFA device is {SERIAL}, from mfa_serial in ~/.aws/credentials"))
        .stdout_has("ok [mfa]: a session from [default], valid for")
        .run()
        .out;
    assert!(!out.stdout.contains("problem"), "{out}");
}

#[test]
fn keys_in_the_environment_are_a_problem() {
    doctor(&healthy(), "")
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .status(1)
        .stdout_has("problem environment: AWS_ACCESS_KEY_ID is set")
        .run()
        .out
        .assert_silent_about("AKIASHADOW");
}

#[test]
fn a_target_whose_keys_shadow_a_login_session_is_a_problem() {
    doctor(
        &healthy(),
        "[profile mfa]\nlogin_session = arn:aws:iam::123456789012:user/alice\n",
    )
    .status(1)
    .stdout_has("problem [mfa]: the AWS CLI uses the keys in the credentials file, the SDKs use the `aws login` session (login_session)")
    .run();
}

#[test]
fn a_file_the_aws_cli_cannot_parse_is_a_problem_with_its_line() {
    doctor(&format!("{}[x]\nk = 1\nk = 2\n", healthy()), "")
        .status(1)
        .stdout_has("the AWS CLI cannot read ~/.aws/credentials (line 13: `k` repeated in [x])")
        .run();
}

#[test]
fn a_credentials_file_others_can_read_is_a_problem() {
    let env = TestEnv::with_credentials(&healthy());
    std::fs::set_permissions(env.credentials(), std::fs::Permissions::from_mode(0o644)).unwrap();
    Test::on(&env)
        .arg("doctor")
        .status(1)
        .stdout_has("problem ~/.aws/credentials: it holds secret keys and other users can read it (mode 644); run `chmod 600 ~/.aws/credentials`")
        .run();
}

#[test]
fn long_term_keys_in_the_config_file_are_a_problem() {
    doctor(
        &healthy(),
        &format!("[profile ci]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"),
    )
    .status(1)
    .stdout_has("problem [ci]: long-term keys in the config file (~/.aws/config, line 1)")
    .run()
    .out
    .assert_silent_about(SECRET);
}

#[test]
fn a_source_with_no_mfa_device_is_a_problem_and_aws_mfa_s_key_is_named() {
    let credentials = format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n[old-long-term]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\naws_mfa_device = {SERIAL}\n"
    );
    doctor(&credentials, "")
        .stdout_has("note [work]: long-term keys with no MFA device; to use it as a source, first run `aws configure set mfa_serial")
        .stdout_has("from aws_mfa_device in ~/.aws/credentials (aws-mfa's key")
        .run();
    let relied_on = format!(
        "{credentials}[work-mfa]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = work\n"
    );
    doctor(&relied_on, "")
        .status(1)
        .stdout_has(
            "problem [work]: a source with no MFA device: run `aws configure set mfa_serial",
        )
        .run();
}

#[test]
fn an_expired_target_is_a_note_not_a_problem() {
    let credentials = format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    doctor(&credentials, "")
        .stdout_has("note [mfa]: the session from [default] expired on 2001-01-01 00:00 UTC; run `mfa-profile -t mfa`")
        .run();
}

#[test]
fn json_lists_every_finding_and_a_profile_narrows_it() {
    let env = TestEnv::with_credentials(&healthy());
    private(&env);
    let rows = Test::on(&env).args(["doctor", "--json"]).run().out.json();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["subject"] == "[default]"));
    let only = Test::on(&env)
        .args(["doctor", "mfa", "--json"])
        .run()
        .out
        .json();
    assert!(only
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["subject"] != "[default]"));
    Test::on(&env)
        .args(["doctor", "nope"])
        .status(1)
        .stdout_has("problem [nope]: no such profile")
        .stdout_has("the profiles are: default, mfa")
        .run();
}

/// Issue 20, bug 5: with `~/.aws` world-writable, a refresh warned but `doctor` said only `ok`
/// and exited 0.
#[test]
fn a_shared_files_directory_others_can_write_to_is_a_problem() {
    let env = TestEnv::with_credentials(&healthy());
    env.write_config("");
    private(&env);
    let dir = env.credentials().parent().unwrap().to_path_buf();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    Test::on(&env)
        .arg("doctor")
        .status(1)
        .stdout_has("problem ~/.aws/credentials: ~/.aws is writable by other users (mode 777): they can replace ~/.aws/credentials; run `chmod go-w ~/.aws`")
        .run();
    // The fix it names, as printed, clears it.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    Test::on(&env).arg("doctor").run();
}

/// In an empty HOME `doctor` says the files are missing and how to start.
#[test]
fn missing_shared_files_are_said_with_the_first_command() {
    Test::new()
        .arg("doctor")
        .stdout_has("note ~/.aws/credentials: does not exist: no profile has keys yet; `mfa-profile setup` asks for your IAM user's access key")
        .stdout_has("note ~/.aws/config: does not exist")
        .run();
}
