//! The skip path (a still-valid target is left alone with no code and no network), the
//! source recorded in a managed target, and `status`.

use crate::harness::*;

const CLOSED: &str = "http://127.0.0.1:9";

fn managed(target: &str, source: &str, expiration: &str) -> String {
    format!("[{target}]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = {expiration}\nmfa_source_profile = {source}\n")
}

#[test]
fn a_valid_target_is_skipped_without_a_code_or_a_network_call() {
    let original = format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&original);
    // No code, no terminal, STS on a closed port: only the skip path can succeed.
    let out = run(env.mfa().args(["--endpoint-url", CLOSED, "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("[mfa] is still valid for"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--force refreshes it now"));
    let json: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(json["skipped"], true);
    assert_eq!(json["expiration"], "2099-01-01T00:00:00Z");
    assert_eq!(env.read_credentials(), original.as_bytes());
}

#[test]
fn force_min_remaining_expired_and_another_source_refresh() {
    let expired = format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    let valid = format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    );
    let other_source = format!(
        "{}{}",
        default_source(),
        managed("mfa", "work", "2099-01-01T00:00:00Z")
    );
    for (name, text, args) in [
        ("--force", &valid, vec!["--force", "123456"]),
        (
            "--min-remaining beyond the expiry",
            &valid,
            vec!["--min-remaining", "999999h", "123456"],
        ),
        ("expired", &expired, vec!["123456"]),
        (
            "recorded source differs",
            &other_source,
            vec!["-s", "default", "-t", "mfa", "123456"],
        ),
    ] {
        let env = TestEnv::with_credentials(text);
        let out = run(env.mfa().args(&args).args(["--endpoint-url", CLOSED]));
        // It went to STS (closed port), so it did not skip.
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains("cannot reach STS"),
            "{name}: {}",
            out.stderr
        );
        assert_eq!(env.read_credentials(), text.as_bytes(), "{name}");
    }
}

#[test]
fn a_managed_target_refreshes_from_its_recorded_source() {
    let Some(moto) = Moto::start() else { return };
    let text = format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = GAHT12345678\n{}",
        managed("client-admin", "work", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&text);
    let out = run(env.mfa().args([
        "-t",
        "client-admin",
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("wrote [client-admin] in ~/.aws/credentials from [work] (GAHT12345678)"),
        "{}",
        out.stderr
    );
}

#[test]
fn status_lists_managed_targets_without_network() {
    let text = format!(
        "{}[work]\naws_access_key_id = A\naws_secret_access_key = S\n{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z"),
        managed("work-mfa", "work", "2001-01-01T00:00:00Z"),
    );
    let env = TestEnv::with_credentials(&text);
    env.write_config("[profile work]\nmfa_serial = GAHT12345678\n");
    let out = run(env
        .mfa()
        .args(["status", "--json"])
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("AWS_ACCESS_KEY_ID is set in this shell"),
        "{}",
        out.stderr
    );
    let rows: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["target"], "mfa");
    assert_eq!(rows[0]["serial"], SERIAL);
    assert_eq!(rows[0]["state"], "valid");
    assert!(rows[0]["remaining"].as_i64().unwrap() > 365 * 24 * 3600);
    assert_eq!(rows[1]["source"], "work");
    assert_eq!(rows[1]["serial"], "GAHT12345678");
    assert_eq!(rows[1]["state"], "expired");

    let out = run(env.mfa().arg("status"));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].starts_with("TARGET") && lines[0].ends_with("STATE"));
    assert!(lines[1].starts_with("mfa ") && lines[1].ends_with("valid"));
    assert!(lines[2].starts_with("work-mfa") && lines[2].ends_with("expired"));
    assert!(
        !out.stdout.contains("ASIAEXAMPLE") && !out.stdout.contains(" t "),
        "status prints no key"
    );
    assert_eq!(env.read_credentials(), text.as_bytes());
}

#[test]
fn credentials_file_and_config_file_flags_beat_the_environment() {
    let env = TestEnv::new();
    // The environment points at files holding nothing; the flags at the real ones.
    env.write_credentials(b"");
    let creds = env.home().join("elsewhere-credentials");
    let config = env.home().join("elsewhere-config");
    let text = format!(
        "[work]\naws_access_key_id = A\naws_secret_access_key = S\n{}",
        managed("work-mfa", "work", "2099-01-01T00:00:00Z")
    );
    std::fs::write(&creds, &text).unwrap();
    std::fs::write(&config, "[profile work]\nmfa_serial = GAHT12345678\n").unwrap();
    let flags = [
        "--credentials-file",
        creds.to_str().unwrap(),
        "--config-file",
        config.to_str().unwrap(),
    ];

    let out = run(env
        .mfa()
        .args(["-t", "work-mfa", "--endpoint-url", CLOSED])
        .args(flags));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("[work-mfa] is still valid for"),
        "{}",
        out.stderr
    );

    let out = run(env.mfa().args(["status", "--json"]).args(flags));
    let rows: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(rows[0]["target"], "work-mfa");
    assert_eq!(
        rows[0]["serial"], "GAHT12345678",
        "the serial came from --config-file"
    );
    assert_eq!(std::fs::read(&creds).unwrap(), text.as_bytes());
    assert!(env.read_credentials().is_empty());
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    ));
    let piped = run(env.mfa().arg("status"));
    assert!(
        piped.stdout.contains("valid") && !piped.stdout.contains('\x1b'),
        "{}",
        piped.stdout
    );
    if !require("script") {
        return;
    }
    // `script` gives the command a pseudo-terminal.
    let on_tty = |no_color: Option<&str>| {
        let mut cmd = env.command("script");
        cmd.env("TERM", "xterm").args([
            "-qec",
            &format!("{} status", env!("CARGO_BIN_EXE_mfa-profile")),
            "/dev/null",
        ]);
        if let Some(value) = no_color {
            cmd.env("NO_COLOR", value);
        }
        run(&mut cmd)
    };
    let coloured = on_tty(None);
    assert_eq!(coloured.code, 0, "{}", coloured.stderr);
    assert!(
        coloured.stdout.contains("\x1b[32mvalid\x1b[0m"),
        "{:?}",
        coloured.stdout
    );
    let plain = on_tty(Some("1"));
    assert!(
        plain.stdout.contains("valid") && !plain.stdout.contains('\x1b'),
        "{:?}",
        plain.stdout
    );
}
