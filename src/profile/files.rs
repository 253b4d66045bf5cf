//! The two shared files, read (through `fsio`) and parsed.
//!
//! Invariant: the one place a shared file is read and parsed; a file the editor does not
//! accept is an error naming it, whichever command reads it.

use super::locations::{FileLocations, Shown};
use crate::fsio::{self, FsError};
use crate::ini::{Document, ParseError};
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

/// Both shared files, parsed.
#[derive(Debug)]
pub struct SharedDocuments {
    /// The credentials file.
    pub credentials: Document,
    /// The config file.
    pub config: Document,
}

impl SharedDocuments {
    /// Reads both files.
    pub fn read(files: &FileLocations) -> Result<SharedDocuments, ReadError> {
        Ok(SharedDocuments {
            credentials: read_document(&files.credentials)?,
            config: read_document(&files.config)?,
        })
    }
}
