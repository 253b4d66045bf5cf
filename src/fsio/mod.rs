//! File I/O for the shared files: a lock, a bounded read, and an atomic replace.
//!
//! Invariant: the file at a path is only ever replaced whole, by `rename` of a fully written and
//! fsynced temporary file in the same directory, while holding an exclusive `flock` on that
//! directory. A reader therefore sees the old bytes or the new bytes, never a mix; a crash
//! leaves at most a temporary file, which the next writer removes under the lock.

pub mod failpoint;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The largest shared file accepted (8 MiB; a 10,000-profile file is about 2 MB).
pub const MAX_FILE_SIZE: u64 = 8 << 20;
/// How long a writer waits for another one before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(30);
const TEMP_MARK: &str = ".mfa-profile-";

/// An I/O failure, with the path and what was being done.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// An operating-system error.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "create directory", ...).
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The path is a directory.
    #[error("{} is a directory, not a file", .0.display())]
    IsDirectory(PathBuf),
    /// The path is a symlink to nothing.
    #[error("{} is a symbolic link to {}, which does not exist", .0.display(), .1.display())]
    DanglingSymlink(PathBuf, PathBuf),
    /// The file is too large.
    #[error("{} is larger than {} MiB; that is not a credentials file", .0.display(), MAX_FILE_SIZE >> 20)]
    TooLarge(PathBuf),
    /// Another writer held the lock for too long.
    #[error("another mfa-profile has been writing in {} for more than {} s; try again", .0.display(), LOCK_TIMEOUT.as_secs())]
    LockTimeout(PathBuf),
}

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> FsError + 'p {
    move |source| FsError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The file a path finally names: the path itself, or the target of its symlinks (which may
/// not exist yet only when the path itself does not exist).
pub fn real_path(path: &Path) -> Result<PathBuf, FsError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(io_err("inspect", path)(e)),
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(real) => Ok(real),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(FsError::DanglingSymlink(
                path.to_path_buf(),
                fs::read_link(path).unwrap_or_default(),
            )),
            Err(e) => Err(io_err("resolve", path)(e)),
        },
        Ok(meta) if meta.is_dir() => Err(FsError::IsDirectory(path.to_path_buf())),
        Ok(_) => Ok(path.to_path_buf()),
    }
}

/// Reads a shared file; `None` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FsError> {
    let real = real_path(path)?;
    let file = match File::open(&real) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        other => other.map_err(io_err("open", path))?,
    };
    let meta = file.metadata().map_err(io_err("inspect", path))?;
    if meta.is_dir() {
        return Err(FsError::IsDirectory(path.to_path_buf()));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(FsError::TooLarge(path.to_path_buf()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err("read", path))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(FsError::TooLarge(path.to_path_buf()));
    }
    Ok(Some(bytes))
}

/// Whether the file at `path` holds exactly `expected` (a missing file holds the empty text),
/// compared a block at a time rather than read whole.
pub fn holds(path: &Path, expected: &[u8]) -> Result<bool, FsError> {
    let real = real_path(path)?;
    let file = match File::open(&real) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(expected.is_empty()),
        other => other.map_err(io_err("open", path))?,
    };
    let meta = file.metadata().map_err(io_err("inspect", path))?;
    if meta.is_dir() {
        return Err(FsError::IsDirectory(path.to_path_buf()));
    }
    if meta.len() != expected.len() as u64 {
        return Ok(false);
    }
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, file);
    let mut rest = expected;
    loop {
        let block = reader.fill_buf().map_err(io_err("read", path))?;
        if block.is_empty() {
            return Ok(rest.is_empty());
        }
        let Some(want) = rest.get(..block.len()) else {
            return Ok(false);
        };
        if want != block {
            return Ok(false);
        }
        let taken = block.len();
        rest = &rest[taken..];
        reader.consume(taken);
    }
}

/// An exclusive lock on a directory, released on drop (and by the kernel if the process dies).
#[derive(Debug)]
pub struct DirLock {
    _dir: File,
}

/// Creates the directory of `file` if missing (mode 0700), then locks it. Calls `waiting` once
/// if another process holds the lock, then waits up to [`LOCK_TIMEOUT`].
pub fn lock_dir_of(file: &Path, waiting: impl FnOnce(&Path)) -> Result<DirLock, FsError> {
    let dir = parent_dir(file);
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(io_err("create directory", &dir))?;
    }
    let handle = File::open(&dir).map_err(io_err("open directory", &dir))?;
    match handle.try_lock() {
        Ok(()) => return Ok(DirLock { _dir: handle }),
        Err(fs::TryLockError::WouldBlock) => waiting(&dir),
        Err(fs::TryLockError::Error(e)) => return Err(io_err("lock", &dir)(e)),
    }
    let deadline = Instant::now() + LOCK_TIMEOUT;
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(DirLock { _dir: handle }),
            Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(fs::TryLockError::WouldBlock) => return Err(FsError::LockTimeout(dir)),
            Err(fs::TryLockError::Error(e)) => return Err(io_err("lock", &dir)(e)),
        }
    }
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Replaces the file at `path` (or the file its symlink names) with `bytes`, atomically.
/// Keeps an existing file's mode and owner; a new file gets mode 0600. Must be called while
/// holding the [`DirLock`] of the real file's directory.
pub fn replace(path: &Path, bytes: &[u8], _lock: &DirLock) -> Result<(), FsError> {
    let real = real_path(path)?;
    let dir = parent_dir(&real);
    remove_stale_temps(&real);
    let existing = match fs::metadata(&real) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(io_err("inspect", path)(e)),
    };
    let temp = temp_path(&real);
    let result = write_temp(&temp, path, bytes, existing.as_ref())
        .and_then(|()| failpoint::hit("before-rename", path))
        .and_then(|()| fs::rename(&temp, &real).map_err(io_err("replace", path)));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        return result;
    }
    failpoint::hit("after-rename", path)?;
    // The rename is durable only once the directory entry is.
    File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err("sync directory", &dir))
}

/// Writes the temporary file; errors name `path`, the file the user knows.
fn write_temp(
    temp: &Path,
    path: &Path,
    bytes: &[u8],
    existing: Option<&fs::Metadata>,
) -> Result<(), FsError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(temp)
        .map_err(io_err("write a temporary file beside", path))?;
    if let Some(meta) = existing {
        file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))
            .map_err(io_err("keep the mode of", path))?;
        if meta.uid() != file_uid(&file) {
            // Only root can give a file away; anyone else keeps their own ownership.
            let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
        }
    }
    failpoint::hit("before-write", path)?;
    let half = bytes.len() / 2;
    file.write_all(&bytes[..half])
        .map_err(io_err("write", path))?;
    failpoint::hit("mid-write", path)?;
    file.write_all(&bytes[half..])
        .map_err(io_err("write", path))?;
    file.sync_all().map_err(io_err("sync", path))
}

fn file_uid(file: &File) -> u32 {
    file.metadata().map(|m| m.uid()).unwrap_or(u32::MAX)
}

fn temp_path(real: &Path) -> PathBuf {
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    parent_dir(real).join(format!(".{name}{TEMP_MARK}{}.tmp", std::process::id()))
}

/// Removes temporary files a killed writer left beside `real`. Safe only under the lock: no
/// live writer has one open then.
fn remove_stale_temps(real: &Path) {
    let Some(name) = real.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!(".{name}{TEMP_MARK}");
    let Ok(entries) = fs::read_dir(parent_dir(real)) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The permission bits of a file that let group or others read it, if any.
pub fn loose_mode(path: &Path) -> Option<u32> {
    let mode = fs::metadata(path).ok()?.mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

/// The directory holding the file `path` names (through its symlinks) and its permission
/// bits, when users other than its owner may create, rename or delete files in it: they could
/// then replace the credentials file.
pub fn dir_writable_by_others(path: &Path) -> Option<(PathBuf, u32)> {
    let dir = parent_dir(&real_path(path).ok()?);
    let mode = fs::metadata(&dir).ok()?.mode() & 0o7777;
    (mode & 0o022 != 0).then_some((dir, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_mode_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let lock = lock_dir_of(&path, |_| {}).unwrap();
        replace(&path, b"new", &lock).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn holds_compares_whole_contents_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        assert!(
            holds(&path, b"").unwrap(),
            "a missing file holds the empty text"
        );
        assert!(!holds(&path, b"x").unwrap());
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &big).unwrap();
        assert!(holds(&path, &big).unwrap());
        let mut late_change = big.clone();
        late_change[150_000] ^= 1;
        assert!(
            !holds(&path, &late_change).unwrap(),
            "a change in the third block"
        );
        assert!(!holds(&path, &big[..199_999]).unwrap());
        assert!(!holds(&path, b"").unwrap());
    }

    #[test]
    fn new_file_and_directory_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".aws/credentials");
        let lock = lock_dir_of(&path, |_| {}).unwrap();
        replace(&path, b"x", &lock).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(
            fs::metadata(path.parent().unwrap()).unwrap().mode() & 0o777,
            0o700
        );
    }

    #[test]
    fn symlink_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("credentials");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let lock = lock_dir_of(&real_path(&link).unwrap(), |_| {}).unwrap();
        replace(&link, b"new", &lock).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn dangling_symlink_and_directory_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("credentials");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        assert!(matches!(
            read_optional(&link),
            Err(FsError::DanglingSymlink(..))
        ));
        assert!(matches!(
            read_optional(dir.path()),
            Err(FsError::IsDirectory(_))
        ));
    }

    #[test]
    fn stale_temps_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        let stale = dir.path().join(".credentials.mfa-profile-999999.tmp");
        fs::write(&stale, "half").unwrap();
        let lock = lock_dir_of(&path, |_| {}).unwrap();
        replace(&path, b"new", &lock).unwrap();
        assert!(!stale.exists());
    }

    #[test]
    fn a_directory_others_can_write_to_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(dir_writable_by_others(&path), None);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(
            dir_writable_by_others(&path),
            Some((dir.path().to_path_buf(), 0o1777))
        );
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o770)).unwrap();
        assert!(dir_writable_by_others(&path).is_some());
    }

    #[test]
    fn read_missing_is_none_and_large_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_optional(&dir.path().join("none")).unwrap().is_none());
        let big = dir.path().join("big");
        let f = File::create(&big).unwrap();
        f.set_len(MAX_FILE_SIZE + 1).unwrap();
        assert!(matches!(read_optional(&big), Err(FsError::TooLarge(_))));
    }
}
