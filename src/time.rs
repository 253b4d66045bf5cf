//! Timestamps and spans as people read them, and the RFC 3339 form the files hold.
//!
//! Invariant: pure functions of their arguments; the clock is read by `app` alone.

use aws_smithy_types::date_time::{DateTime, Format};

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
