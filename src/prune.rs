//! `prune`: which sections of a credentials file to remove: managed targets whose session has
//! expired, and only those.
//!
//! Invariant: pure; a section is chosen only when it is a managed target (it records
//! `mfa_source_profile`), its `expiration` is readable and past, it holds a session (a session
//! token, or no key at all) and never long-term keys, and the target checks a refresh makes
//! pass on it (one section of that name, readers agree); anything else is left and, when it
//! is a managed target, said why.

use crate::ini::{Document, SectionId};
use crate::profile::{locate_target, managed_targets, ProfileName};

/// A target to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expired {
    /// Its section.
    pub id: SectionId,
    /// Its name.
    pub name: String,
    /// When its session expired (epoch seconds).
    pub expired_at: i64,
}

/// What to remove, and the expired managed targets left alone with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruning {
    /// The sections to remove, in file order.
    pub remove: Vec<Expired>,
    /// `(name, why)` of expired managed targets that stay.
    pub kept: Vec<(String, String)>,
}

/// The expired managed targets of `doc` at `now`.
pub fn expired_targets(doc: &Document, now: i64) -> Pruning {
    let mut pruning = Pruning::default();
    for target in managed_targets(doc) {
        let Some(expired_at) = target.expires_at.filter(|at| *at <= now) else {
            continue;
        };
        if pruning.remove.iter().any(|e| e.name == target.name)
            || pruning.kept.iter().any(|(name, _)| *name == target.name)
        {
            continue;
        }
        let located = ProfileName::new(&target.name)
            .map_err(|e| e.to_string())
            .and_then(|name| locate_target(doc, &name).map_err(|e| e.to_string()));
        match located {
            Ok(Some((id, summary))) if summary.has_session_token || !summary.has_access_key => {
                pruning.remove.push(Expired {
                    id,
                    name: target.name,
                    expired_at,
                });
            }
            Ok(_) => pruning.kept.push((
                target.name,
                "it holds an access key without a session token".into(),
            )),
            Err(why) => pruning.kept.push((target.name, why)),
        }
    }
    pruning
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_expired_sessions_mfa_profile_wrote_are_chosen() {
        let text = "[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n\
[old]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n\
[fresh]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n\
[keys]\naws_access_key_id = AKIA\naws_secret_access_key = s\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n\
[unreadable]\naws_session_token = t\nexpiration = soon\nmfa_source_profile = default\n\
[notours]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\n";
        let doc = Document::parse(text.as_bytes()).unwrap();
        let pruning = expired_targets(&doc, 1_800_000_000);
        let removed: Vec<&str> = pruning.remove.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(removed, ["old"]);
        assert_eq!(pruning.remove[0].expired_at, 978_307_200);
        assert_eq!(pruning.kept.len(), 1);
        assert_eq!(pruning.kept[0].0, "keys");
    }

    #[test]
    fn a_target_written_twice_is_left_with_the_reason() {
        let twice = "[mfa]\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n[mfa]\nregion = x\n";
        let pruning = expired_targets(&Document::parse(twice.as_bytes()).unwrap(), 1_800_000_000);
        assert!(pruning.remove.is_empty());
        assert_eq!(pruning.kept.len(), 1);
        assert!(pruning.kept[0].1.contains("twice"), "{:?}", pruning.kept);
    }
}
