//! The record `schedule install` leaves in the state directory: which kind of job, run how
//! often, for which files, and where its definition went; what `status`, `doctor` and
//! `schedule remove` read without asking the OS.
//!
//! Invariant: a record that cannot be read is no record (the job itself is still found by
//! `schedule status` and `schedule remove`, which ask the OS).

use super::{Job, Kind};
use crate::input::Span;

/// The record's name in the state directory.
pub const FILE: &str = "schedule.json";

/// An installed schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// How the job is kept.
    pub kind: Kind,
    /// What it runs.
    pub job: Job,
    /// When it was installed, epoch seconds.
    pub installed_at: i64,
    /// The files that define it (units, the plist), if any.
    pub definitions: Vec<String>,
}

impl Record {
    /// The record as JSON.
    pub fn to_json(&self) -> String {
        let env: serde_json::Map<String, serde_json::Value> = self
            .job
            .env
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
            .collect();
        let object = serde_json::json!({
            "kind": self.kind.name(),
            "exe": self.job.exe,
            "credentials": self.job.credentials,
            "config": self.job.config,
            "every": self.job.every.secs(),
            "ahead": self.job.ahead.secs(),
            "env": env,
            "installed_at": crate::text::time::rfc3339(self.installed_at),
            "definitions": self.definitions,
        });
        format!("{object}\n")
    }

    /// Reads a record back; `None` when it is not one.
    pub fn from_json(bytes: &[u8]) -> Option<Record> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let text = |key: &str| value[key].as_str().map(str::to_owned);
        let span = |key: &str| {
            value[key]
                .as_u64()
                .and_then(|s| u32::try_from(s).ok())
                .map(Span::from_secs)
        };
        let env = value["env"]
            .as_object()?
            .iter()
            .map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect::<Option<Vec<_>>>()?;
        Some(Record {
            kind: text("kind")?.parse().ok()?,
            job: Job {
                exe: text("exe")?,
                credentials: text("credentials")?,
                config: text("config")?,
                every: span("every")?,
                ahead: span("ahead")?,
                env,
            },
            installed_at: crate::text::time::parse_rfc3339(&text("installed_at")?)?,
            definitions: value["definitions"]
                .as_array()?
                .iter()
                .map(|d| d.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::schedule::sample_job;

    #[test]
    fn a_record_reads_back() {
        let record = Record {
            kind: Kind::Systemd,
            job: sample_job(),
            installed_at: 1_748_772_000,
            definitions: vec!["/h/.config/systemd/user/mfa-profile-refresh.timer".into()],
        };
        assert_eq!(Record::from_json(record.to_json().as_bytes()), Some(record));
        assert_eq!(Record::from_json(b"{\"kind\": \"cron\"}"), None);
        assert_eq!(Record::from_json(b"not json"), None);
    }
}
