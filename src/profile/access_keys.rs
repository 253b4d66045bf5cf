//! An IAM user's long-term key in the shared files: every section holding it (found, checked
//! and rewritten together when the key is rotated), the rotation record kept beside the
//! source's keys, and the keys `setup` writes for a new source.
//!
//! Invariant: a rotation rewrites only `aws_access_key_id` and `aws_secret_access_key` in the
//! sections holding the old key id, and only the record's keys in the source's section; every
//! section it rewrites passed [`key_sections`]'s checks, so all three readers read the new
//! values wherever they read the old ones, and every other byte stays.

use super::find::{find_section, FileKind};
use super::target::check_rewritten_lines;
use super::{ProfileName, Refusal, ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use crate::ini::{Document, Section, SectionId};
use crate::input::keys::{LongTermKeys, Secret};

/// The key that replaces the source's while it is being checked: its id.
pub const MFA_NEW_ACCESS_KEY_ID: &str = "mfa_new_access_key_id";
/// ... and its secret.
pub const MFA_NEW_SECRET_ACCESS_KEY: &str = "mfa_new_secret_access_key";
/// The key being replaced, until IAM has deactivated (or deleted) it.
pub const MFA_OLD_ACCESS_KEY_ID: &str = "mfa_old_access_key_id";
/// When a rotation asked IAM for a new key (RFC 3339), until the key is saved.
pub const MFA_ROTATION_STARTED: &str = "mfa_rotation_started";

/// The keys a rotation may write in a section.
const ROTATION_KEYS: [&str; 6] = [
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    MFA_ROTATION_STARTED,
    MFA_OLD_ACCESS_KEY_ID,
    MFA_NEW_ACCESS_KEY_ID,
    MFA_NEW_SECRET_ACCESS_KEY,
];

/// Where a rotation stands, as the source's section records it.
#[derive(Clone, Debug)]
pub enum RotationRecord {
    /// IAM was asked for a new key at `since` (epoch seconds), and no key was saved yet: a key
    /// IAM created since then and nobody has is the rotation's own.
    Started {
        /// When CreateAccessKey was about to be sent.
        since: i64,
    },
    /// A new key was created and saved here; the files still use `old` elsewhere.
    Pending {
        /// The new key.
        new: LongTermKeys,
        /// The key it replaces.
        old: String,
    },
    /// The files use the new key; `old` is still to be deactivated (or deleted) in IAM.
    Replaced {
        /// The key replaced.
        old: String,
    },
}

/// The sections of `doc` whose `aws_access_key_id`, as the SDKs read it, is `key_id`, each
/// checked for lines the readers would read differently once rewritten.
pub fn key_sections(doc: &Document, key_id: &str) -> Result<Vec<SectionId>, Refusal> {
    let mut found = Vec::new();
    for section in doc.sections() {
        if section.get(ACCESS_KEY_ID) != Some(key_id) {
            continue;
        }
        let what = format!("[{}]", section.name());
        check_rewritten_lines(&section, &ROTATION_KEYS, &what)?;
        if section
            .get(SECRET_ACCESS_KEY)
            .is_none_or(|secret| secret.is_empty())
        {
            return Err(Refusal {
                line: section.line(),
                reason: format!(
                    "{what} holds access key {key_id} but no aws_secret_access_key beside it; put the key's secret in the same section"
                ),
            });
        }
        found.push(section.id());
    }
    Ok(found)
}

/// Refuses lines of `section` that the readers would read differently once `keys` are
/// written there.
pub fn check_lines_of(section: &Section, keys: &[&str]) -> Result<(), Refusal> {
    check_rewritten_lines(section, keys, &format!("[{}]", section.name()))
}

/// The section the SDKs take profile `source`'s access key `key_id` from: the credentials
/// file's when it holds that key there, else the config file's. `None` when neither does.
pub fn source_key_section(
    credentials: &Document,
    config: &Document,
    source: &ProfileName,
    key_id: &str,
) -> Result<Option<(FileKind, SectionId)>, Refusal> {
    for (doc, kind) in [
        (credentials, FileKind::Credentials),
        (config, FileKind::Config),
    ] {
        if let Some(id) = find_section(doc, kind, source)? {
            if doc.section(id).get(ACCESS_KEY_ID) == Some(key_id) {
                return Ok(Some((kind, id)));
            }
        }
    }
    Ok(None)
}

/// Writes `keys` over the key pair of section `id`, the key names in lower case (the
/// JavaScript SDK matches them case-sensitively).
pub fn replace_key(doc: &mut Document, id: SectionId, keys: &LongTermKeys) {
    let mut section = doc.section_mut(id);
    for key in [ACCESS_KEY_ID, SECRET_ACCESS_KEY] {
        section.rename_key(key, key);
    }
    section.set(ACCESS_KEY_ID, &keys.access_key_id);
    section.set(SECRET_ACCESS_KEY, keys.secret_access_key.expose());
}

/// The rotation record of a section, if any. `Err` names the key of a record that is not
/// whole.
pub fn read_record(section: &Section) -> Result<Option<RotationRecord>, &'static str> {
    let get = |key| section.get(key).filter(|v| !v.is_empty());
    let old = get(MFA_OLD_ACCESS_KEY_ID);
    let new_id = get(MFA_NEW_ACCESS_KEY_ID);
    let new_secret = get(MFA_NEW_SECRET_ACCESS_KEY);
    let started = section.get(MFA_ROTATION_STARTED);
    match (old, new_id, new_secret) {
        (None, None, None) => match started {
            None => Ok(None),
            Some(text) => crate::text::time::parse_rfc3339(text)
                .map(|since| Some(RotationRecord::Started { since }))
                .ok_or(MFA_ROTATION_STARTED),
        },
        (Some(old), None, None) => Ok(Some(RotationRecord::Replaced {
            old: old.to_owned(),
        })),
        (Some(old), Some(id), Some(secret)) => Ok(Some(RotationRecord::Pending {
            new: LongTermKeys {
                access_key_id: id.to_owned(),
                secret_access_key: Secret::new(secret),
            },
            old: old.to_owned(),
        })),
        (None, _, _) => Err(MFA_OLD_ACCESS_KEY_ID),
        (Some(_), None, Some(_)) => Err(MFA_NEW_ACCESS_KEY_ID),
        (Some(_), Some(_), None) => Err(MFA_NEW_SECRET_ACCESS_KEY),
    }
}

/// Records in section `id` that IAM is being asked for a new key at `since`.
pub fn write_started(doc: &mut Document, id: SectionId, since: i64) {
    doc.section_mut(id)
        .set_first(MFA_ROTATION_STARTED, &crate::text::time::rfc3339(since));
}

/// Records in section `id` that `new` is replacing `old`. The record's lines go first in the
/// section, so that the section's last line (and a missing final newline) stays as it is.
pub fn write_pending(doc: &mut Document, id: SectionId, new: &LongTermKeys, old: &str) {
    let mut section = doc.section_mut(id);
    section.remove(MFA_ROTATION_STARTED);
    section.set_first(MFA_NEW_SECRET_ACCESS_KEY, new.secret_access_key.expose());
    section.set_first(MFA_NEW_ACCESS_KEY_ID, &new.access_key_id);
    section.set_first(MFA_OLD_ACCESS_KEY_ID, old);
}

/// Records in section `id` that the new key is in use: only the old key's id stays.
pub fn write_replaced(doc: &mut Document, id: SectionId) {
    let mut section = doc.section_mut(id);
    section.remove(MFA_NEW_ACCESS_KEY_ID);
    section.remove(MFA_NEW_SECRET_ACCESS_KEY);
}

/// Removes the record from section `id`.
pub fn clear_record(doc: &mut Document, id: SectionId) {
    let mut section = doc.section_mut(id);
    for key in [
        MFA_ROTATION_STARTED,
        MFA_NEW_ACCESS_KEY_ID,
        MFA_NEW_SECRET_ACCESS_KEY,
        MFA_OLD_ACCESS_KEY_ID,
    ] {
        section.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(id: &str, secret: &str) -> LongTermKeys {
        LongTermKeys {
            access_key_id: id.into(),
            secret_access_key: Secret::new(secret),
        }
    }

    const FILE: &str = "# keys\r\n[default]\r\nAWS_ACCESS_KEY_ID=AKIAOLD\r\naws_secret_access_key=old\r\nregion=eu\r\n\r\n[copy]\r\naws_access_key_id = AKIAOLD\r\naws_secret_access_key = old\r\n[other]\r\naws_access_key_id = AKIAOTHER\r\naws_secret_access_key = x\r\n";

    #[test]
    fn a_rotation_record_goes_and_comes_back_byte_for_byte() {
        let mut doc = Document::parse(FILE.as_bytes()).unwrap();
        let found = key_sections(&doc, "AKIAOLD").unwrap();
        assert_eq!(found.len(), 2);
        let source = found[0];
        assert!(read_record(&doc.section(source)).unwrap().is_none());
        write_started(&mut doc, source, 1_767_225_600);
        assert!(matches!(
            read_record(&doc.section(source)).unwrap(),
            Some(RotationRecord::Started {
                since: 1_767_225_600
            })
        ));
        write_pending(&mut doc, source, &keys("AKIANEW", "new"), "AKIAOLD");
        let pending = doc.render();
        assert!(pending.contains("[default]\r\nmfa_old_access_key_id=AKIAOLD\r\nmfa_new_access_key_id=AKIANEW\r\nmfa_new_secret_access_key=new\r\nAWS_ACCESS_KEY_ID=AKIAOLD\r\n"), "{pending}");
        assert!(matches!(
            read_record(&doc.section(source)).unwrap(),
            Some(RotationRecord::Pending { new, old }) if new.access_key_id == "AKIANEW" && old == "AKIAOLD"
        ));
        for id in &found {
            replace_key(&mut doc, *id, &keys("AKIANEW", "new"));
        }
        write_replaced(&mut doc, source);
        assert!(matches!(
            read_record(&doc.section(source)).unwrap(),
            Some(RotationRecord::Replaced { old }) if old == "AKIAOLD"
        ));
        clear_record(&mut doc, source);
        assert_eq!(
            doc.render(),
            FILE.replace("AWS_ACCESS_KEY_ID=AKIAOLD", "aws_access_key_id=AKIANEW")
                .replace("AKIAOLD", "AKIANEW")
                .replace("= old", "= new")
                .replace("=old", "=new")
        );
    }

    #[test]
    fn sections_the_readers_would_read_differently_are_refused() {
        let refused = |text: &str| {
            key_sections(&Document::parse(text.as_bytes()).unwrap(), "AKIAOLD")
                .unwrap_err()
                .line
        };
        assert_eq!(
            refused("[a]\naws_access_key_id = AKIAOLD # mine\naws_secret_access_key = s\n"),
            2
        );
        assert_eq!(
            refused("[a]\naws_access_key_id = AKIAOLD\naws_secret_access_key = s\n  # c\n"),
            4
        );
        assert_eq!(refused("[a]\naws_access_key_id = AKIAOLD\naws_secret_access_key = s\naws_secret_access_key = t\n"), 4);
        assert_eq!(refused("[a]\naws_access_key_id = AKIAOLD\n"), 1);
        assert_eq!(
            refused("[a]\naws_access_key_id = AKIAOLD\naws_secret_access_key = s\n  [b]\n"),
            4
        );
        let fine = Document::parse(b"[a]\naws_access_key_id = AKIAOTHER # c\n").unwrap();
        assert!(key_sections(&fine, "AKIAOLD").unwrap().is_empty());
    }

    #[test]
    fn a_record_never_shows_its_secret() {
        let record = RotationRecord::Pending {
            new: keys("AKIANEW", "newSecretEXAMPLEKEY"),
            old: "AKIAOLD".into(),
        };
        let shown = format!("{record:?}");
        assert!(
            shown.contains("AKIANEW") && !shown.contains("newSecretEXAMPLEKEY"),
            "{shown}"
        );
    }

    #[test]
    fn half_a_record_is_named() {
        let doc = Document::parse(b"[a]\nmfa_new_access_key_id = AKIANEW\n").unwrap();
        let section = doc.sections().next().unwrap();
        assert_eq!(read_record(&section).unwrap_err(), MFA_OLD_ACCESS_KEY_ID);
    }
}
