//! Durations as users type them: `3600`, `15m`, `12h`, `1h30m`.

use super::{shown, InputError};
use crate::text::time::exact_span;
use std::str::FromStr;

/// Shortest session STS grants, in seconds (15 minutes).
pub const MIN_DURATION: u32 = 900;
/// Longest GetSessionToken session for an IAM user, in seconds (36 hours).
pub const MAX_DURATION: u32 = 129_600;
/// Longest AssumeRole session STS grants, in seconds (12 hours; a role's own maximum may be
/// lower).
pub const MAX_ROLE_DURATION: u32 = 43_200;
/// The longest session STS gives a role assumed with temporary credentials (role chaining):
/// one hour (STS API reference, AssumeRole, DurationSeconds).
pub const MAX_CHAINED_DURATION: u32 = 3_600;

/// How long a managed target must still be valid to be left alone, when no flag says (the
/// `--min-remaining` default, `15m`); `status` calls a target "expiring" below it too.
pub const DEFAULT_MIN_REMAINING: Span = Span::from_secs(15 * 60);

/// A span of time in seconds, typed as `3600`, `3600s`, `15m`, `12h` or `1h30m`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(u32);

impl Span {
    /// A span of `seconds`.
    pub const fn from_secs(seconds: u32) -> Span {
        Span(seconds)
    }

    /// The span in seconds.
    pub const fn secs(self) -> u32 {
        self.0
    }
}

impl FromStr for Span {
    type Err = InputError;

    fn from_str(text: &str) -> Result<Self, InputError> {
        let bad = || InputError::Duration(shown(text));
        let text = text.trim();
        if text.is_empty() {
            return Err(bad());
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().map(Span).map_err(|_| bad());
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
        u32::try_from(total).map(Span).map_err(|_| bad())
    }
}

/// A session length STS grants some session: 15m (900 s) to 36h (129,600 s). Which kind of
/// session may have it is checked where the kind is known ([`SessionDuration::for_role`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionDuration(u32);

impl SessionDuration {
    /// STS's default GetSessionToken session: 12 hours.
    pub const DEFAULT: SessionDuration = SessionDuration(43_200);
    /// STS's default AssumeRole session: 1 hour.
    pub const DEFAULT_ROLE: SessionDuration = SessionDuration(3_600);

    /// Checks a span against what STS grants an IAM user's session.
    pub fn new(span: Span) -> Result<SessionDuration, InputError> {
        if (MIN_DURATION..=MAX_DURATION).contains(&span.secs()) {
            Ok(SessionDuration(span.secs()))
        } else {
            Err(InputError::DurationOutOfRange {
                shown: exact_span(span.secs()),
                what: "an IAM user",
                range: "15m (900) to 36h (129600)",
            })
        }
    }

    /// This duration, checked against what STS grants an assumed role (at most 12 hours).
    pub fn for_role(self) -> Result<SessionDuration, InputError> {
        if self.0 <= MAX_ROLE_DURATION {
            Ok(self)
        } else {
            Err(InputError::DurationOutOfRange {
                shown: exact_span(self.0),
                what: "an assumed role",
                range: "15m (900) to 12h (43200)",
            })
        }
    }

    /// The length in seconds.
    pub fn secs(self) -> u32 {
        self.0
    }
}

impl FromStr for SessionDuration {
    type Err = InputError;

    fn from_str(text: &str) -> Result<Self, InputError> {
        SessionDuration::new(text.parse()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> Result<u32, InputError> {
        text.parse::<Span>().map(Span::secs)
    }

    #[test]
    fn spans() {
        assert_eq!(span("3600"), Ok(3600));
        assert_eq!(span("15m"), Ok(900));
        assert_eq!(span("12h"), Ok(43200));
        assert_eq!(span("36h"), Ok(129600));
        assert_eq!(span("1h30m"), Ok(5400));
        assert_eq!(span("90s"), Ok(90));
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
            assert!(span(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn session_durations() {
        assert!("899".parse::<SessionDuration>().is_err());
        assert!("129601".parse::<SessionDuration>().is_err());
        assert_eq!("900".parse::<SessionDuration>().map(|d| d.secs()), Ok(900));
        assert!("13h"
            .parse::<SessionDuration>()
            .unwrap()
            .for_role()
            .is_err());
        assert!("12h".parse::<SessionDuration>().unwrap().for_role().is_ok());
    }
}
