//! File I/O for the shared files: a lock, a bounded read, and an atomic replace.
//!
//! Invariant: the file at a path is only ever replaced whole, by `rename` of a fully written and
//! fsynced temporary file in the same directory, while holding the writers' lock of that
//! directory ([`lock`]). A reader therefore sees the old bytes or the new bytes, never a mix; a
//! crash leaves at most a temporary file, which the next writer removes under the lock. What
//! differs between Unix and Windows (modes, owners, read-only files, renames blocked by open
//! handles, directory fsync) is in `unix.rs` and `windows.rs`, behind the same functions.

pub mod device;
pub mod failpoint;
mod lock;
#[cfg(unix)]
#[path = "unix.rs"]
mod os;
#[cfg(windows)]
#[path = "windows.rs"]
mod os;

pub use lock::{lock_beside, lock_named, NamedLock, WriteLock, LOCK_TIMEOUT};

use std::fs::{self, File};
use std::io::{self, BufRead, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// The largest shared file accepted (8 MiB; a 10,000-profile file is about 2 MB).
pub const MAX_FILE_SIZE: u64 = 8 << 20;
const TEMP_MARK: &str = ".mfa-profile-";

/// An I/O failure, with the path and what was being done.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// An operating-system error.
    #[error("cannot {action} {}: {}", path.display(), crate::text::plain::io_error(source))]
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
    /// A file other than a shared file is larger than it can be.
    #[error("{} is larger than {} MiB", .0.display(), .1 >> 20)]
    Oversized(PathBuf, u64),
    /// Another writer held the lock for too long.
    #[error("another mfa-profile has been writing in {} for more than {} s; try again", .0.display(), LOCK_TIMEOUT.as_secs())]
    LockTimeout(PathBuf),
}

pub(crate) fn io_err<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(io::Error) -> FsError + 'p {
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
    read_capped(path, &real_path(path)?, MAX_FILE_SIZE).map_err(|error| match error {
        FsError::Oversized(path, _) => FsError::TooLarge(path),
        other => other,
    })
}

/// Reads a file that is not a shared file (a CA bundle, a time zone), of at most `max` bytes;
/// `None` when it does not exist. Symlinks are followed.
pub fn read_other(path: &Path, max: u64) -> Result<Option<Vec<u8>>, FsError> {
    read_capped(path, path, max)
}

/// Opens `open` (a regular file, named `path` in errors); `None` when it does not exist.
fn open_file(path: &Path, open: &Path) -> Result<Option<(File, fs::Metadata)>, FsError> {
    let file = match File::open(open) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        other => other.map_err(io_err("open", path))?,
    };
    let meta = file.metadata().map_err(io_err("inspect", path))?;
    if meta.is_dir() {
        return Err(FsError::IsDirectory(path.to_path_buf()));
    }
    Ok(Some((file, meta)))
}

/// Reads `open` whole (named `path` in errors), refusing more than `max` bytes however the
/// file's size changes meanwhile; `None` when it does not exist.
fn read_capped(path: &Path, open: &Path, max: u64) -> Result<Option<Vec<u8>>, FsError> {
    let Some((file, meta)) = open_file(path, open)? else {
        return Ok(None);
    };
    let too_large = || FsError::Oversized(path.to_path_buf(), max);
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err("read", path))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

/// Whether the file at `path` holds exactly `expected` (a missing file holds the empty text),
/// compared a block at a time rather than read whole.
pub fn holds(path: &Path, expected: &[u8]) -> Result<bool, FsError> {
    let Some((file, meta)) = open_file(path, &real_path(path)?)? else {
        return Ok(expected.is_empty());
    };
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

pub(crate) fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Replaces the file at `path` (or the file its symlink names) with `bytes`, atomically.
/// Keeps an existing file's mode and owner (on Windows, its read-only attribute); a new file
/// gets mode 0600. Must be called while holding the [`WriteLock`] of the real file's directory.
pub fn replace(path: &Path, bytes: &[u8], _lock: &WriteLock) -> Result<(), FsError> {
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
        .and_then(|()| {
            os::rename_over(&temp, &real, existing.as_ref()).map_err(io_err("replace", path))
        });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        return result;
    }
    failpoint::hit("after-rename", path)?;
    os::sync_dir(&dir).map_err(io_err("sync directory", &dir))
}

/// Writes the temporary file; errors name `path`, the file the user knows.
fn write_temp(
    temp: &Path,
    path: &Path,
    bytes: &[u8],
    existing: Option<&fs::Metadata>,
) -> Result<(), FsError> {
    let mut file = os::private_file()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(io_err("write a temporary file beside", path))?;
    if let Some(meta) = existing {
        os::keep_attributes(&file, meta).map_err(io_err("keep the mode of", path))?;
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

/// Replaces a small file of mfa-profile's own (a device's record; not a shared file): a
/// private temporary file renamed over it, its directory created private when missing. No
/// fsync and no fail point: losing it in a crash costs at most a code STS rejects as reused.
pub fn replace_own_file(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let dir = parent_dir(path);
    if !dir.exists() {
        os::create_private_dir(&dir).map_err(io_err("create directory", &dir))?;
    }
    let temp = path.with_extension(format!("{}.tmp", std::process::id()));
    let written = os::private_file()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(io_err("write", path))
}

/// Appends `bytes` to a log of mfa-profile's own (not a shared file) in one write, the file and
/// its directory created private when missing. A log that has reached `max` bytes is first
/// moved to `NAME.1` (replacing the one there), so the two stay under twice `max`.
pub fn append_own_log(path: &Path, bytes: &[u8], max: u64) -> Result<(), FsError> {
    let dir = parent_dir(path);
    if !dir.exists() {
        os::create_private_dir(&dir).map_err(io_err("create directory", &dir))?;
    }
    let open = || {
        os::private_file()
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err("open", path))
    };
    let mut file = open()?;
    if file.metadata().map_err(io_err("inspect", path))?.len() >= max {
        drop(file);
        let mut old = path.as_os_str().to_owned();
        old.push(".1");
        fs::rename(path, &old).map_err(io_err("move aside", path))?;
        file = open()?;
    }
    file.write_all(bytes).map_err(io_err("write", path))
}

/// Writes a file that is not a shared file (a man page, say): its directory is created when
/// missing, an existing file is replaced.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io_err("create directory", dir))?;
    }
    fs::write(path, bytes).map_err(io_err("write", path))
}

/// The permission bits of the file at `path` (`None` when it is missing, or on Windows).
pub fn mode(path: &Path) -> Option<u32> {
    os::mode(path)
}

/// The permission bits of a file that let group or others read it, if any (never on Windows,
/// which has no permission bits).
pub fn loose_mode(path: &Path) -> Option<u32> {
    os::loose_mode(path)
}

/// The directory holding the file `path` names (through its symlinks) and its permission
/// bits, when users other than its owner may create, rename or delete files in it: they could
/// then replace the credentials file.
pub fn dir_writable_by_others(path: &Path) -> Option<(PathBuf, u32)> {
    let dir = parent_dir(&real_path(path).ok()?);
    let mode = os::writable_by_others(&dir)?;
    Some((dir, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir` other than the lock file.
    fn names_besides_the_lock(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != lock::LOCK_FILE)
            .collect()
    }

    #[test]
    fn replace_writes_the_new_bytes_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        fs::write(&path, "old").unwrap();
        let lock = lock_beside(&path, |_| {}).unwrap();
        replace(&path, b"new", &lock).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names_besides_the_lock(dir.path()), ["credentials"]);
    }

    #[cfg(unix)]
    #[test]
    fn replace_keeps_mode_and_leaves_no_temp() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let lock = lock_beside(&path, |_| {}).unwrap();
        replace(&path, b"new", &lock).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
        assert_eq!(names_besides_the_lock(dir.path()), ["credentials"]);
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
    fn a_missing_directory_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".aws/credentials");
        let lock = lock_beside(&path, |_| {}).unwrap();
        replace(&path, b"x", &lock).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn new_file_and_directory_are_private() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".aws/credentials");
        let lock = lock_beside(&path, |_| {}).unwrap();
        replace(&path, b"x", &lock).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(
            fs::metadata(path.parent().unwrap()).unwrap().mode() & 0o777,
            0o700
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("credentials");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let lock = lock_beside(&real_path(&link).unwrap(), |_| {}).unwrap();
        replace(&link, b"new", &lock).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[cfg(unix)]
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
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
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
        let lock = lock_beside(&path, |_| {}).unwrap();
        replace(&path, b"new", &lock).unwrap();
        assert!(!stale.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_can_write_to_is_found() {
        use std::os::unix::fs::PermissionsExt;
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

    #[cfg(windows)]
    mod windows {
        use super::super::*;
        use super::names_besides_the_lock;
        use std::os::windows::fs::OpenOptionsExt;
        use std::time::{Duration, Instant};

        /// Opens `path` the way C's `fopen` and most programs do: sharing reads and writes, not
        /// deletion or renaming.
        fn open_without_delete_sharing(path: &Path) -> File {
            const FILE_SHARE_READ_WRITE: u32 = 0x1 | 0x2;
            fs::OpenOptions::new()
                .read(true)
                .share_mode(FILE_SHARE_READ_WRITE)
                .open(path)
                .unwrap()
        }

        #[test]
        fn a_read_only_file_is_replaced_and_stays_read_only() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("credentials");
            fs::write(&path, "old").unwrap();
            let mut permissions = fs::metadata(&path).unwrap().permissions();
            permissions.set_readonly(true);
            fs::set_permissions(&path, permissions).unwrap();
            let lock = lock_beside(&path, |_| {}).unwrap();
            replace(&path, b"new", &lock).unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"new");
            assert!(fs::metadata(&path).unwrap().permissions().readonly());
            assert_eq!(names_besides_the_lock(dir.path()), ["credentials"]);
        }

        #[test]
        fn a_rename_blocked_by_a_reader_is_retried_until_it_lets_go() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("credentials");
            fs::write(&path, "old").unwrap();
            let reader = open_without_delete_sharing(&path);
            let releaser = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(400));
                drop(reader);
            });
            let lock = lock_beside(&path, |_| {}).unwrap();
            let started = Instant::now();
            replace(&path, b"new", &lock).unwrap();
            releaser.join().unwrap();
            assert!(
                started.elapsed() >= Duration::from_millis(300),
                "the rename should have waited for the reader: {:?}",
                started.elapsed()
            );
            assert_eq!(fs::read(&path).unwrap(), b"new");
        }

        #[test]
        fn a_rename_blocked_for_good_fails_after_the_patience_and_keeps_the_file() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("credentials");
            fs::write(&path, "old").unwrap();
            let _reader = open_without_delete_sharing(&path);
            let lock = lock_beside(&path, |_| {}).unwrap();
            let started = Instant::now();
            let error = replace(&path, b"new", &lock).unwrap_err().to_string();
            assert!(error.starts_with("cannot replace"), "{error}");
            assert!(
                started.elapsed() >= os::RENAME_PATIENCE,
                "{:?}",
                started.elapsed()
            );
            assert_eq!(fs::read(&path).unwrap(), b"old");
            assert_eq!(names_besides_the_lock(dir.path()), ["credentials"]);
        }
    }
}
