//! The skip path (a still-valid target is left alone with no code and no network), the
//! source recorded in a managed target, and `status`.

use crate::support::*;

fn managed_short(target: &str, source: &str, expiration: &str) -> String {
    format!("[{target}]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = {expiration}\nmfa_source_profile = {source}\n")
}

fn with_mfa(source: &str, expiration: &str) -> String {
    format!(
        "{}{}",
        default_source(),
        managed_short("mfa", source, expiration)
    )
}

fn status_files() -> TestEnv {
    let text = format!(
        "{}[work]\naws_access_key_id = A\naws_secret_access_key = S\n{}{}",
        default_source(),
        managed_short("mfa", "default", "2099-01-01T00:00:00Z"),
        managed_short("work-mfa", "work", "2001-01-01T00:00:00Z"),
    );
    let env = TestEnv::with_credentials(&text);
    env.write_config("[profile work]\nmfa_serial = GAHT12345678\n");
    env
}

#[test]
fn status_json_lists_managed_targets_with_serial_and_state() {
    let env = status_files();
    let before = env.read_credentials();
    let ran = Test::in_env(env).args(["status", "--json"]).run();
    let rows = ran.out.json();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["target"], "mfa");
    assert_eq!(rows[0]["serial"], SERIAL);
    assert_eq!(rows[0]["state"], "valid");
    assert!(rows[0]["remaining"].as_i64().unwrap() > 365 * 24 * 3600);
    assert_eq!(rows[1]["source"], "work");
    assert_eq!(rows[1]["serial"], "GAHT12345678");
    assert_eq!(rows[1]["state"], "expired");
    ran.env.assert_credentials(&before);
}

#[test]
fn status_warns_about_keys_in_the_environment() {
    Test::in_env(status_files())
        .args(["status", "--json"])
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .stderr_has("AWS_ACCESS_KEY_ID is set in this shell")
        .run();
}

#[test]
fn status_table_has_a_row_per_target_and_no_key() {
    let ran = Test::in_env(status_files()).arg("status").run();
    let out = &ran.out;
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("TARGET") && lines[0].ends_with("STATE"));
    assert!(lines[1].starts_with("mfa ") && lines[1].ends_with("valid"));
    assert!(lines[2].starts_with("work-mfa") && lines[2].ends_with("expired"));
    assert!(
        !out.stdout.contains("ASIAEXAMPLE") && !out.stdout.contains(" t "),
        "status prints no key"
    );
}

#[test]
fn status_warns_about_a_config_file_it_cannot_read_and_still_lists() {
    let credentials = status_files().read_credentials();
    let ran = Test::new()
        .credentials(credentials)
        .config("[profile work]\nmfa_serial\n")
        .args(["status", "--json"])
        .stderr_has("warning: cannot use ~/.aws/config: line 2")
        .run();
    assert_eq!(ran.out.json()[1]["serial"], "-");
}

/// Files reached through --credentials-file/--config-file; the environment's hold nothing.
fn files_from_flags() -> (TestEnv, [String; 4], String) {
    let env = TestEnv::new();
    env.write_credentials(b"");
    let creds = env.home().join("elsewhere-credentials");
    let config = env.home().join("elsewhere-config");
    let text = format!(
        "[work]\naws_access_key_id = A\naws_secret_access_key = S\n{}",
        managed_short("work-mfa", "work", "2099-01-01T00:00:00Z")
    );
    std::fs::write(&creds, &text).unwrap();
    std::fs::write(&config, "[profile work]\nmfa_serial = GAHT12345678\n").unwrap();
    let flags = [
        "--credentials-file".to_owned(),
        creds.display().to_string(),
        "--config-file".to_owned(),
        config.display().to_string(),
    ];
    (env, flags, text)
}

#[test]
fn credentials_file_and_config_file_flags_beat_the_environment_in_status() {
    let (env, flags, _) = files_from_flags();
    let ran = Test::in_env(env)
        .args(["status", "--json"])
        .args(&flags)
        .run();
    let rows = ran.out.json();
    assert_eq!(rows[0]["target"], "work-mfa");
    assert_eq!(
        rows[0]["serial"], "GAHT12345678",
        "the serial came from --config-file"
    );
}

#[test]
fn no_colour_when_piped() {
    let ran = Test::new()
        .credentials(with_mfa("default", "2099-01-01T00:00:00Z"))
        .arg("status")
        .stdout_has("valid")
        .run();
    assert!(!ran.out.stdout.contains('\x1b'), "{}", ran.out);
}

/// `mfa-profile status` on a pseudo-terminal made by `script`.
fn status_on_a_terminal(no_color: Option<&str>) -> Option<Run> {
    if !require("script") {
        return None;
    }
    let env = TestEnv::with_credentials(&with_mfa("default", "2099-01-01T00:00:00Z"));
    let mut cmd = env.command("script");
    cmd.env("TERM", "xterm")
        .args(["-qec", &format!("{BIN} status"), "/dev/null"]);
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    Some(run(&mut cmd))
}

#[test]
fn colour_on_a_terminal() {
    let Some(out) = status_on_a_terminal(None) else {
        return;
    };
    out.assert_code(0).assert_stdout_has("\x1b[32mvalid\x1b[0m");
}

#[test]
fn no_colour_with_no_color_even_on_a_terminal() {
    let Some(out) = status_on_a_terminal(Some("1")) else {
        return;
    };
    out.assert_code(0).assert_stdout_has("valid");
    assert!(!out.stdout.contains('\x1b'), "{out}");
}

#[test]
fn status_of_one_target_shows_its_row_alone_and_refuses_one_it_does_not_manage() {
    let env = status_files();
    let ran = Test::in_env(env).args(["status", "--json"]).run();
    let all = ran.out.json();
    let first = all[0]["target"].as_str().unwrap().to_owned();
    assert!(all.as_array().unwrap().len() > 1, "{all}");
    let one = Test::in_env(ran.env)
        .args(["status", "--json", &first])
        .run();
    let rows = one.out.json();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["target"], first.as_str());
    Test::in_env(one.env)
        .args(["status", "default"])
        .status(2)
        .stderr_has("is not a target mfa-profile manages (it has no mfa_source_profile)")
        .run();
}
