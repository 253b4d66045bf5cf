//! The commit of a refresh: the session written into the credentials file under the lock, then
//! the source's region carried over to the config file.
//!
//! Invariant: the file is re-read under the lock when it changed since the plan was made, and
//! the target is checked again on what is there now; the write is one atomic replace.

use super::{RefreshSettings, Refreshed};
use crate::error::Error;
use crate::fsio;
use crate::ini::{Document, SectionId};
use crate::input::keys::SessionCredentials;
use crate::input::{MfaSerial, Region};
use crate::profile::edit_locked;
use crate::profile::{
    add_region, locate_target, read_document, unreadable, write_session, ProfileName, RecordedRole,
    SessionEntries,
};
use crate::text::notice::Notice;
use crate::text::shown::Shown;

/// What a refresh writes, besides the session.
pub(super) struct Writing<'a> {
    pub target: &'a ProfileName,
    /// The target section, as the plan found it.
    pub at: Option<SectionId>,
    pub source: &'a ProfileName,
    pub role: Option<RecordedRole<'a>>,
    /// The MFA device used, and whether the target records it.
    pub serial: Option<(&'a MfaSerial, bool)>,
    pub duration: Option<u32>,
    /// A derived target's base.
    pub via: Option<&'a ProfileName>,
    /// The source's region, to add to the target's config profile.
    pub carry_region: Option<&'a Region>,
}

/// Writes `session` into the target, starting from `doc` (the file as the plan read it) when
/// the file still holds exactly that.
pub(super) fn commit(
    settings: &RefreshSettings,
    call: &Writing,
    doc: Document,
    session: SessionCredentials,
    notices: &mut dyn FnMut(Notice),
) -> Result<Refreshed, Error> {
    let path = &settings.files.credentials;
    let real = fsio::real_path(path)?;
    let lock = fsio::lock_beside(&real, |dir| {
        notices(Notice::Info(format!(
            "waiting for another mfa-profile to finish writing in {}",
            Shown(dir)
        )))
    })?;
    // Another writer may have changed the file since the first read: start again from what
    // is there now (parsing it again only if it changed).
    let (mut doc, at) = if fsio::holds(path, doc.input().as_bytes())? {
        (doc, call.at)
    } else {
        let doc = read_document(path)?;
        let found = locate_target(&doc, call.target).map_err(Error::refused_in(path))?;
        if found
            .as_ref()
            .is_some_and(|(_, s)| s.holds_long_term_keys())
        {
            return Err(Error::LongTermTarget {
                target: call.target.to_string(),
                path: path.clone(),
            });
        }
        (doc, found.map(|(id, _)| id))
    };
    let entries = SessionEntries {
        session: &session,
        source: call.source,
        role: call.role,
        serial: call
            .serial
            .filter(|(_, recorded)| *recorded)
            .map(|(serial, _)| serial.as_str()),
        duration: call.duration,
        via: call.via.map(ProfileName::as_str),
    };
    write_session(&mut doc, at, call.target, &entries);
    // The rendered file holds the long-term key too: zeroed once written.
    let rendered = zeroize::Zeroizing::new(doc.render());
    fsio::replace(path, rendered.as_bytes(), &lock)?;
    drop(lock);
    for problem in unreadable(&doc) {
        notices(Notice::Warning(
            problem.warning(path, Some(call.target.as_str())),
        ));
    }
    if let Some(region) = call.carry_region {
        carry_region_over(settings, call.target, call.source, region, notices);
    }
    Ok(Refreshed {
        target: call.target.clone(),
        source: call.source.clone(),
        serial: call.serial.map(|(serial, _)| serial.clone()),
        via: call.via.cloned(),
        session,
        file: path.clone(),
    })
}

/// Adds the source's region to the target's config profile when it has none, saying so. The
/// session is written already: a failure here is a warning, not a failed refresh.
fn carry_region_over(
    settings: &RefreshSettings,
    target: &ProfileName,
    source: &ProfileName,
    region: &Region,
    notices: &mut dyn FnMut(Notice),
) {
    let path = &settings.files.config;
    match add_region_to_config(path, target, region) {
        Ok(Some(header)) => notices(Notice::Info(format!(
            "added region = {region} (from [{source}]) to {header} in {}; --no-config leaves the config file alone",
            Shown(path)
        ))),
        Ok(None) => {}
        Err(error) => notices(Notice::Warning(format!(
            "the session is written, but region = {region} was not added to [profile {target}] in {}: {error}",
            Shown(path)
        ))),
    }
}

/// Adds `region` to profile `target` of the config file at `path` when it has none; the
/// header it went into, `None` when the profile has a region already.
pub(crate) fn add_region_to_config(
    path: &std::path::Path,
    target: &ProfileName,
    region: &Region,
) -> Result<Option<String>, Error> {
    edit_locked(path, |doc| {
        let added = add_region(doc, target, region).map_err(Error::refused_in(path))?;
        let changed = added.is_some();
        Ok((added, changed))
    })
}
