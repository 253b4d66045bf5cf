//! Refreshes end to end. Against the canned STS (fixed keys), each result is compared byte for
//! byte with a file in fixtures/expected/; against moto, the session is read back by the real
//! consumers: the AWS CLI, boto3 and the aws-config crate.

use crate::support::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

fn original() -> String {
    format!(
        "# my keys\n{}\n[other]\nregion = eu-west-1\n",
        default_source()
    )
}

/// A refresh against moto; the environment, for the consumers to read.
fn refreshed_by_moto(moto: &Moto) -> TestEnv {
    Test::new()
        .credentials(original())
        .args(["123456", "--endpoint-url", &moto.url()])
        .run()
        .env
}

#[test]
fn the_aws_cli_signs_with_the_written_session() {
    let Some(moto) = Moto::start() else { return };
    if !require("aws") {
        return;
    }
    let env = refreshed_by_moto(&moto);
    let cli = caller_identity(env.command("aws").args(["--profile", "mfa"]), &moto);
    cli.assert_code(0);
    assert_eq!(cli.json()["Account"], "123456789012");
}

#[test]
fn boto3_reads_the_written_session_and_calls_sts_with_it() {
    let Some(moto) = Moto::start() else { return };
    if !require("python3") {
        return;
    }
    let env = refreshed_by_moto(&moto);
    let text = env.read_credentials_text();
    let script = "import boto3, json, sys\n\
s = boto3.Session()\n\
c = s.get_credentials().get_frozen_credentials()\n\
ident = s.client('sts', region_name='us-east-1', endpoint_url=sys.argv[1]).get_caller_identity()\n\
print(json.dumps({'access_key': c.access_key, 'secret_key': c.secret_key, 'token': c.token, 'account': ident['Account']}))\n";
    let py =
        run(env
            .command("python3")
            .env("AWS_PROFILE", "mfa")
            .args(["-c", script, &moto.url()]));
    py.assert_code(0);
    let seen = py.json();
    let written = |k| sdk_value(&text, "mfa", k).unwrap();
    assert_eq!(seen["access_key"], written("aws_access_key_id"));
    assert_eq!(seen["secret_key"], written("aws_secret_access_key"));
    assert_eq!(seen["token"], written("aws_session_token"));
    assert_eq!(seen["account"], "123456789012");
}

#[test]
fn the_aws_config_crate_reads_the_written_session() {
    let Some(moto) = Moto::start() else { return };
    let env = refreshed_by_moto(&moto);
    let text = env.read_credentials_text();
    let profiles = sdk_profiles(&text);
    let mfa = profiles.get_profile("mfa").unwrap();
    // The values as written, found as text in the appended section.
    let appended = &text[original().len()..];
    for key in [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    ] {
        let written = appended
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} line in {appended}"));
        assert!(!written.is_empty());
        assert_eq!(mfa.get(key), Some(written), "{key}");
    }
    assert_eq!(mfa.get("mfa_source_profile"), Some("default"));
    assert!(epoch_of(mfa.get("expiration").unwrap()) > now() + 11 * 3600);
    assert!(text.starts_with(&original()), "the original bytes stay");
}

#[test]
fn the_javascript_sdk_reads_the_written_session() {
    let Some(moto) = Moto::start() else { return };
    let env = refreshed_by_moto(&moto);
    let Some(read) = crate::support::readers::js_read(&[env.credentials()]) else {
        return;
    };
    let rust = crate::support::readers::rust_read(&env.read_credentials_text());
    let js = crate::support::readers::sdk_triple(&read[0], "mfa");
    assert!(js.0.is_some() && js.1.is_some() && js.2.is_some(), "{js:?}");
    assert_eq!(js, crate::support::readers::sdk_triple(&rust, "mfa"));
    // Every other profile reads as before.
    let before = TestEnv::with_credentials(&original());
    let read_before = crate::support::readers::js_read(&[before.credentials()]).unwrap();
    let others = |read: &crate::support::readers::Read| {
        let mut profiles = read.profiles().unwrap().clone();
        profiles.remove("mfa");
        profiles
    };
    assert_eq!(others(&read[0]), others(&read_before[0]));
}
