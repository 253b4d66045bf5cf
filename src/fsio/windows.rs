//! The Windows side of [`super`]: no permission bits, a read-only attribute, renames that
//! other programs' open handles can block for a moment, and no directory fsync.
//!
//! Invariant: a replacement keeps the read-only attribute of the file it replaces; a rename
//! refused because another program has the file open (a reader, an antivirus, an indexer) is
//! retried for up to [`RENAME_PATIENCE`] before it is reported. Access is governed by the
//! access lists new files inherit from their directory, as with the AWS CLI's own writes.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a rename blocked by another program's open handle is retried.
pub const RENAME_PATIENCE: Duration = Duration::from_secs(2);

/// `ERROR_SHARING_VIOLATION` and `ERROR_LOCK_VIOLATION`: the file is open elsewhere.
const SHARING_ERRORS: [i32; 2] = [32, 33];

/// Creates `dir` and its missing parents (it inherits its parent's access list).
pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Options for a new file (it inherits its directory's access list).
pub(super) fn private_file() -> OpenOptions {
    OpenOptions::new()
}

/// Nothing to copy before the rename: the read-only attribute is handled by [`rename_over`].
pub(super) fn keep_attributes(_file: &File, _existing: &Metadata) -> io::Result<()> {
    Ok(())
}

/// Renames `temp` over `real`. A read-only `real` cannot be replaced, so the attribute moves to
/// `temp` first (and back to `real` if the rename fails).
pub(super) fn rename_over(temp: &Path, real: &Path, existing: Option<&Metadata>) -> io::Result<()> {
    let read_only = existing.is_some_and(|m| m.permissions().readonly());
    if !read_only {
        return rename_patiently(temp, real);
    }
    set_read_only(temp, true)?;
    set_read_only(real, false)?;
    let renamed = rename_patiently(temp, real);
    if renamed.is_err() {
        let _ = set_read_only(real, true);
        let _ = set_read_only(temp, false);
    }
    renamed
}

fn set_read_only(path: &Path, read_only: bool) -> io::Result<()> {
    let mut permissions = fs::metadata(path)?.permissions();
    permissions.set_readonly(read_only);
    fs::set_permissions(path, permissions)
}

/// `rename`, retried while another program holds `real` open without sharing deletion.
fn rename_patiently(temp: &Path, real: &Path) -> io::Result<()> {
    let deadline = Instant::now() + RENAME_PATIENCE;
    let mut pause = Duration::from_millis(10);
    loop {
        match fs::rename(temp, real) {
            Err(e) if is_held_open(&e) && Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Whether an error means "another handle has the file open". Access denied is included: a
/// rename over a file opened without `FILE_SHARE_DELETE` reports it (and a file pending
/// deletion does too).
fn is_held_open(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::PermissionDenied
        || error
            .raw_os_error()
            .is_some_and(|code| SHARING_ERRORS.contains(&code))
}

/// NTFS journals its metadata; Windows has no fsync of a directory handle.
pub(super) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Windows files have no permission bits; access lists are not inspected.
/// Never: Windows has no permission bits (its access lists are another matter).
pub(super) fn writable_by_others(_dir: &Path) -> Option<u32> {
    None
}

pub(super) fn mode(_path: &Path) -> Option<u32> {
    None
}

pub(super) fn loose_mode(_path: &Path) -> Option<u32> {
    None
}
