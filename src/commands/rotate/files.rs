//! The writes of a rotation, each under the lock, from a fresh read, one atomic replace per
//! file: the new key saved beside the old one, the new key put in place of the old one in
//! every section of both files, the record cleared.
//!
//! Invariant: each write re-reads the file under the lock and checks that it still holds what
//! the step expects, so a concurrent edit or rotation is never overwritten; the rendered text,
//! which holds secrets, is zeroed once written.

use super::RotateSettings;
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::fsio::failpoint;
use crate::ini::{Document, SectionId};
use crate::input::keys::LongTermKeys;
use crate::profile::edit_locked;
use crate::profile::{
    clear_record, find_section, key_sections, read_record, replace_key, write_pending,
    write_replaced, write_started, FileKind, RotationRecord, ACCESS_KEY_ID,
};
use crate::text::shown::Shown;
use std::path::PathBuf;

/// The path of a file kind.
pub(super) fn path_of(settings: &RotateSettings, kind: FileKind) -> PathBuf {
    match kind {
        FileKind::Credentials => settings.files.credentials.clone(),
        FileKind::Config => settings.files.config.clone(),
    }
}

/// Reads the file of `kind` under its lock, edits it with `edit`, and replaces it when `edit`
/// says it changed something.
fn edit_file(
    settings: &RotateSettings,
    kind: FileKind,
    edit: impl FnOnce(&mut Document) -> Result<bool, Error>,
) -> Result<(), Error> {
    edit_locked(&path_of(settings, kind), |doc| Ok(((), edit(doc)?)))
}

/// The source's section in `doc` when it still uses key `id`.
fn source_section(
    settings: &RotateSettings,
    doc: &Document,
    kind: FileKind,
    id: &str,
) -> Result<Option<SectionId>, Error> {
    let found = find_section(doc, kind, &settings.source)
        .map_err(Error::refused_in(&path_of(settings, kind)))?;
    Ok(found.filter(|at| doc.section(*at).get(ACCESS_KEY_ID) == Some(id)))
}

fn changed_meanwhile(settings: &RotateSettings, kind: FileKind) -> Error {
    KeyError::RotateRefused(format!(
        "[{}] in {} changed while the rotation ran",
        settings.source,
        Shown(&path_of(settings, kind))
    ))
    .into()
}

/// Records in the source's section (which uses `old`) that IAM is asked for a new key at
/// `since`: the write before CreateAccessKey.
pub(super) fn save_started(
    settings: &RotateSettings,
    kind: FileKind,
    old: &str,
    since: i64,
) -> Result<(), Error> {
    edit_file(settings, kind, |doc| {
        let at = source_section(settings, doc, kind, old)?
            .filter(|at| {
                matches!(
                    read_record(&doc.section(*at)),
                    Ok(None | Some(RotationRecord::Started { .. }))
                )
            })
            .ok_or_else(|| changed_meanwhile(settings, kind))?;
        write_started(doc, at, since);
        Ok(true)
    })
}

/// Saves `new` in the source's section as the key replacing `old`: the first write after
/// CreateAccessKey answered.
pub(super) fn save_pending(
    settings: &RotateSettings,
    kind: FileKind,
    old: &str,
    new: &LongTermKeys,
) -> Result<(), Error> {
    edit_file(settings, kind, |doc| {
        let at = source_section(settings, doc, kind, old)?
            .filter(|at| {
                matches!(
                    read_record(&doc.section(*at)),
                    Ok(Some(RotationRecord::Started { .. }))
                )
            })
            .ok_or_else(|| changed_meanwhile(settings, kind))?;
        write_pending(doc, at, new, old);
        Ok(true)
    })
}

/// Where the swap got to when it stopped.
#[derive(Debug)]
pub(super) struct SwapStopped {
    /// The files already using the new key.
    pub done: Vec<PathBuf>,
    /// Why it stopped.
    pub error: Box<Error>,
}

/// Puts `new` in place of `old` in every section of both files holding `old`, the file
/// without the record first; in the record's file the record then keeps only the old key's id.
/// Returns the sections rewritten, as `[name] (file)`.
pub(super) fn swap(
    settings: &RotateSettings,
    record_file: FileKind,
    old: &str,
    new: &LongTermKeys,
) -> Result<Vec<String>, SwapStopped> {
    let other = match record_file {
        FileKind::Credentials => FileKind::Config,
        FileKind::Config => FileKind::Credentials,
    };
    let mut rewritten = Vec::new();
    let mut done = Vec::new();
    for kind in [other, record_file] {
        let result = failpoint::step(&format!("rotate-swap-{}", kind_name(kind)))
            .map_err(|why| KeyError::RotateRefused(why).into())
            .and_then(|()| {
                edit_file(settings, kind, |doc| {
                    let path = path_of(settings, kind);
                    let refused = Error::refused_in(&path);
                    let sections = key_sections(doc, old).map_err(refused)?;
                    let record_at = if kind == record_file {
                        Some(
                            source_section(settings, doc, kind, old)?
                                .ok_or_else(|| changed_meanwhile(settings, kind))?,
                        )
                    } else {
                        None
                    };
                    for id in &sections {
                        rewritten.push(format!(
                            "[{}] ({})",
                            doc.section(*id).name(),
                            Shown(&path_of(settings, kind))
                        ));
                        replace_key(doc, *id, new);
                    }
                    if let Some(at) = record_at {
                        write_replaced(doc, at);
                    }
                    Ok(!sections.is_empty())
                })
            });
        match result {
            Ok(()) => done.push(path_of(settings, kind)),
            Err(error) => {
                return Err(SwapStopped {
                    done,
                    error: Box::new(error),
                })
            }
        }
    }
    Ok(rewritten)
}

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Credentials => "credentials",
        FileKind::Config => "config",
    }
}

/// Removes the rotation record from the source's section (which uses key `current`).
pub(super) fn clear(settings: &RotateSettings, kind: FileKind, current: &str) -> Result<(), Error> {
    edit_file(settings, kind, |doc| {
        let Some(at) = source_section(settings, doc, kind, current)? else {
            return Ok(false);
        };
        clear_record(doc, at);
        Ok(true)
    })
}
