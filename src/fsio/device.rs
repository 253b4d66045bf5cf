//! An MFA device's use across processes: one process at a time asks for its code and calls
//! STS with it, and a code is never sent in a 30-second window in which the device already
//! sent one (STS accepts each code once, and the code on a token only changes with the
//! window).
//!
//! Invariant: the record of a device's last code is written only while holding that device's
//! lock, as one atomic replace of a private file; a record that cannot be read counts as no
//! record (the worst case is a code STS rejects as reused, never a lost session). Both live in
//! a directory of their own under the AWS CLI's cache (`~/.aws/cli/cache/mfa-profile`).

use crate::fsio::{self, FsError, NamedLock};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The length of a TOTP window: a token shows one code per window, aligned on the Unix epoch.
pub const WINDOW_SECS: i64 = 30;
/// Seconds past the window's end still counted as the used window: a phone's clock a second or
/// two behind still shows the old code.
const CLOCK_GRACE_SECS: i64 = 2;
/// How long a process waits for another that is using the same device (asking for its code,
/// running its code command, calling STS) before giving up.
pub const DEVICE_LOCK_TIMEOUT: Duration = Duration::from_secs(180);

/// When a code for a device that last sent one at `sent_at` may be sent again, if `now` is
/// too early: the start of the next window (plus a clock grace). `None` when `now` is past
/// it, or when the record is from the future (a clock set back: ignored, not waited for).
pub fn next_code_at(sent_at: Option<i64>, now: i64) -> Option<i64> {
    let sent_at = sent_at?;
    let next = (sent_at.div_euclid(WINDOW_SECS) + 1) * WINDOW_SECS + CLOCK_GRACE_SECS;
    (now < next && sent_at <= now + CLOCK_GRACE_SECS).then_some(next)
}

/// The devices' records and locks, in one directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Devices {
    dir: PathBuf,
}

/// One device, held by this process; released on drop.
#[derive(Debug)]
pub struct HeldDevice {
    record: PathBuf,
    serial: String,
    _lock: NamedLock,
}

impl Devices {
    /// The records in `dir`.
    pub fn in_dir(dir: PathBuf) -> Devices {
        Devices { dir }
    }

    /// The directory mfa-profile keeps them in: `cli/cache/mfa-profile` under `~/.aws`.
    pub fn under_aws_dir(aws_dir: &Path) -> Devices {
        Devices::in_dir(aws_dir.join("cli").join("cache").join("mfa-profile"))
    }

    /// Takes device `serial` for this process, calling `waiting` once if another process has
    /// it; `None` when that one keeps it past [`DEVICE_LOCK_TIMEOUT`].
    pub fn hold(
        &self,
        serial: &str,
        waiting: impl FnOnce(),
    ) -> Result<Option<HeldDevice>, FsError> {
        let stem = file_stem(serial);
        let lock = fsio::lock_named(
            &self.dir.join(format!("{stem}.lock")),
            DEVICE_LOCK_TIMEOUT,
            waiting,
        )?;
        Ok(lock.map(|lock| HeldDevice {
            record: self.dir.join(format!("{stem}.json")),
            serial: serial.to_owned(),
            _lock: lock,
        }))
    }
}

impl HeldDevice {
    /// When the device last sent a code, if that is known.
    pub fn code_sent_at(&self) -> Option<i64> {
        let bytes = fsio::read_optional(&self.record).ok()??;
        let record: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        (record["serial"] == self.serial.as_str())
            .then(|| record["code_sent_at"].as_i64())
            .flatten()
    }

    /// Records that the device sent a code at `at`.
    pub fn record_code_sent(&self, at: i64) -> Result<(), FsError> {
        let record = serde_json::json!({ "serial": self.serial, "code_sent_at": at });
        fsio::replace_own_file(&self.record, record.to_string().as_bytes())
    }
}

/// A file name for a device: its serial with everything but letters, digits, `-` and `.`
/// replaced by `_` (two serials that meet share a lock, which is harmless; the record names
/// its serial).
pub fn file_stem(serial: &str) -> String {
    serial
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_waits_for_the_next_window_only_inside_the_used_one() {
        // Sent at 10:00:05 (window 10:00:00-10:00:29).
        let sent: i64 = 1_700_000_100 + 5;
        let window_start = sent - sent.rem_euclid(30);
        let next = window_start + 30 + CLOCK_GRACE_SECS;
        assert_eq!(next_code_at(Some(sent), sent), Some(next));
        assert_eq!(next_code_at(Some(sent), next - 1), Some(next));
        assert_eq!(next_code_at(Some(sent), next), None);
        assert_eq!(next_code_at(None, sent), None);
        assert_eq!(
            next_code_at(Some(sent + 3600), sent),
            None,
            "a record from the future is a clock set back"
        );
    }

    #[test]
    fn the_record_is_private_survives_and_names_its_device() {
        let dir = tempfile::tempdir().unwrap();
        let devices = Devices::under_aws_dir(dir.path());
        let serial = "arn:aws:iam::123456789012:mfa/alice";
        let held = devices.hold(serial, || panic!("free")).unwrap().unwrap();
        assert_eq!(held.code_sent_at(), None);
        held.record_code_sent(1_700_000_000).unwrap();
        assert_eq!(held.code_sent_at(), Some(1_700_000_000));
        drop(held);
        let record = dir
            .path()
            .join("cli/cache/mfa-profile/arn_aws_iam__123456789012_mfa_alice.json");
        assert!(record.is_file());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(std::fs::metadata(&record).unwrap().mode() & 0o777, 0o600);
            let dir_mode = std::fs::metadata(record.parent().unwrap()).unwrap().mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        std::fs::write(&record, b"{not json").unwrap();
        let held = devices.hold(serial, || {}).unwrap().unwrap();
        assert_eq!(
            held.code_sent_at(),
            None,
            "an unreadable record is no record"
        );
        let other = devices
            .hold("GAHT12345678", || panic!("another device"))
            .unwrap();
        assert!(other.is_some());
    }
}
