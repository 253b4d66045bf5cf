//! `setup --keychain` and `source-keys`: the long-term keys kept in a real Secret Service
//! (GNOME Keyring under a D-Bus session of the test's own, its keyring unlocked with a
//! password), the files holding only sessions and the source's credential_process.

use crate::support::keychain::in_keyring_session;
use crate::support::rotation::{OLD, OLD_SECRET};
use crate::support::*;

const DEVICE: &str = SERIAL;

#[test]
fn setup_keychain_keeps_the_keys_out_of_the_files_and_the_refresh_takes_them_from_it() {
    let aws = StandIn::start();
    let env = TestEnv::new();
    let mut args = vec!["setup", "-s", "work", "--keychain"];
    let endpoints = aws.endpoints();
    args.extend(endpoints.iter().map(String::as_str));
    let Some(out) = in_keyring_session(&env, &args, &format!("{OLD}\n{OLD_SECRET}\n123456\n"))
    else {
        return;
    };
    out.assert_code(0)
        .assert_stderr_has("stored the long-term keys of IAM user alice in the keychain; [work] in ~/.aws/config runs `mfa-profile source-keys work` for them")
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .assert_silent_about(OLD_SECRET);
    let credentials = env.read_credentials_text();
    assert!(!credentials.contains(OLD), "{credentials}");
    assert!(!credentials.contains(OLD_SECRET), "{credentials}");
    assert!(credentials.starts_with("[work-mfa]\n"), "{credentials}");
    assert_eq!(
        env.read_config_text(),
        format!("[profile work]\ncredential_process = mfa-profile source-keys work\nmfa_serial = {DEVICE}\nregion = us-east-1\n\n[profile work-mfa]\nregion = us-east-1\n")
    );
    assert_eq!(
        aws.signers_of("GetSessionToken"),
        [OLD],
        "the refresh signed with the keys the keychain gave"
    );
    // The item outlives the session that stored it: a new session, the keyring unlocked
    // again, gives the same keys.
    let Some(again) = in_keyring_session(&env, &["source-keys", "work"], "") else {
        return;
    };
    again.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(json["Version"], 1);
    assert_eq!(json["AccessKeyId"], OLD);
    assert_eq!(json["SecretAccessKey"], OLD_SECRET);
}

#[test]
fn source_keys_without_an_item_says_how_to_store_one() {
    let env = TestEnv::new();
    let Some(out) = in_keyring_session(&env, &["source-keys", "nobody"], "") else {
        return;
    };
    out.assert_code(1)
        .assert_stderr_has("the keychain holds no keys for [nobody] (store them with `mfa-profile setup -s nobody --keychain`)");
    assert_eq!(out.stdout, "");
}

#[test]
fn setup_keychain_runs_again_on_the_source_it_set_up() {
    let aws = StandIn::start();
    let env = TestEnv::new();
    let mut args = vec!["setup", "-s", "work", "--keychain"];
    let endpoints = aws.endpoints();
    args.extend(endpoints.iter().map(String::as_str));
    let stdin = format!("{OLD}\n{OLD_SECRET}\n123456\n");
    let Some(first) = in_keyring_session(&env, &args, &stdin) else {
        return;
    };
    first.assert_code(0);
    let config = env.read_config_text();
    // The second run's first refresh sends a code too: as if the next 30 s window had come.
    aws.next_code_window();
    let windows = env.home().join(".aws/cli/cache/mfa-profile");
    for record in std::fs::read_dir(&windows).unwrap() {
        let record = record.unwrap().path();
        if record.extension().is_some_and(|e| e == "json") {
            std::fs::remove_file(record).unwrap();
        }
    }
    // What `source-keys` advises when the item is gone: the same setup, which finds its own
    // credential_process and stores the keys again.
    let Some(again) = in_keyring_session(&env, &args, &stdin) else {
        return;
    };
    again
        .assert_code(0)
        .assert_stderr_has("stored the long-term keys of IAM user alice in the keychain")
        .assert_silent_about(OLD_SECRET);
    assert!(!again.stderr.contains("rotate -s work"), "{again}");
    assert_eq!(env.read_config_text(), config, "nothing added twice");
}

#[test]
fn a_keychain_that_cannot_be_asked_is_not_said_to_be_empty() {
    Test::new()
        .args(["source-keys", "work"])
        .env("PATH", "/nonexistent")
        .status(1)
        .stderr_has("cannot read the keychain for [work]: cannot run secret-tool")
        .run();
}
