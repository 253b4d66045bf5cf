//! `status --keys`: each source's long-term access key, how old it is, when it was last used,
//! and a warning past the age at which it should be rotated (AWS Security Hub IAM.3 and the
//! CIS benchmark ask for 90 days).
//!
//! Invariant: read-only, in IAM and in the files; a row is made for every source even when IAM
//! answers nothing for it (the row then says why, and what to do).

use crate::aws::iam::{Iam, IamError, KeyStatus, LastUsed, Signer};
use crate::input::keys::{LongTermKeys, SessionCredentials};
use crate::text::time;

/// How a source's key stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Active and younger than the limit.
    Ok,
    /// Active and older than the limit: rotate it.
    Old,
    /// Inactive: it signs nothing.
    Inactive,
    /// IAM did not say.
    Unknown,
}

impl KeyState {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Ok => "ok",
            KeyState::Old => "rotate",
            KeyState::Inactive => "inactive",
            KeyState::Unknown => "unknown",
        }
    }
}

/// One source's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    /// The source profile.
    pub source: String,
    /// Its access key id.
    pub key_id: String,
    /// The IAM user, when known.
    pub user: Option<String>,
    /// When the key was created, epoch seconds.
    pub created: Option<i64>,
    /// Its age in whole days.
    pub age_days: Option<i64>,
    /// When and where it was last used.
    pub last_used: Option<LastUsed>,
    /// How it stands.
    pub state: KeyState,
    /// What to know or do, when anything.
    pub note: Option<String>,
}

/// What is known of one source before IAM is asked.
#[derive(Clone, Copy, Debug)]
pub struct KeyQuery<'a> {
    /// The source profile.
    pub source: &'a str,
    /// Its long-term keys.
    pub keys: &'a LongTermKeys,
    /// A valid MFA session of its user (a managed target's), when there is one.
    pub session: Option<&'a SessionCredentials>,
    /// The target that session is in, or would be refreshed into.
    pub target: &'a str,
    /// The command that refreshes it, complete (naming the source when the target does not
    /// exist yet, which is never filled from a guessed source).
    pub refresh: &'a str,
    /// Now, epoch seconds.
    pub now: i64,
    /// Keys older than this many days are to be rotated.
    pub max_age_days: u32,
}

/// Asks IAM about one source's key: GetCallerIdentity with the key (who it is), then
/// ListAccessKeys and GetAccessKeyLastUsed with the session when there is one (a force-MFA
/// policy denies them without MFA), else with the key.
pub fn key_row(iam: &dyn Iam, query: &KeyQuery) -> KeyRow {
    let mut row = KeyRow {
        source: query.source.to_owned(),
        key_id: query.keys.access_key_id.clone(),
        user: None,
        created: None,
        age_days: None,
        last_used: None,
        state: KeyState::Unknown,
        note: None,
    };
    let denied = |e: &IamError| {
        if e.is_access_denied() && query.session.is_none() {
            format!(
                "{e}; refresh [{}] with `{}` and run again",
                query.target, query.refresh
            )
        } else {
            e.to_string()
        }
    };
    let caller = match iam.caller(Signer::LongTerm(query.keys)) {
        Ok(caller) => caller,
        Err(e) => {
            row.note = Some(e.to_string());
            return row;
        }
    };
    let Some(user) = caller.user_name().map(str::to_owned) else {
        row.note = Some(format!("the key is not an IAM user's ({})", caller.arn));
        return row;
    };
    row.user = Some(user.clone());
    let signer = match query.session {
        Some(session) => Signer::Session(session),
        None => Signer::LongTerm(query.keys),
    };
    let listed = match iam.access_keys(signer, &user) {
        Ok(keys) => keys,
        Err(e) => {
            row.note = Some(denied(&e));
            return row;
        }
    };
    let Some(info) = listed
        .into_iter()
        .find(|k| k.id == query.keys.access_key_id)
    else {
        row.note = Some(format!("IAM does not list this key among user {user}'s"));
        return row;
    };
    row.created = info.created;
    row.age_days = info.created.map(|c| (query.now - c).max(0) / 86_400);
    row.state = match (info.status, row.age_days) {
        (KeyStatus::Inactive, _) => KeyState::Inactive,
        (KeyStatus::Active, Some(days)) if days > i64::from(query.max_age_days) => KeyState::Old,
        (KeyStatus::Active, _) => KeyState::Ok,
    };
    match iam.last_used(signer, &query.keys.access_key_id) {
        Ok(used) => row.last_used = Some(used),
        Err(e) => row.note = Some(denied(&e)),
    }
    if row.state == KeyState::Old {
        row.note = Some(format!(
            "older than {} days: rotate it with `mfa-profile rotate -s {}`",
            query.max_age_days, query.source
        ));
    }
    row
}

/// `3d` from a day up, else as [`time::human_span`] says it.
pub fn human_age(seconds: i64) -> String {
    if seconds >= 86_400 {
        format!("{}d", seconds / 86_400)
    } else {
        time::human_span(seconds)
    }
}

/// `2026-11-20 (3d ago), s3 in eu-west-1`, or `never`.
pub fn last_used_shown(used: &LastUsed, now: i64) -> String {
    match used.when {
        None => "never".into(),
        Some(when) => {
            let date = time::rfc3339(when).chars().take(10).collect::<String>();
            let ago = human_age(now - when);
            let place = match (used.service.as_str(), used.region.as_str()) {
                ("" | "N/A", _) => String::new(),
                (service, "" | "N/A") => format!(", {service}"),
                (service, region) => format!(", {service} in {region}"),
            };
            format!("{date} ({ago} ago){place}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_use_is_shown_with_its_place() {
        let day = 86_400;
        let used = LastUsed {
            when: Some(10 * day),
            service: "s3".into(),
            region: "eu-west-1".into(),
        };
        assert_eq!(
            last_used_shown(&used, 13 * day),
            "1970-01-11 (3d ago), s3 in eu-west-1"
        );
        assert_eq!(last_used_shown(&LastUsed::default(), 0), "never");
    }
}
