//! The writers' lock: an exclusive lock on a dedicated file beside the shared file.
//!
//! Invariant: every replace of a shared file happens while this process holds the lock on
//! `.mfa-profile.lock` in the real file's directory. The lock file is created private (mode
//! 0600 on Unix; on Windows it inherits the directory's access list), so only its owner can
//! open it, and so only its owner can hold the lock or keep a writer waiting (a lock on the
//! directory itself could be taken by anyone allowed to list it). The operating system
//! releases the lock when the holder dies. The file is never removed: a writer that removed it
//! could let the next two writers lock two different files.

use super::{io_err, os, parent_dir, FsError};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The name of the lock file, in the directory of the file it guards.
pub const LOCK_FILE: &str = ".mfa-profile.lock";
/// How long a writer waits for another one before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// The writers' lock of one directory, released on drop (and by the operating system if the
/// process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// The lock file that guards `file` (a real path, symlinks resolved).
pub fn lock_file_of(file: &Path) -> PathBuf {
    parent_dir(file).join(LOCK_FILE)
}

/// Creates the directory of `file` if missing (private), then takes the writers' lock beside
/// it. Calls `waiting` with the directory once if another process holds the lock, then waits up
/// to [`LOCK_TIMEOUT`].
pub fn lock_beside(file: &Path, waiting: impl FnOnce(&Path)) -> Result<WriteLock, FsError> {
    let dir = parent_dir(file);
    match acquire(&lock_file_of(file), LOCK_TIMEOUT, || waiting(&dir))? {
        Some(handle) => Ok(WriteLock { _file: handle }),
        None => Err(FsError::LockTimeout(dir)),
    }
}

/// An exclusive lock on a lock file of its own (not a writers' lock), released on drop and
/// by the operating system if the process dies.
#[derive(Debug)]
pub struct NamedLock {
    _file: File,
}

/// Takes the lock on the private file `path` (its directory created private when missing).
/// Calls `waiting` once if another process holds it, then waits up to `timeout`; `None` when
/// it is still held then.
pub fn lock_named(
    path: &Path,
    timeout: Duration,
    waiting: impl FnOnce(),
) -> Result<Option<NamedLock>, FsError> {
    Ok(acquire(path, timeout, waiting)?.map(|handle| NamedLock { _file: handle }))
}

/// The locked handle of the lock file `path`, or `None` after `timeout`.
fn acquire(
    path: &Path,
    timeout: Duration,
    waiting: impl FnOnce(),
) -> Result<Option<File>, FsError> {
    let dir = parent_dir(path);
    if !dir.exists() {
        os::create_private_dir(&dir).map_err(io_err("create directory", &dir))?;
    }
    let handle = os::private_file()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io_err("open the lock file", path))?;
    match handle.try_lock() {
        Ok(()) => return Ok(Some(handle)),
        Err(TryLockError::WouldBlock) => waiting(),
        Err(TryLockError::Error(e)) => return Err(io_err("lock", path)(e)),
    }
    let deadline = Instant::now() + timeout;
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(Some(handle)),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(io_err("lock", path)(e)),
        }
    }
}

/// Whether the writers' lock beside `file` is free right now (for tests).
#[cfg(test)]
pub(super) fn is_free(file: &Path) -> bool {
    let handle = std::fs::OpenOptions::new()
        .write(true)
        .open(lock_file_of(file))
        .unwrap();
    handle.try_lock().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_a_private_file_beside_the_file_and_excludes_other_holders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".aws/credentials");
        let lock = lock_beside(&path, |_| panic!("nobody else holds it")).unwrap();
        let lock_file = dir.path().join(".aws").join(LOCK_FILE);
        assert!(lock_file.is_file());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(std::fs::metadata(&lock_file).unwrap().mode() & 0o777, 0o600);
        }
        assert!(!is_free(&path), "held while the WriteLock lives");
        drop(lock);
        // A child another test forks at this moment shares the descriptor (and so the flock)
        // until its exec closes it: allow that instant, not a lock that outlives its owner.
        let released = (0..200).any(|_| {
            is_free(&path) || {
                std::thread::sleep(std::time::Duration::from_millis(5));
                false
            }
        });
        assert!(released, "released on drop");
        assert!(lock_file.is_file(), "the lock file stays");
    }
}
