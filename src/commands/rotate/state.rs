//! Where a source's key stands before a rotation: the key the files use, the section holding
//! the rotation record, the record, and the checks of every section a rotation would rewrite.
//!
//! Invariant: reads only; every refusal a rotation can make without AWS is made here, naming
//! the file and the line.

use super::RotateSettings;
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::input::keys::LongTermKeys;
use crate::profile::source::source_profile;
use crate::profile::{
    key_sections, read_record, source_key_section, FileKind, RotationRecord, SharedDocuments,
    SourceKeys, MFA_NEW_ACCESS_KEY_ID,
};

/// The source's key and rotation record, as the files hold them.
#[derive(Debug)]
pub(super) struct Situation {
    /// The key the files use for the source now.
    pub keys: LongTermKeys,
    /// The file whose section of the source holds that key (and the record).
    pub record_file: FileKind,
    /// The rotation record, when one is under way.
    pub record: Option<RotationRecord>,
}

/// Reads and checks where the source's key stands.
pub(super) fn read(settings: &RotateSettings) -> Result<Situation, Error> {
    let files = &settings.files;
    let source = &settings.source;
    let docs = SharedDocuments::read(files)?;
    let keys = match source_profile(&docs.profiles_of(&[source.as_str()])?, source)?.keys {
        SourceKeys::Stored(keys) => keys,
        SourceKeys::Process(command) => {
            return Err(KeyError::RotateRefused(format!(
                "the keys of [{source}] come from its credential_process (`{command}`), which mfa-profile cannot write to; rotate them where that command keeps them"
            ))
            .into())
        }
    };
    let path_of = |kind| super::files::path_of(settings, kind);
    let refused = |kind, refusal| Error::Refused {
        path: path_of(kind),
        refusal,
    };
    let (record_file, id) =
        source_key_section(&docs.credentials, &docs.config, source, &keys.access_key_id)
            .map_err(|r| refused(FileKind::Credentials, r))?
            .ok_or_else(|| {
                KeyError::RotateRefused(format!(
                    "the access key of [{source}] is not in a section of its own that both the AWS CLI and the SDKs read as [{source}]"
                ))
            })?;
    let doc = match record_file {
        FileKind::Credentials => &docs.credentials,
        FileKind::Config => &docs.config,
    };
    let record = read_record(&doc.section(id)).map_err(|key| {
        KeyError::RotateRefused(format!(
            "[{source}] in {} holds half a rotation record ({key} is missing or empty); remove the mfa_new_*/mfa_old_* lines by hand, after checking in IAM which key is in use",
            crate::text::shown::Shown(&path_of(record_file))
        ))
    })?;
    if let Some(RotationRecord::Pending { new, .. }) = &record {
        // A key no request can carry: the SDK's signer would panic on it.
        if let Some(key) = new.unsendable() {
            let key = if key == "aws_access_key_id" {
                crate::profile::MFA_NEW_ACCESS_KEY_ID
            } else {
                crate::profile::MFA_NEW_SECRET_ACCESS_KEY
            };
            return Err(KeyError::RotateRefused(format!(
                "[{source}] in {} holds a rotation record whose {key} holds a character no request can carry; remove the mfa_new_*/mfa_old_* lines by hand, after checking in IAM which key is in use",
                crate::text::shown::Shown(&path_of(record_file))
            ))
            .into());
        }
    }
    check_record(settings, &keys, record.as_ref())?;
    let mut ids = vec![keys.access_key_id.clone()];
    if let Some(RotationRecord::Pending { new, .. }) = &record {
        ids.push(new.access_key_id.clone());
    }
    for (doc, kind) in [
        (&docs.credentials, FileKind::Credentials),
        (&docs.config, FileKind::Config),
    ] {
        for id in &ids {
            key_sections(doc, id).map_err(|r| refused(kind, r))?;
        }
    }
    Ok(Situation {
        keys,
        record_file,
        record,
    })
}

/// Refuses a record that does not fit the key in use.
fn check_record(
    settings: &RotateSettings,
    keys: &LongTermKeys,
    record: Option<&RotationRecord>,
) -> Result<(), Error> {
    let source = &settings.source;
    let fits = match record {
        None | Some(RotationRecord::Started { .. }) => true,
        Some(RotationRecord::Pending { old, new }) => {
            *old == keys.access_key_id && new.access_key_id != *old
        }
        Some(RotationRecord::Replaced { old }) => *old != keys.access_key_id,
    };
    if fits {
        return Ok(());
    }
    Err(KeyError::RotateRefused(format!(
        "the rotation record of [{source}] does not match the key it uses ({}); check in IAM which key is in use, and remove the mfa_old_*/{MFA_NEW_ACCESS_KEY_ID} lines by hand",
        keys.access_key_id
    ))
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{FileLocations, ProfileName};

    const KEY: &str = "AKIAIOSFODNN7EXAMPLE";
    const SOURCE: &str = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

    /// Reads the situation of `[default]` in a credentials file holding `credentials`; the
    /// refusal's words when it is refused.
    fn situation_of(credentials: &str) -> Result<Situation, String> {
        let dir = tempfile::tempdir().unwrap();
        let files = FileLocations {
            credentials: dir.path().join("credentials"),
            config: dir.path().join("config"),
        };
        std::fs::write(&files.credentials, credentials).unwrap();
        let settings = RotateSettings {
            files,
            source: ProfileName::new("default").unwrap(),
            delete_old: false,
            wait_for_new_key: std::time::Duration::ZERO,
            now: 0,
        };
        read(&settings).map_err(|e| e.to_string())
    }

    #[test]
    fn a_key_with_no_record_reads_as_no_rotation_under_way() {
        let situation = situation_of(SOURCE).unwrap();
        assert_eq!(situation.keys.access_key_id, KEY);
        assert!(situation.record.is_none());
    }

    #[test]
    fn half_a_record_is_refused_naming_what_is_missing() {
        let half = format!(
            "{SOURCE}mfa_old_access_key_id = {KEY}\nmfa_new_access_key_id = AKIANEWKEYEXAMPLE123\n"
        );
        let error = situation_of(&half).unwrap_err();
        assert!(
            error.contains(
                "holds half a rotation record (mfa_new_secret_access_key is missing or empty)"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_record_of_another_key_is_refused() {
        let other = format!("{SOURCE}mfa_old_access_key_id = {KEY}\n");
        let error = situation_of(&other).unwrap_err();
        assert!(error.contains("the rotation record of [default] does not match the key it uses (AKIAIOSFODNN7EXAMPLE)"), "{error}");
    }
}
