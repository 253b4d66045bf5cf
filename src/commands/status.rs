//! `status`: the managed targets and how long each is valid, from the credentials file alone.
//!
//! Invariant: read-only and pure; which sections are managed is [`managed_targets`]'s call.

use crate::ini::Document;
use crate::profile::{managed_targets, ManagedTarget};

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

/// One managed target and its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetStatus {
    /// What the target records.
    pub target: ManagedTarget,
    /// Seconds left (negative once expired), when the expiration is readable.
    pub remaining: Option<i64>,
    /// Valid, expiring or expired.
    pub state: State,
}

/// The managed targets of a credentials file, in file order, with their state at `now` given
/// the refresh margin `margin` (seconds).
pub fn target_statuses(doc: &Document, now: i64, margin: i64) -> Vec<TargetStatus> {
    managed_targets(doc)
        .into_iter()
        .map(|target| {
            let remaining = target.expires_at.map(|e| e - now);
            let state = match remaining {
                Some(r) if r > margin => State::Valid,
                Some(r) if r > 0 => State::Expiring,
                _ => State::Expired,
            };
            TargetStatus {
                target,
                remaining,
                state,
            }
        })
        .collect()
}

/// For each derived target whose base has expired (or is about to): the derived target's name
/// and what its next refresh asks for. Its serial is the base's source's, so the code to have
/// ready is named by the base. `statuses` must hold every managed target, so that a base is
/// never called missing because it was filtered out.
pub fn stale_bases(statuses: &[TargetStatus]) -> Vec<(String, String)> {
    statuses
        .iter()
        .filter_map(|derived| {
            let base = derived.target.via.as_deref()?;
            let base_status = statuses.iter().find(|s| s.target.name == base);
            let name = &derived.target.name;
            let why = match base_status.map(|s| s.state) {
                Some(State::Valid) => return None,
                Some(State::Expiring) => "expires soon",
                Some(State::Expired) => "has expired",
                // A refresh of the derived target refuses a base that is not a managed
                // target: the base is made again first, from the source both record.
                None => {
                    return Some((
                        name.clone(),
                        format!(
                            "[{name}] derives from [{base}], which is missing: `mfa-profile -s {} -t {base}` makes it again (one code), then `mfa-profile -t {name}` renews [{name}] with no code of its own",
                            derived.target.source
                        ),
                    ))
                }
            };
            Some((
                name.clone(),
                format!(
                    "[{name}] derives from [{base}], which {why}: `mfa-profile -t {name}` asks one code, for [{base}]'s MFA device, then renews both"
                ),
            ))
        })
        .collect()
}

/// The line `status --prompt` prints: `mfa 7h12m`, `mfa expired`, several joined with `, `;
/// `only` picks one target (an unmanaged name gives an empty line).
pub fn prompt_line(statuses: &[TargetStatus], only: Option<&str>) -> String {
    statuses
        .iter()
        .filter(|s| only.is_none_or(|name| s.target.name == name))
        .map(|s| match s.remaining {
            Some(r) if r > 0 => format!("{} {}", s.target.name, crate::text::time::human_span(r)),
            _ => format!("{} expired", s.target.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
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
        let found = target_statuses(&doc, 0, 900);
        let summary: Vec<(&str, State, Option<i64>)> = found
            .iter()
            .map(|t| (t.target.name.as_str(), t.state, t.remaining))
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

    fn doc(text: &str) -> Document {
        Document::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn the_prompt_line_is_short_and_names_each_target() {
        let now = 1_800_000_000;
        let session = |name: &str, expires: i64| {
            format!(
                "[{name}]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = {}\nmfa_source_profile = default\n",
                crate::text::time::rfc3339(expires)
            )
        };
        let text = format!(
            "[default]\naws_access_key_id = AKIA\n{}{}",
            session("mfa", now + 7 * 3600 + 12 * 60),
            session("work-mfa", now - 60)
        );
        let statuses = target_statuses(&doc(&text), now, 900);
        assert_eq!(prompt_line(&statuses, None), "mfa 7h12m, work-mfa expired");
        assert_eq!(prompt_line(&statuses, Some("mfa")), "mfa 7h12m");
        assert_eq!(prompt_line(&statuses, Some("default")), "");
        assert_eq!(prompt_line(&[], None), "");
    }
}
