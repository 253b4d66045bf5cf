//! `status`: the managed targets, their sources, serials and states, as a table (colour on a
//! terminal only), JSON, or one line for a shell prompt (`--prompt`); the files reached through
//! flags; warnings about keys in the environment and files it cannot read; times shown in the
//! local time zone as GNU `date` and jiff's database show them, while files and JSON keep UTC.
//! `status --keys` is in `key_status.rs`; derived targets' hints in `derived.rs`.

use crate::support::*;

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

#[test]
fn an_aws_mfa_expiration_is_read() {
    let text = format!(
        "{}[mfa]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2099-01-01 00:00:00\nmfa_source_profile = default\n",
        default_source()
    );
    let ran = Test::new()
        .credentials(text)
        .args(["status", "--json"])
        .run();
    let row = &ran.out.json()[0];
    assert_eq!(row["state"], "valid");
    assert_eq!(row["expiration"], "2099-01-01T00:00:00Z");
}

#[test]
fn with_no_default_status_suggests_a_command_that_works() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(format!(
            "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
        ))
        .arg("status")
        .stderr_has("run `mfa-profile -s work` to create [work-mfa] from [work] (it asks for the MFA code)")
        .run();
    let command = hinted(&ran.out.stderr, "mfa-profile -s work");
    hint(&ran.env, &command, ["123456", "--endpoint-url", &aws.url()])
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
}

#[test]
fn the_prompt_line_names_the_target_and_its_time_and_nothing_else() {
    let text = format!(
        "{}\n{}\n{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z"),
        managed("work-mfa", "default", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&text);
    // A config file the SDKs cannot parse: the prompt does not read it.
    env.write_config("[profile x\n");
    let line = |extra: &[&str], aws_profile: Option<&str>| {
        let mut test = Test::on(&env).args(["status", "--prompt"]).args(extra);
        if let Some(profile) = aws_profile {
            test = test.env("AWS_PROFILE", profile);
        }
        let out = test.run().out;
        assert_eq!(out.stderr, "", "nothing on stderr: {out}");
        out.stdout
    };
    let all = line(&[], None);
    assert!(
        all.starts_with("mfa ") && all.ends_with(" days, work-mfa expired\n"),
        "{all:?}"
    );
    assert_eq!(line(&["work-mfa"], None), "work-mfa expired\n");
    assert_eq!(line(&[], Some("work-mfa")), "work-mfa expired\n");
    assert!(
        line(&[], Some("unmanaged")).starts_with("mfa "),
        "all when AWS_PROFILE is not a target"
    );
    assert_eq!(line(&["default"], None), "", "not a target: nothing");
}

#[test]
fn the_prompt_line_is_empty_when_nothing_is_managed() {
    Test::new()
        .credentials(default_source())
        .args(["status", "--prompt"])
        .stdout_is("")
        .run();
}

/// 2099-07-01T12:00:00Z: summer in the north, so daylight saving time shows.
const EXPIRATION: &str = "2099-07-01T12:00:00Z";

/// What `status` shows as the expiration with `TZ` set to `tz` (unset: `None`).
fn expires_column(tz: Option<&str>) -> String {
    let mut test = Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", EXPIRATION)
        ))
        .arg("status");
    if let Some(tz) = tz {
        test = test.env("TZ", tz);
    }
    let ran = test.run();
    let row = ran.out.stdout.lines().nth(1).unwrap_or_default().to_owned();
    // TARGET SOURCE SERIAL then the date, the time and the zone.
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert!(fields.len() >= 6, "{}", ran.out);
    fields[3..6].join(" ")
}

/// GNU date's rendering of the expiration with `TZ` set to `tz`.
fn date(tz: Option<&str>) -> String {
    let mut cmd = std::process::Command::new("date");
    cmd.env_clear()
        .args(["-d", EXPIRATION, "+%Y-%m-%d %H:%M %Z"]);
    if let Some(tz) = tz {
        cmd.env("TZ", tz);
    }
    let out = cmd.output().expect("date runs");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[cfg(unix)]
#[test]
fn status_shows_local_time_as_date_does() {
    for tz in [
        None,
        Some(""),
        Some("UTC"),
        Some("Europe/Paris"),
        Some(":America/New_York"),
        Some("Asia/Kolkata"),
        Some("Australia/Lord_Howe"),
        Some("EST5EDT"),
        Some("<+03>-3"),
        Some("CET-1CEST,M3.5.0,M10.5.0/3"),
    ] {
        assert_eq!(expires_column(tz), date(tz), "TZ={tz:?}");
    }
}

#[cfg(unix)]
#[test]
fn status_shows_local_time_as_jiffs_database_does() {
    let at = jiff::Timestamp::from_second(epoch_of(EXPIRATION)).unwrap();
    for name in [
        "Europe/Paris",
        "America/Sao_Paulo",
        "Pacific/Chatham",
        "Etc/GMT+5",
    ] {
        let Ok(zone) = jiff::tz::TimeZone::get(name) else {
            panic!("{name} is not in this system's time-zone database");
        };
        let want = at.to_zoned(zone).strftime("%Y-%m-%d %H:%M %Z").to_string();
        assert_eq!(expires_column(Some(name)), want, "TZ={name}");
    }
}

/// Issue 20: `status` showed local time while a refresh's messages showed UTC. One rule now:
/// every time shown to people is local, files and JSON keep UTC.
#[test]
fn every_time_shown_to_people_is_local_and_the_file_keeps_utc() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials(default_source())
        .env("TZ", "Europe/Paris")
        .args(["123456", "--endpoint-url", &aws.url()])
        .stderr_has("valid until 2099-01-01 01:00 CET")
        .run();
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "mfa", "expiration").as_deref(),
        Some("2099-01-01T00:00:00Z")
    );
    Test::in_env(ran.env)
        .env("TZ", "Europe/Paris")
        .arg("123456")
        .stderr_has("[mfa] is still valid for")
        .stderr_has("until 2099-01-01 01:00 CET")
        .run();
}

/// `status --names` is what the completion scripts run after `-t`: the managed targets' names
/// alone, one a line, from the credentials file only (a config file that cannot be read, a
/// key in the environment, an `AWS_PROFILE` naming nothing: not a word on stderr).
#[test]
fn status_names_prints_each_managed_target_on_a_line_and_reads_nothing_else() {
    let env = status_files();
    env.write_config("[profile work\nmfa_serial = broken\n");
    let before = env.read_credentials();
    let ran = Test::in_env(env)
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOWEXAMPLE")
        .env("AWS_PROFILE", "nothing-here")
        .args(["status", "--names"])
        .stdout_is("mfa\nwork-mfa\n")
        .run();
    assert_eq!(ran.out.stderr, "", "nothing but the names");
    ran.env.assert_credentials(&before);
}
