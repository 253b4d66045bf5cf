//! A source whose long-term keys come from `credential_process` (a password manager, a
//! keychain): run as the SDK runs it, taken only when long-term, never written anywhere.

use crate::support::rotation::{OLD, OLD_SECRET};
use crate::support::*;

const DEVICE: &str = SERIAL;

/// A credential process printing `json`, as a script in `env` (its path, for the config).
fn script(env: &TestEnv, json: &str) -> String {
    let path = env.home().join("keys.sh");
    std::fs::write(&path, format!("#!/bin/sh\ncat <<'EOF'\n{json}\nEOF\n")).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    path.display().to_string()
}

fn long_term_json() -> String {
    format!(r#"{{"Version": 1, "AccessKeyId": "{OLD}", "SecretAccessKey": "{OLD_SECRET}"}}"#)
}

#[test]
fn keys_from_a_credential_process_refresh_and_never_reach_the_file() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let command = script(&env, &long_term_json());
    env.write_config(&format!(
        "[default]\ncredential_process = {command}\nmfa_serial = {DEVICE}\n"
    ));
    let ran = Test::in_env(env)
        .args(["123456", "--endpoint-url", &aws.url()])
        .run();
    ran.out.assert_silent_about(OLD_SECRET);
    let session = fixed_session(1);
    assert_eq!(
        ran.env.read_credentials_text(),
        format!("[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n", session.key_id, session.secret, session.token)
    );
    assert_eq!(
        aws.signers_of("GetSessionToken"),
        [OLD],
        "signed with the process's key"
    );
    assert!(!ran.env.read_config_text().contains(OLD));
}

#[test]
fn the_credential_process_does_not_read_the_code_piped_to_mfa_profile() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let command = script(&env, &long_term_json());
    env.write_config(&format!(
        "[default]\ncredential_process = cat > /dev/null; {command}\nmfa_serial = {DEVICE}\n"
    ));
    Test::in_env(env)
        .args(["--endpoint-url", &aws.url()])
        .stdin("123456\n")
        .stderr_has("wrote [mfa]")
        .run();
}

#[test]
fn a_credential_process_printing_a_session_is_refused_with_the_reason() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let command = script(
        &env,
        r#"{"Version": 1, "AccessKeyId": "ASIASESSIONKEYEXAMPL", "SecretAccessKey": "sessionSecretEXAMPLE", "SessionToken": "FwoGZXIvYXdzEXAMPLEtoken", "Expiration": "2099-01-01T00:00:00Z"}"#,
    );
    env.write_config(&format!(
        "[default]\ncredential_process = {command}\nmfa_serial = {DEVICE}\n"
    ));
    let ran = Test::in_env(env)
        .args(["123456", "--endpoint-url", &aws.url()])
        .status(2)
        .stderr_has("printed a session (it has a SessionToken), not long-term keys: GetSessionToken needs the IAM user's own access key")
        .run();
    ran.out
        .assert_silent_about("sessionSecretEXAMPLE")
        .assert_silent_about("FwoGZXIvYXdzEXAMPLEtoken");
    assert!(aws.actions().is_empty(), "nothing was sent");
    assert!(!ran.env.credentials().exists());
}

#[test]
fn a_failing_credential_process_is_reported_with_what_it_said() {
    let ran = Test::new()
        .config(&format!(
            "[default]\ncredential_process = echo 'op: you are not signed in' >&2; exit 6\nmfa_serial = {DEVICE}\n"
        ))
        .args(["123456", "--endpoint-url", CLOSED])
        .status(1)
        .stderr_has("the credential_process of [default] (`echo 'op: you are not signed in' >&2; exit 6`) failed (exit status 6): op: you are not signed in")
        .run();
    assert!(!ran.env.credentials().exists());
}

/// The credential_process format has one version: a process printing another (here 2) is
/// refused with what it printed, before any call, and nothing is written.
#[test]
fn a_credential_process_printing_another_version_is_refused() {
    let env = TestEnv::new();
    let path = script(
        &env,
        &format!(r#"{{"Version": 2, "AccessKeyId": "{OLD}", "SecretAccessKey": "{OLD_SECRET}"}}"#),
    );
    env.write_config(&format!(
        "[default]\ncredential_process = {path}\nmfa_serial = {DEVICE}\n"
    ));
    let ran = Test::in_env(env)
        .args(["123456", "--endpoint-url", CLOSED])
        .status(2)
        .stderr_has("printed Version 2; only Version 1 exists")
        .stderr_lacks("cannot reach")
        .run();
    ran.out.assert_silent_about(OLD_SECRET);
    assert!(!ran.env.credentials().exists());
}
