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

#[test]
fn a_first_refresh_appends_the_target_and_keeps_every_other_byte() {
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(original())
        .args(["123456", "--json", "--endpoint-url", &sts.url()])
        .stderr_has("wrote [mfa] in ~/.aws/credentials from [default] (arn:aws:iam::123456789012:mfa/alice), valid until 2099-01-01 00:00 UTC")
        .run();
    ran.env
        .assert_credentials(&expected("first-refresh.credentials"));
    let json = ran.out.json();
    assert_eq!(json["target"], "mfa");
    assert_eq!(json["source"], "default");
    assert_eq!(json["serial"], SERIAL);
    assert_eq!(json["file"], ran.env.credentials().display().to_string());
    assert_eq!(json["expiration"], "2099-01-01T00:00:00Z");
    ran.out
        .assert_silent_about(CANNED_SECRET)
        .assert_silent_about(CANNED_TOKEN)
        .assert_silent_about(SECRET);
    let request = &sts.requests()[0];
    for part in [
        "Action=GetSessionToken",
        "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice",
        "TokenCode=123456",
        "DurationSeconds=43200",
    ] {
        assert!(request.contains(part), "{part}: {request}");
    }
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

#[test]
fn endpoint_from_aws_endpoint_url_sts_duration_and_stdin_code() {
    let Some(moto) = Moto::start() else { return };
    let ran = Test::new()
        .credentials(default_source())
        .env("AWS_ENDPOINT_URL_STS", moto.url())
        .args(["-d", "15m", "--json"])
        .stdin("654321\n")
        .run();
    let expires = epoch_of(ran.out.json()["expiration"].as_str().unwrap());
    let left = expires - now();
    assert!(
        (800..=960).contains(&left),
        "a 15m session has {left} s left"
    );
}

#[test]
fn a_second_refresh_rewrites_in_place_and_touches_nothing_else() {
    let sts = CannedSts::start();
    let before = format!(
        "; top comment\r\n[default]\r\naws_access_key_id={AKID}\r\naws_secret_access_key={SECRET}\r\nmfa_serial={SERIAL}\r\n\r\n\
[mfa]\r\n# keep this comment\r\nregion=eu-west-1\r\naws_access_key_id=ASIAOLD\r\naws_secret_access_key=oldsecret\r\n\
aws_session_token=oldtoken\r\naws_security_token=oldtoken\r\nexpiration=2020-01-01T00:00:00Z\r\nmfa_source_profile=default\r\n\
output=json\r\n\r\n[z]\r\nk=v"
    );
    let env = TestEnv::with_credentials(&before);
    std::fs::set_permissions(env.credentials(), std::fs::Permissions::from_mode(0o640)).unwrap();
    let ran = Test::in_env(env)
        .args(["123456", "--endpoint-url", &sts.url(), "-d", "1h"])
        .run();
    // Same lines, CRLF kept, no final newline added; the legacy aws_security_token carries
    // the new token too.
    ran.env
        .assert_credentials(&expected("second-refresh-crlf.credentials"));
    assert_eq!(
        std::fs::metadata(ran.env.credentials()).unwrap().mode() & 0o777,
        0o640
    );
}

#[test]
fn a_new_file_and_its_directory_are_created_private() {
    let sts = CannedSts::start();
    // Keys in the config file; the credentials file (and its directory) missing.
    let env = TestEnv::new();
    env.write_config(&default_source());
    let nested = env.home().join("new/dir/credentials");
    let _ran = Test::in_env(env)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nested)
        .args(["123456", "--endpoint-url", &sts.url()])
        .run();
    assert_eq!(std::fs::metadata(&nested).unwrap().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(nested.parent().unwrap()).unwrap().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::read(&nested).unwrap(),
        expected("new-file.credentials")
    );
}

#[test]
fn a_symlinked_credentials_file_stays_a_symlink_and_its_target_is_updated() {
    let sts = CannedSts::start();
    let env = TestEnv::new();
    let real = env.home().join("dotfiles-credentials");
    std::fs::write(&real, original()).unwrap();
    std::os::unix::fs::symlink(&real, env.credentials()).unwrap();
    let ran = Test::in_env(env)
        .args(["123456", "--endpoint-url", &sts.url()])
        .run();
    assert!(std::fs::symlink_metadata(ran.env.credentials())
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read(&real).unwrap(),
        expected("first-refresh.credentials")
    );
    let leftovers: Vec<_> = std::fs::read_dir(ran.env.home().join(".aws"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file left: {leftovers:?}");
}

fn work_source() -> TestEnv {
    let env = TestEnv::with_credentials(&format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"
    ));
    env.write_config("[profile work]\nregion = eu-west-1\n");
    env
}

#[test]
fn a_named_source_and_a_hardware_serial_make_source_mfa() {
    let sts = CannedSts::start();
    let ran = Test::in_env(work_source())
        .args(["-s", "work", "--serial-number", "GAHT12345678", "123456"])
        .args(["--endpoint-url", &sts.url()])
        .run();
    ran.env
        .assert_credentials(&expected("named-source.credentials"));
    assert!(sts.requests()[0].contains("SerialNumber=GAHT12345678"));
}

#[test]
fn refresh_with_source_and_target_flags_writes_the_named_target() {
    let sts = CannedSts::start();
    let ran = Test::in_env(work_source())
        .args(["refresh", "-s", "work", "-t", "client-x"])
        .args(["--serial-number", "GAHT12345678", "123456"])
        .args(["--endpoint-url", &sts.url()])
        .run();
    ran.env
        .assert_credentials(&expected("named-source-and-target.credentials"));
}

#[test]
fn mixed_line_endings_and_a_profile_prefixed_section_are_left_alone() {
    let sts = CannedSts::start();
    let original = format!(
        "[default]\r\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\r\nmfa_serial = {SERIAL}\n\n[profile mfa]\r\nregion = x\n# end"
    );
    // The first line ending in the file is \r\n: new lines use it; the old bytes stay.
    let ran = Test::new()
        .credentials(&original)
        .args(["123456", "--endpoint-url", &sts.url()])
        .run();
    ran.env
        .assert_credentials(&expected("mixed-line-endings.credentials"));
}
