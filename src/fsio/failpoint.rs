//! Fail points between the steps of a write, for the crash and fault tests.
//!
//! Invariant: compiled to nothing unless the `failpoints` cargo feature is on (release builds
//! leave it off). With it on, `app` arms one point from `MFA_PROFILE_FAILPOINT`: `NAME` makes
//! step NAME fail with an I/O error, `NAME:abort` kills the process there, as a crash would.

use super::FsError;
use std::path::Path;

#[cfg(feature = "failpoints")]
static ARMED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Arms the fail point `wanted` (`NAME` or `NAME:abort`) for this process.
#[cfg(feature = "failpoints")]
pub fn arm(wanted: String) {
    let _ = ARMED.set(wanted);
}

/// Passes, or fails as armed, when the `failpoints` feature is on.
#[cfg(feature = "failpoints")]
pub(super) fn hit(name: &str, path: &Path) -> Result<(), FsError> {
    let Some(wanted) = ARMED.get() else {
        return Ok(());
    };
    match wanted.split_once(':') {
        Some((point, "abort")) if point == name => std::process::abort(),
        None if wanted == name => Err(FsError::Io {
            action: "write",
            path: path.to_path_buf(),
            source: std::io::Error::other(format!("injected failure at {name}")),
        }),
        _ => Ok(()),
    }
}

/// Passes: fail points are compiled out.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub(super) fn hit(_name: &str, _path: &Path) -> Result<(), FsError> {
    Ok(())
}
