//! `setup`: what the first run for a new IAM user decides and writes: whether the source is
//! free, the aws-mfa layouts that can be taken over, and the source's long-term keys written
//! into the credentials file (or, kept in the OS keychain, the source's credential_process
//! written into the config file).
//!
//! Invariant: keys are written only into a source that holds none (no keys, no session, no
//! `credential_process`), with the target's checks on that section, under the lock, from a
//! fresh read; every other byte stays.

use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::ini::Document;
use crate::input::keys::LongTermKeys;
use crate::profile::edit_locked;
use crate::profile::{
    find_section, locate_target, replace_key, FileKind, ProfileName, SharedDocuments, ACCESS_KEY_ID,
};
use crate::text::shown::Shown;
use std::path::Path;

/// The suffix aws-mfa gives the profile holding the long-term keys.
pub const AWS_MFA_SUFFIX: &str = "-long-term";
/// aws-mfa's key for the MFA device.
pub const AWS_MFA_DEVICE: &str = "aws_mfa_device";

/// An aws-mfa pair: `[NAME-long-term]` holds the keys, `[NAME]` gets the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsMfaPair {
    /// `NAME-long-term`.
    pub source: ProfileName,
    /// `NAME`.
    pub target: ProfileName,
    /// Its `aws_mfa_device`, when set.
    pub device: Option<String>,
}

/// The aws-mfa pairs of a credentials file: each `[NAME-long-term]` section holding an access
/// key, whose `[NAME]` is not already managed by mfa-profile.
pub fn aws_mfa_pairs(doc: &Document) -> Vec<AwsMfaPair> {
    let managed: Vec<String> = crate::profile::managed_targets(doc)
        .into_iter()
        .map(|t| t.name)
        .collect();
    doc.sections()
        .filter(|s| s.get(ACCESS_KEY_ID).is_some())
        .filter_map(|section| {
            let name = section.name();
            let target = name.strip_suffix(AWS_MFA_SUFFIX)?;
            let pair = AwsMfaPair {
                source: ProfileName::new(name).ok()?,
                target: ProfileName::new(target).ok()?,
                device: section
                    .get(AWS_MFA_DEVICE)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned),
            };
            (!managed.iter().any(|m| m == target)).then_some(pair)
        })
        .collect()
}

/// Refuses a source that already has credentials of any kind: `setup` only creates. With
/// `keychain`, a source whose only credential is the keychain's own `credential_process` (an
/// earlier `setup --keychain`, its item since lost) may store its keys again.
pub fn check_new_source(
    docs: &SharedDocuments,
    path: &Path,
    source: &ProfileName,
    keychain: bool,
) -> Result<(), Error> {
    // `rotate` replaces long-term keys only: a session, a credential_process, a role or SSO
    // profile is not named with it.
    let taken = |what: &str, long_term_keys: bool| -> Error {
        let rotate = if long_term_keys {
            format!("`mfa-profile rotate -s {source}` replaces its key, or ")
        } else {
            String::new()
        };
        KeyError::Setup(format!(
            "[{source}] already {what}; {rotate}choose another name with -s"
        ))
        .into()
    };
    let refused = Error::refused_in(path);
    if let Some((_, summary)) = locate_target(&docs.credentials, source).map_err(refused)? {
        if summary.managed.is_some() {
            return Err(taken("is a target mfa-profile writes sessions into", false));
        }
        if summary.has_access_key || summary.has_session_token {
            return Err(taken(
                &format!("holds credentials in {}", Shown(path)),
                summary.holds_long_term_keys(),
            ));
        }
    }
    if let Ok(Some(id)) = find_section(&docs.config, FileKind::Config, source) {
        let section = docs.config.section(id);
        for key in [
            ACCESS_KEY_ID,
            "credential_process",
            "role_arn",
            "sso_session",
            "sso_start_url",
        ] {
            let ours = keychain
                && key == "credential_process"
                && section.get(key) == Some(keychain_command(source).as_str());
            if section.get(key).is_some() && !ours {
                return Err(taken(
                    &format!("has {key} in the config file"),
                    key == ACCESS_KEY_ID,
                ));
            }
        }
    }
    Ok(())
}

/// Writes `keys` into profile `source` of the credentials file at `path` (appending the
/// section when it is missing), under the lock, from a fresh read checked again.
pub fn write_source_keys(
    path: &Path,
    source: &ProfileName,
    keys: &LongTermKeys,
) -> Result<(), Error> {
    let refused = Error::refused_in(path);
    edit_locked(path, |doc| {
        let at = match locate_target(doc, source).map_err(refused)? {
            Some((_, summary))
                if summary.has_access_key
                    || summary.has_session_token
                    || summary.managed.is_some() =>
            {
                return Err(KeyError::Setup(format!(
                    "[{source}] got credentials in {} while setup ran; nothing was written",
                    Shown(path)
                ))
                .into())
            }
            Some((id, _)) => id,
            None => doc.append_section(&FileKind::Credentials.header_for(source)),
        };
        if let Some(header) = crate::profile::js_header_fix(doc.section(at).header()) {
            doc.section_mut(at).set_header(&header);
        }
        replace_key(doc, at, keys);
        Ok(((), true))
    })
}

/// The `credential_process` a source whose keys the OS keychain holds runs.
pub fn keychain_command(source: &ProfileName) -> String {
    format!("mfa-profile source-keys {source}")
}

/// Makes profile `source` of the config file at `path` take its keys from the OS keychain
/// (`credential_process = mfa-profile source-keys SOURCE`), under the lock, from a fresh read;
/// refused when that profile has keys or a credential_process of its own already.
pub fn write_keychain_source(path: &Path, source: &ProfileName) -> Result<(), Error> {
    let refused = Error::refused_in(path);
    edit_locked(path, |doc| {
        let at = find_section(doc, FileKind::Config, source).map_err(refused)?;
        if let Some(id) = at {
            let section = doc.section(id);
            if section.get("credential_process") == Some(keychain_command(source).as_str()) {
                return Ok(((), false));
            }
            if let Some(key) = ["credential_process", ACCESS_KEY_ID]
                .into_iter()
                .find(|key| section.get(key).is_some_and(|v| !v.is_empty()))
            {
                return Err(KeyError::Setup(format!(
                    "{} of {} has {key} already; nothing was written",
                    section.header(),
                    Shown(path)
                ))
                .into());
            }
            crate::profile::check_lines_of(&section, &["credential_process"]).map_err(refused)?;
        }
        let id = at.unwrap_or_else(|| doc.append_section(&FileKind::Config.header_for(source)));
        doc.section_mut(id)
            .set("credential_process", &keychain_command(source));
        Ok(((), true))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_mfa_pairs_are_found_unless_taken_over() {
        let doc = Document::parse(
            b"[default-long-term]\naws_access_key_id = AKIA1\naws_secret_access_key = s\naws_mfa_device = arn:aws:iam::123456789012:mfa/alice\n\
[default]\naws_access_key_id = ASIA1\naws_session_token = t\n\
[work-long-term]\naws_access_key_id = AKIA2\naws_secret_access_key = s\n\
[work]\nmfa_source_profile = work-long-term\n[x-long-term]\nregion = eu\n",
        )
        .unwrap();
        let pairs = aws_mfa_pairs(&doc);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].source.as_str(), "default-long-term");
        assert_eq!(pairs[0].target.as_str(), "default");
        assert_eq!(
            pairs[0].device.as_deref(),
            Some("arn:aws:iam::123456789012:mfa/alice")
        );
    }
}
