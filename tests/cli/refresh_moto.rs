//! End-to-end refreshes against a local moto STS, read back by the real consumers: the AWS
//! CLI, boto3, and the aws-config crate.

use crate::harness::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::time::{SystemTime, UNIX_EPOCH};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn refresh_writes_a_session_the_aws_cli_boto3_and_the_rust_sdk_all_read() {
    let Some(moto) = Moto::start() else { return };
    let original = format!(
        "# my keys\n{}\n[other]\nregion = eu-west-1\n",
        default_source()
    );
    let env = TestEnv::with_credentials(&original);
    let out = run(env
        .mfa()
        .args(["123456", "--json", "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("wrote [mfa] in ~/.aws/credentials from [default] (arn:aws:iam::123456789012:mfa/alice), valid until "), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(json["target"], "mfa");
    assert_eq!(json["source"], "default");
    assert_eq!(json["serial"], SERIAL);
    assert_eq!(json["file"], env.credentials().display().to_string());
    let expiration = json["expiration"].as_str().unwrap();
    assert!(
        expiration.ends_with('Z') && expiration.len() == 20,
        "{expiration}"
    );

    let text = env.read_credentials_text();
    assert!(
        text.starts_with(&original),
        "the original bytes must stay as they were:\n{text}"
    );
    let appended = &text[original.len()..];
    assert!(
        appended.starts_with("\n[mfa]\naws_access_key_id = "),
        "{appended}"
    );
    let keys: Vec<&str> = section(&text, "mfa").iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "expiration",
            "mfa_source_profile"
        ]
    );
    assert_eq!(value(&text, "mfa", "expiration"), Some(expiration));
    assert_eq!(value(&text, "mfa", "mfa_source_profile"), Some("default"));
    for secret in [
        value(&text, "mfa", "aws_secret_access_key").unwrap(),
        value(&text, "mfa", "aws_session_token").unwrap(),
    ] {
        assert!(
            !out.stderr.contains(secret) && !out.stdout.contains(secret),
            "a secret was printed"
        );
    }

    // The aws-config crate's parser reads the same three values.
    let files = mfa_profile::profile::SharedFiles {
        credentials: text.clone(),
        config: String::new(),
    };
    let profiles = files.profiles().unwrap();
    let mfa = profiles.get_profile("mfa").unwrap();
    let written = |k| value(&text, "mfa", k).unwrap();
    for key in [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    ] {
        assert_eq!(mfa.get(key), Some(written(key)), "{key}");
    }

    // The AWS CLI signs with the session against the same moto.
    if require("aws") {
        let cli = run(env.command("aws").args([
            "--profile",
            "mfa",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &moto.url(),
            "sts",
            "get-caller-identity",
            "--output",
            "json",
        ]));
        assert_eq!(cli.code, 0, "aws CLI failed: {}", cli.stderr);
        let identity: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
        assert_eq!(identity["Account"], "123456789012");
    }

    // boto3 with AWS_PROFILE=mfa loads the same keys and calls STS with them.
    if require("python3") {
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
        assert_eq!(py.code, 0, "boto3 failed: {}", py.stderr);
        let seen: serde_json::Value = serde_json::from_str(py.stdout.trim()).unwrap();
        assert_eq!(seen["access_key"], written("aws_access_key_id"));
        assert_eq!(seen["secret_key"], written("aws_secret_access_key"));
        assert_eq!(seen["token"], written("aws_session_token"));
        assert_eq!(seen["account"], "123456789012");
    }
}

#[test]
fn endpoint_from_aws_endpoint_url_sts_duration_and_stdin_code() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&default_source());
    let mut cmd = env.mfa();
    cmd.env("AWS_ENDPOINT_URL_STS", moto.url())
        .args(["-d", "15m", "--json"]);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"654321\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expires = mfa_profile::time::parse_rfc3339(json["expiration"].as_str().unwrap()).unwrap();
    let left = expires - now();
    assert!(
        (800..=960).contains(&left),
        "a 15m session has {left} s left"
    );
}

#[test]
fn second_refresh_rewrites_in_place_and_touches_nothing_else() {
    let Some(moto) = Moto::start() else { return };
    let before = format!(
        "; top comment\r\n[default]\r\naws_access_key_id={AKID}\r\naws_secret_access_key={SECRET}\r\nmfa_serial={SERIAL}\r\n\r\n\
[mfa]\r\n# keep this comment\r\nregion=eu-west-1\r\naws_access_key_id=ASIAOLD\r\naws_secret_access_key=oldsecret\r\n\
aws_session_token=oldtoken\r\naws_security_token=oldtoken\r\nexpiration=2020-01-01T00:00:00Z\r\nmfa_source_profile=default\r\n\
output=json\r\n\r\n[z]\r\nk=v"
    );
    let env = TestEnv::with_credentials(&before);
    std::fs::set_permissions(env.credentials(), std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = run(env
        .mfa()
        .args(["123456", "--endpoint-url", &moto.url(), "-d", "1h"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let after = env.read_credentials_text();
    let old: Vec<&str> = before.split("\r\n").collect();
    let new: Vec<&str> = after.split("\r\n").collect();
    assert_eq!(old.len(), new.len(), "no line added or removed:\n{after:?}");
    let token = value(&after, "mfa", "aws_session_token").unwrap();
    let mfa_header = old.iter().position(|l| *l == "[mfa]").unwrap();
    let managed = [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "aws_security_token",
        "expiration",
    ];
    for (index, (o, n)) in old.iter().zip(&new).enumerate() {
        let key = o.split('=').next().unwrap();
        if index > mfa_header && managed.contains(&key) {
            assert!(n.starts_with(&format!("{key}=")) && o != n, "{o} -> {n}");
        } else {
            assert_eq!(o, n, "an untouched line changed");
        }
    }
    assert_eq!(
        value(&after, "mfa", "aws_security_token"),
        Some(token),
        "the legacy key carries the new token"
    );
    assert!(after.ends_with("[z]\r\nk=v"), "no final newline added");
    assert_eq!(
        std::fs::metadata(env.credentials()).unwrap().mode() & 0o777,
        0o640
    );
}

#[test]
fn new_file_and_directory_are_created_private_and_symlinks_stay() {
    let Some(moto) = Moto::start() else { return };
    // Keys in the config file, credentials file (and its directory) missing.
    let env = TestEnv::new();
    env.write_config(&default_source());
    let nested = env.home().join("new/dir/credentials");
    let out = run(env.mfa().env("AWS_SHARED_CREDENTIALS_FILE", &nested).args([
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::metadata(&nested).unwrap().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(nested.parent().unwrap()).unwrap().mode() & 0o777,
        0o700
    );
    assert!(std::fs::read_to_string(&nested)
        .unwrap()
        .starts_with("[mfa]\naws_access_key_id = "));

    // A symlinked credentials file stays a symlink; its target is updated.
    let env = TestEnv::new();
    let real = env.home().join("dotfiles-credentials");
    std::fs::write(&real, default_source()).unwrap();
    std::os::unix::fs::symlink(&real, env.credentials()).unwrap();
    let out = run(env.mfa().args(["123456", "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::symlink_metadata(env.credentials())
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("[mfa]"));
    let leftovers: Vec<_> = std::fs::read_dir(env.home().join(".aws"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temp file left: {leftovers:?}");
}

#[test]
fn hardware_serial_named_source_and_target_flags() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"
    ));
    env.write_config("[profile work]\nregion = eu-west-1\n");
    let out = run(env.mfa().args([
        "-s",
        "work",
        "--serial-number",
        "GAHT12345678",
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = env.read_credentials_text();
    assert_eq!(value(&text, "work-mfa", "mfa_source_profile"), Some("work"));
    let out = run(env.mfa().args([
        "refresh",
        "-s",
        "work",
        "-t",
        "client-x",
        "--serial-number",
        "GAHT12345678",
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        value(
            &env.read_credentials_text(),
            "client-x",
            "mfa_source_profile"
        ),
        Some("work")
    );
}

#[test]
fn mixed_line_endings_and_a_profile_prefixed_section_are_left_alone() {
    let Some(moto) = Moto::start() else { return };
    let original = format!(
        "[default]\r\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\r\nmfa_serial = {SERIAL}\n\n[profile mfa]\r\nregion = x\n# end"
    );
    let env = TestEnv::with_credentials(&original);
    let out = run(env.mfa().args(["123456", "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = env.read_credentials_text();
    // The first line ending in the file is \r\n: new lines use it; the old bytes stay.
    assert!(
        text.starts_with(&format!("{original}\r\n\r\n[mfa]\r\naws_access_key_id = ")),
        "{text:?}"
    );
    assert_eq!(text.matches("[mfa]").count(), 1);
}
