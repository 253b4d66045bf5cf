//! `status`: the targets mfa-profile manages, read from the credentials file with no network.
//!
//! Invariant: read-only; a managed target is a section with `mfa_source_profile`.

use crate::ini::Document;
use crate::profile::{header_name, section_values, SectionAt, EXPIRATION, MFA_SOURCE_PROFILE};
use crate::units;

/// How usable a managed target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Valid for longer than the refresh margin.
    Valid,
    /// Valid, but within the refresh margin.
    Expiring,
    /// Expired, or with no readable expiration.
    Expired,
}

impl State {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Valid => "valid",
            State::Expiring => "expiring",
            State::Expired => "expired",
        }
    }
}

/// One managed target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetStatus {
    /// The target profile.
    pub target: String,
    /// Its recorded source profile.
    pub source: String,
    /// Expiration, epoch seconds, when readable.
    pub expires_at: Option<i64>,
    /// Seconds left (negative once expired).
    pub remaining: Option<i64>,
    /// Valid, expiring or expired.
    pub state: State,
}

/// The managed targets of a credentials file, in file order.
pub fn managed_targets(doc: &Document, now: i64, margin: i64) -> Vec<TargetStatus> {
    let mut found = Vec::new();
    for header in 0..doc.len() {
        let Some(name) = header_name(doc, header).map(str::to_owned) else {
            continue;
        };
        let values = section_values(doc, SectionAt { header });
        let get = |key: &str| {
            values
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let Some(source) = get(MFA_SOURCE_PROFILE) else {
            continue;
        };
        let expires_at = get(EXPIRATION).as_deref().and_then(units::parse_rfc3339);
        let remaining = expires_at.map(|e| e - now);
        let state = match remaining {
            Some(r) if r > margin => State::Valid,
            Some(r) if r > 0 => State::Expiring,
            _ => State::Expired,
        };
        found.push(TargetStatus {
            target: name,
            source,
            expires_at,
            remaining,
            state,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_managed_targets_with_their_state() {
        let doc = Document::parse(
            b"[default]\naws_access_key_id = A\n[mfa]\nexpiration = 1970-01-01T02:00:00Z\nmfa_source_profile = default\n\
[soon]\nexpiration = 1970-01-01T00:10:00Z\nmfa_source_profile = w\n[old]\nmfa_source_profile = w\nexpiration = junk\n",
        )
        .unwrap();
        let found = managed_targets(&doc, 0, 900);
        let summary: Vec<(&str, State, Option<i64>)> = found
            .iter()
            .map(|t| (t.target.as_str(), t.state, t.remaining))
            .collect();
        assert_eq!(
            summary,
            [
                ("mfa", State::Valid, Some(7200)),
                ("soon", State::Expiring, Some(600)),
                ("old", State::Expired, None)
            ]
        );
    }
}
