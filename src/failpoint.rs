//! Fail points between the steps of a write, for the crash and fault tests.
//!
//! Invariant: compiled to nothing unless the `failpoints` cargo feature is on (release builds
//! leave it off). With it on, `MFA_PROFILE_FAILPOINT=NAME` makes step NAME fail with an I/O
//! error, and `MFA_PROFILE_FAILPOINT=NAME:abort` kills the process there, as a crash would.

use crate::fsio::FsError;
use std::path::Path;

/// Passes, or fails as the environment asks when the `failpoints` feature is on.
#[cfg(feature = "failpoints")]
pub fn hit(name: &str, path: &Path) -> Result<(), FsError> {
    let Ok(wanted) = std::env::var("MFA_PROFILE_FAILPOINT") else {
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
pub fn hit(_name: &str, _path: &Path) -> Result<(), FsError> {
    Ok(())
}
