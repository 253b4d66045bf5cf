//! The two shared files, read (through `fsio`) and parsed.
//!
//! Invariant: the one place a shared file is read and parsed; a file the editor does not
//! accept is an error naming it, whichever command reads it.

use super::find::sections_for_profiles;
use super::locations::FileLocations;
use super::source::{ProfileSet, SharedFiles, SourceError};
use crate::fsio::{self, FsError};
use crate::ini::{Document, ParseError};
use crate::text::shown::Shown;
use std::path::{Path, PathBuf};

/// Why a shared file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Reading failed.
    #[error(transparent)]
    Fs(#[from] FsError),
    /// The editor does not accept the contents.
    #[error("cannot use {}: {error}", Shown(path))]
    Parse {
        /// The file.
        path: PathBuf,
        /// What and where.
        error: ParseError,
    },
}

/// Reads and parses the shared file at `path`; a missing file is an empty one.
pub fn read_document(path: &Path) -> Result<Document, ReadError> {
    let bytes = fsio::read_optional(path)?.unwrap_or_default();
    Document::parse_owned(bytes).map_err(|error| ReadError::Parse {
        path: path.to_path_buf(),
        error,
    })
}

/// Edits the shared file at `path` under its lock, from a fresh read: `edit` changes the
/// document and says whether it changed anything, with what to return; the file is replaced
/// only then, the text it was replaced with zeroized (a config file can hold keys too).
/// `waiting` is told the directory when another process holds the lock.
pub fn edit_locked<T, E: From<FsError> + From<ReadError>>(
    path: &Path,
    edit: impl FnOnce(&mut Document) -> Result<(T, bool), E>,
) -> Result<T, E> {
    let lock = fsio::lock_beside(&fsio::real_path(path)?, |_| {})?;
    let mut doc = read_document(path)?;
    let (result, changed) = edit(&mut doc)?;
    if changed {
        let rendered = zeroize::Zeroizing::new(doc.render());
        fsio::replace(path, rendered.as_bytes(), &lock)?;
    }
    Ok(result)
}

/// Both shared files, parsed.
#[derive(Debug)]
pub struct SharedDocuments {
    /// The credentials file.
    pub credentials: Document,
    /// The config file.
    pub config: Document,
}

impl SharedDocuments {
    /// The profiles `names` of both files as the AWS SDK reads them: only their sections go
    /// to its parser, the same reading for far less work.
    pub fn profiles_of(&self, names: &[&str]) -> Result<ProfileSet, SourceError> {
        SharedFiles {
            credentials: sections_for_profiles(&self.credentials, names),
            config: sections_for_profiles(&self.config, names),
        }
        .profiles()
    }

    /// Reads both files.
    pub fn read(files: &FileLocations) -> Result<SharedDocuments, ReadError> {
        Ok(SharedDocuments {
            credentials: read_document(&files.credentials)?,
            config: read_document(&files.config)?,
        })
    }
}
