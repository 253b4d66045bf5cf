//! The Unix side of [`super`]: permission bits, ownership and directory fsync.
//!
//! Invariant: new directories are 0700 and new files 0600; a replacement keeps the mode and
//! (when the process may) the owner of the file it replaces.

use std::fs::{self, DirBuilder, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` and its missing parents, mode 0700.
pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Options that create a file only its owner can read (mode 0600).
pub(super) fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.mode(0o600);
    options
}

/// Gives the new file `file` the mode and owner of `existing`, the file it will replace.
pub(super) fn keep_attributes(file: &File, existing: &Metadata) -> io::Result<()> {
    file.set_permissions(fs::Permissions::from_mode(existing.mode() & 0o7777))?;
    if existing.uid() != file.metadata().map(|m| m.uid()).unwrap_or(u32::MAX) {
        // Only root can give a file away; anyone else keeps their own ownership.
        let _ = std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()));
    }
    Ok(())
}

/// Renames `temp` over `real`; `rename(2)` is atomic and open readers do not stop it.
pub(super) fn rename_over(
    temp: &Path,
    real: &Path,
    _existing: Option<&Metadata>,
) -> io::Result<()> {
    fs::rename(temp, real)
}

/// Makes a rename in `dir` durable: the directory entry is only durable once it is fsynced.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The permission bits of a file that let group or others read it, if any.
/// The permission bits of directory `dir` when users other than its owner may write to it.
pub(super) fn writable_by_others(dir: &Path) -> Option<u32> {
    let mode = fs::metadata(dir).ok()?.mode() & 0o7777;
    (mode & 0o022 != 0).then_some(mode)
}

pub(super) fn mode(path: &Path) -> Option<u32> {
    Some(fs::metadata(path).ok()?.mode() & 0o7777)
}

pub(super) fn loose_mode(path: &Path) -> Option<u32> {
    let mode = fs::metadata(path).ok()?.mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}
