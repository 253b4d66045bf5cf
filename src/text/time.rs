//! Timestamps and spans as people read them, and the RFC 3339 form the files hold.
//!
//! Invariant: pure functions of their arguments; the clock is read by `app` alone.

use aws_smithy_types::date_time::{DateTime, Format};
use jiff::tz::TimeZone;
use std::path::Path;
use std::sync::OnceLock;

/// `12h`, `7h12m`, `45m`, `30s`: the largest two units, for humans, to the nearest minute
/// from a minute up; from two days up, whole days (`26335 days`).
pub fn human_span(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        return format!("{s}s");
    }
    if s >= 2 * 86_400 {
        return format!("{} days", s / 86_400);
    }
    let minutes = (s + 30) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// `14m59s`, `15m`, `36h1s`: a span to the second, for limits where rounding would mislead.
pub fn exact_span(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut out = String::new();
    for (value, unit) in [(h, 'h'), (m, 'm'), (s, 's')] {
        if value > 0 {
            out.push_str(&format!("{value}{unit}"));
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// `2026-11-23T02:00:00Z`.
pub fn rfc3339(epoch_seconds: i64) -> String {
    DateTime::from_secs(epoch_seconds)
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| epoch_seconds.to_string())
}

/// Where the zone that times are shown to people in comes from: set once by the process
/// (the system's zone); UTC when unset. Found on first use, so a command that shows no time
/// reads no zone file.
static ZONE_FINDER: OnceLock<fn() -> TimeZone> = OnceLock::new();
static SHOWN_ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Shows every time meant for people in the zone `find` gives (called once, at the first
/// time shown). Files and JSON keep UTC.
pub fn show_times_in(find: fn() -> TimeZone) {
    let _ = ZONE_FINDER.set(find);
}

fn shown_zone() -> &'static TimeZone {
    SHOWN_ZONE.get_or_init(|| ZONE_FINDER.get().map_or(TimeZone::UTC, |find| find()))
}

/// `2026-11-23 03:00 CET`: a moment as people are shown it, in the zone of
/// [`show_times_in`].
pub fn human(epoch_seconds: i64) -> String {
    human_local(epoch_seconds, shown_zone())
}

/// `03:00:05 CET`: the time of day as people are shown it, to the second.
pub fn time_of_day(epoch_seconds: i64) -> String {
    match jiff::Timestamp::from_second(epoch_seconds) {
        Ok(ts) => ts
            .to_zoned(shown_zone().clone())
            .strftime("%H:%M:%S %Z")
            .to_string(),
        Err(_) => rfc3339(epoch_seconds),
    }
}

/// Parses an RFC 3339 timestamp (as written in `expiration`) into epoch seconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::from_str(text.trim(), Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

/// Parses an `expiration` as the tools that write one spell it: RFC 3339 (mfa-profile, with
/// any offset), or `2026-11-24 07:00:00` in UTC with no zone (broamski/aws-mfa).
pub fn parse_expiration(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some(seconds) = parse_rfc3339(text) {
        return Some(seconds);
    }
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.as_second());
    }
    let naive: jiff::civil::DateTime = text.parse().ok()?;
    naive
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|zoned| zoned.timestamp().as_second())
}

/// `2026-11-23 03:00 CET`: `epoch_seconds` in `zone`.
pub fn human_local(epoch_seconds: i64, zone: &TimeZone) -> String {
    match jiff::Timestamp::from_second(epoch_seconds) {
        Ok(ts) => ts
            .to_zoned(zone.clone())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => rfc3339(epoch_seconds),
    }
}

/// The local time zone of a Unix system as jiff's `TimeZone::system()` finds it, from the one
/// file it comes from: `tz` is `TZ` (`None` when unset), `tzdir` is `TZDIR`, `read` gives a
/// file's bytes. jiff's own lookup lists every file under `/usr/share/zoneinfo` first (most of
/// what `status` did). `None` where jiff's answer could differ (a path in `TZ`, a name no file
/// holds exactly): the caller asks jiff then.
// Windows finds its zone through jiff alone (app::local_zone).
#[cfg_attr(not(unix), allow(dead_code))]
pub fn local_zone(
    tz: Option<&str>,
    tzdir: Option<&str>,
    read: impl Fn(&Path) -> Option<Vec<u8>>,
) -> Option<TimeZone> {
    let Some(tz) = tz else {
        return TimeZone::tzif("localtime", &read(Path::new("/etc/localtime"))?).ok();
    };
    if tz.is_empty() {
        return Some(TimeZone::UTC);
    }
    let name = match tz.strip_prefix(':') {
        Some(name) => name,
        None => match TimeZone::posix(tz) {
            Ok(zone) => return Some(zone),
            Err(_) => tz,
        },
    };
    let plain_name = !name.contains("zoneinfo/")
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !plain_name {
        return None;
    }
    let file = Path::new(tzdir.unwrap_or("/usr/share/zoneinfo")).join(name);
    TimeZone::tzif(name, &read(&file)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(rfc3339(1795399200), "2026-11-23T02:00:00Z");
        assert_eq!(human(1795399200), "2026-11-23 02:00 UTC");
        assert_eq!(parse_rfc3339("2026-11-23T02:00:00Z"), Some(1795399200));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(human_span(43200), "12h");
        assert_eq!(human_span(25920), "7h12m");
        assert_eq!(human_span(59), "59s");
        assert_eq!(human_span(3599), "1h");
        assert_eq!(human_span(3569), "59m");
        assert_eq!(human_span(172_799), "48h");
        assert_eq!(human_span(217_623_660), "2518 days");
        assert_eq!(exact_span(899), "14m59s");
        assert_eq!(exact_span(900), "15m");
        assert_eq!(exact_span(129_601), "36h1s");
    }

    // Unix paths: on Windows, `status` asks jiff (which reads the system's zone there).
    #[cfg(unix)]
    #[test]
    fn the_local_zone_comes_from_the_one_file_tz_names() {
        let paris = std::fs::read("/usr/share/zoneinfo/Europe/Paris").ok();
        let files = |path: &Path| match path.to_str() {
            Some("/usr/share/zoneinfo/Europe/Paris" | "/etc/localtime" | "/tz/Europe/Paris") => {
                paris.clone()
            }
            _ => None,
        };
        let at = 1_795_503_600; // 2026-11-24T07:00:00Z
        let shown = |tz: Option<&str>, tzdir: Option<&str>| {
            local_zone(tz, tzdir, files).map(|zone| human_local(at, &zone))
        };
        assert_eq!(
            shown(Some(""), None).as_deref(),
            Some("2026-11-24 07:00 UTC")
        );
        assert_eq!(
            shown(Some("EST5EDT,M3.2.0,M11.1.0"), None).as_deref(),
            Some("2026-11-24 02:00 EST")
        );
        assert_eq!(
            shown(Some("<+03>-3"), None).as_deref(),
            Some("2026-11-24 10:00 +03")
        );
        assert_eq!(
            shown(Some("Europe/Lisbon"), None),
            None,
            "no such file: jiff decides"
        );
        assert_eq!(shown(Some("/usr/share/zoneinfo/Europe/Paris"), None), None);
        assert_eq!(shown(Some("../Europe/Paris"), None), None);
        if paris.is_some() {
            for tz in [None, Some("Europe/Paris"), Some(":Europe/Paris")] {
                assert_eq!(
                    shown(tz, None).as_deref(),
                    Some("2026-11-24 08:00 CET"),
                    "{tz:?}"
                );
            }
            assert_eq!(
                shown(Some("Europe/Paris"), Some("/tz")).as_deref(),
                Some("2026-11-24 08:00 CET")
            );
        }
    }

    #[test]
    fn expirations_as_other_tools_write_them() {
        let at = 1_795_503_600; // 2026-11-24T07:00:00Z
        assert_eq!(parse_expiration("2026-11-24T07:00:00Z"), Some(at));
        assert_eq!(parse_expiration("2026-11-24 07:00:00"), Some(at), "aws-mfa");
        assert_eq!(parse_expiration("2026-11-24T08:00:00+01:00"), Some(at));
        assert_eq!(parse_expiration("junk"), None);
    }
}
