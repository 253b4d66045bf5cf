//! Times shown to people (`status`, a refresh's messages) are in the local time zone, found from the one file `TZ` or
//! `/etc/localtime` names: the same time and abbreviation as GNU `date` (glibc's reading of
//! the same variable) and jiff's full time-zone database, for names, POSIX rules, an empty `TZ`
//! and none.

use crate::support::*;

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
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(default_source())
        .env("TZ", "Europe/Paris")
        .args(["123456", "--endpoint-url", &sts.url()])
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
