//! Durations and timestamps as users type and read them.
//!
//! Invariant: pure functions of their arguments, except [`now`], the one reading of the clock.

use aws_smithy_types::date_time::{DateTime, Format};

/// The current time, seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Shortest session STS grants, in seconds (15 minutes).
pub const MIN_DURATION: u32 = 900;
/// Longest GetSessionToken session for an IAM user, in seconds (36 hours).
pub const MAX_DURATION: u32 = 129_600;

/// Parses `3600`, `3600s`, `15m`, `12h`, `1h30m` into seconds.
pub fn parse_duration(text: &str) -> Result<u32, String> {
    let bad = || {
        format!(
            "duration `{}` is not a number of seconds or a span like 15m, 12h, 1h30m",
            text.escape_debug()
        )
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| bad());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut last_unit = u64::MAX;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        let unit = match ch {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        if number.is_empty() || unit >= last_unit || number.len() > 9 {
            return Err(bad());
        }
        total += number.parse::<u64>().map_err(|_| bad())? * unit;
        number.clear();
        last_unit = unit;
    }
    if !number.is_empty() {
        return Err(bad());
    }
    u32::try_from(total).map_err(|_| bad())
}

/// Checks a GetSessionToken duration against STS's limits.
pub fn check_duration(seconds: u32) -> Result<u32, String> {
    if (MIN_DURATION..=MAX_DURATION).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(format!(
            "duration {} is outside what STS grants an IAM user: 15m (900) to 36h (129600)",
            human_span(i64::from(seconds))
        ))
    }
}

/// `12h`, `7h12m`, `45m`, `30s`: the largest two units, for humans, to the nearest minute
/// from a minute up.
pub fn human_span(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        return format!("{s}s");
    }
    let minutes = (s + 30) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// `2026-11-23T02:00:00Z`.
pub fn rfc3339(epoch_seconds: i64) -> String {
    DateTime::from_secs(epoch_seconds)
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| epoch_seconds.to_string())
}

/// `2026-11-23 02:00 UTC`.
pub fn human_utc(epoch_seconds: i64) -> String {
    let text = rfc3339(epoch_seconds);
    match text.get(..16) {
        Some(minutes) => format!("{} UTC", minutes.replacen('T', " ", 1)),
        None => text,
    }
}

/// Parses an RFC 3339 timestamp (as written in `expiration`) into epoch seconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::from_str(text.trim(), Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3600"), Ok(3600));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("12h"), Ok(43200));
        assert_eq!(parse_duration("36h"), Ok(129600));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("90s"), Ok(90));
        for bad in [
            "",
            "h",
            "12x",
            "1.5h",
            "-1",
            "30m1h",
            "12hh",
            "99999999999h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(check_duration(899).is_err());
        assert!(check_duration(129601).is_err());
        assert_eq!(check_duration(900), Ok(900));
    }

    #[test]
    fn times() {
        assert_eq!(rfc3339(1795399200), "2026-11-23T02:00:00Z");
        assert_eq!(human_utc(1795399200), "2026-11-23 02:00 UTC");
        assert_eq!(parse_rfc3339("2026-11-23T02:00:00Z"), Some(1795399200));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(human_span(43200), "12h");
        assert_eq!(human_span(25920), "7h12m");
        assert_eq!(human_span(59), "59s");
        assert_eq!(human_span(3599), "1h");
        assert_eq!(human_span(3569), "59m");
    }
}
