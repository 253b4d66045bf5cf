//! Fail points between the steps of a write, and between the steps of a key rotation, for the
//! crash and fault tests.
//!
//! Invariant: compiled to nothing unless the `failpoints` cargo feature is on (release builds
//! leave it off). With it on, `app` arms one point from `MFA_PROFILE_FAILPOINT`: `NAME` makes
//! step NAME fail (a write with an I/O error), `NAME:abort` kills the process there, as a crash
//! would; `NAME#N` (with or without `:abort`) waits for the N-th time the step is reached, for
//! a command that writes more than once.

use super::FsError;
use std::path::Path;

#[cfg(feature = "failpoints")]
static ARMED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
#[cfg(feature = "failpoints")]
static HITS: std::sync::Mutex<Vec<(String, usize)>> = std::sync::Mutex::new(Vec::new());

/// Arms the fail point `wanted` (`NAME`, `NAME#N`, either with `:abort`) for this process.
#[cfg(feature = "failpoints")]
pub fn arm(wanted: String) {
    let _ = ARMED.set(wanted);
}

/// What an armed point does when step `name` is reached: `None` passes, `Some(true)` aborts,
/// `Some(false)` fails.
#[cfg(feature = "failpoints")]
fn reached(name: &str) -> Option<bool> {
    let wanted = ARMED.get()?;
    let (point, abort) = match wanted.split_once(':') {
        Some((point, "abort")) => (point, true),
        Some(_) => return None,
        None => (wanted.as_str(), false),
    };
    let (point, nth) = match point.split_once('#') {
        Some((point, n)) => (point, n.parse().ok()?),
        None => (point, 1),
    };
    if point != name {
        return None;
    }
    let mut hits = HITS.lock().unwrap_or_else(|e| e.into_inner());
    let count = match hits.iter_mut().find(|(n, _)| n == name) {
        Some((_, count)) => {
            *count += 1;
            *count
        }
        None => {
            hits.push((name.to_owned(), 1));
            1
        }
    };
    (count == nth).then_some(abort)
}

/// Passes, or fails as armed, when the `failpoints` feature is on.
#[cfg(feature = "failpoints")]
pub(super) fn hit(name: &str, path: &Path) -> Result<(), FsError> {
    match reached(name) {
        None => Ok(()),
        Some(true) => std::process::abort(),
        Some(false) => Err(FsError::Io {
            action: "write",
            path: path.to_path_buf(),
            source: std::io::Error::other(format!("injected failure at {name}")),
        }),
    }
}

/// Step `name` of a command (not a write): passes, or fails with a message, or aborts, as
/// armed.
#[cfg(feature = "failpoints")]
pub fn step(name: &str) -> Result<(), String> {
    match reached(name) {
        None => Ok(()),
        Some(true) => std::process::abort(),
        Some(false) => Err(format!("injected failure at {name}")),
    }
}

/// Passes: fail points are compiled out.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub(super) fn hit(_name: &str, _path: &Path) -> Result<(), FsError> {
    Ok(())
}

/// Passes: fail points are compiled out.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn step(_name: &str) -> Result<(), String> {
    Ok(())
}
