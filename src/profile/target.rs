//! The target section of a refresh: found, checked for lines the readers disagree on, and
//! summed up.
//!
//! Invariant: a target that passes [`locate_target`] can be rewritten key by key and every
//! reader then reads the new values; anything else is a [`Refusal`] naming the line.

use super::find::{find_section, FileKind};
use super::managed::ManagedTarget;
use super::{ProfileName, Refusal, ACCESS_KEY_ID, MANAGED_KEYS, SECURITY_TOKEN, SESSION_TOKEN};
use crate::ini::botocore::{botocore_key, botocore_section, is_botocore_comment};
use crate::ini::{Document, Section, SectionId};

/// What the target section holds, as far as a refresh cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetSummary {
    /// It has `aws_access_key_id`.
    pub has_access_key: bool,
    /// It has `aws_session_token` or `aws_security_token`.
    pub has_session_token: bool,
    /// What mfa-profile recorded in it, when it is a managed target.
    pub managed: Option<ManagedTarget>,
}

impl TargetSummary {
    /// Long-term keys: an access key with no session token, not written by mfa-profile.
    /// Overwriting them would destroy the user's only copy.
    pub fn holds_long_term_keys(&self) -> bool {
        self.has_access_key && !self.has_session_token && self.managed.is_none()
    }
}

/// Finds and checks the target section `name` of a credentials file: `None` when there is
/// none yet (a refresh appends it).
pub fn locate_target(
    doc: &Document,
    name: &ProfileName,
) -> Result<Option<(SectionId, TargetSummary)>, Refusal> {
    check_leaking_defaults(doc)?;
    let Some(id) = find_section(doc, FileKind::Credentials, name)? else {
        return Ok(None);
    };
    let summary = inspect_target(&doc.section(id))?;
    Ok(Some((id, summary)))
}

/// Checks the target section for lines the two readers disagree on, and sums up what it holds.
pub fn inspect_target(section: &Section) -> Result<TargetSummary, Refusal> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut summary = TargetSummary::default();
    let managed = |k: &str| MANAGED_KEYS.contains(&k);
    for entry in section.entries() {
        let line = entry.line();
        let key = entry.key().to_ascii_lowercase();
        let boto = botocore_key(entry.text()).unwrap_or_default();
        if key != boto && (managed(&key) || managed(&boto)) {
            return Err(Refusal {
                line,
                reason: format!(
                    "the AWS CLI reads the key here as `{boto}` and the SDKs as `{key}`; write it as `{key} = value`"
                ),
            });
        }
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Err(Refusal {
                line,
                reason: format!(
                    "`{key}` appears twice in the target section (lines {first} and {line}): the AWS CLI rejects the file and the SDKs take the last; remove one"
                ),
            });
        }
        seen.push((key.clone(), line));
        if !managed(&key) {
            continue;
        }
        if entry.has_inline_comment() {
            return Err(Refusal {
                line,
                reason: format!(
                    "`{key}` has an inline comment, which the SDKs strip and the AWS CLI keeps as part of the value; move the comment to a line of its own"
                ),
            });
        }
        if let Some(comment) = entry.continuation().find(|c| is_botocore_comment(c.text)) {
            return Err(Refusal {
                line: comment.line,
                reason: format!(
                    "an indented comment under `{key}`, which the AWS CLI skips and the SDKs append to the value; move it to column 0"
                ),
            });
        }
        // An empty value is no token: `aws_session_token =` beside long-term keys must not
        // pass them off as a session.
        let has_value = !entry.value().trim().is_empty();
        match key.as_str() {
            ACCESS_KEY_ID => summary.has_access_key = true,
            SESSION_TOKEN | SECURITY_TOKEN if has_value => summary.has_session_token = true,
            _ => {}
        }
    }
    summary.managed = ManagedTarget::read(section);
    Ok(summary)
}

/// Refuses a `[DEFAULT]` section holding `aws_security_token`: botocore copies it into every
/// section and prefers it to the `aws_session_token` we write.
pub fn check_leaking_defaults(doc: &Document) -> Result<(), Refusal> {
    for section in doc.sections() {
        if botocore_section(section.header()) != Some("DEFAULT") {
            continue;
        }
        if let Some(entry) = section
            .entries()
            .find(|e| e.key().eq_ignore_ascii_case(SECURITY_TOKEN))
        {
            return Err(Refusal {
                line: entry.line(),
                reason: "[DEFAULT] holds aws_security_token, which the AWS CLI copies into every profile and prefers to aws_session_token; remove it".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(input: &str) -> Result<Option<TargetSummary>, Refusal> {
        let doc = Document::parse(input.as_bytes()).unwrap();
        locate_target(&doc, &ProfileName::new("mfa").unwrap())
            .map(|found| found.map(|(_, summary)| summary))
    }

    #[test]
    fn refusals_name_the_line() {
        let line = |input: &str| locate(input).unwrap_err().line;
        assert_eq!(line("[mfa]\n[a]\n[mfa]\n"), 3);
        assert_eq!(line("[ mfa ]\n"), 1);
        assert_eq!(line("[mfa]\nx = 1\nX = 2\n"), 3);
        assert_eq!(line("[mfa]\naws_session_token = a # c\n"), 2);
        assert_eq!(line("[mfa]\naws_session_token = a\n  # c\n"), 3);
        assert_eq!(line("[mfa]\naws_session_token:x = a\n"), 2);
        assert_eq!(line("[mfa]\naws_session_token\u{a0}= a\n"), 2);
        assert_eq!(line("[DEFAULT]\naws_security_token = x\n[mfa]\n"), 2);
        // Disagreements outside the target, or on keys it does not rewrite, are not ours.
        assert!(locate("[a]\nx = 1 # c\n[mfa]\n").is_ok());
        assert!(locate("[mfa] # note\nk = 1\n").is_ok());
        assert!(locate("[DEFAULT]\nregion = x\n").is_ok());
    }

    #[test]
    fn long_term_keys_are_detected() {
        let long_term = |input: &str| locate(input).unwrap().unwrap().holds_long_term_keys();
        assert!(long_term(
            "[mfa]\naws_access_key_id = A\naws_secret_access_key = S\n"
        ));
        assert!(!long_term(
            "[mfa]\naws_access_key_id = A\naws_session_token = T\n"
        ));
        assert!(!long_term(
            "[mfa]\naws_access_key_id = A\naws_security_token = T\n"
        ));
        assert!(!long_term(
            "[mfa]\naws_access_key_id = A\nmfa_source_profile = d\n"
        ));
        assert!(!long_term("[mfa]\nregion = x\n"));
        for empty_token in [
            "[mfa]\naws_access_key_id = AKIA\naws_secret_access_key = S\naws_session_token =\n",
            "[mfa]\naws_access_key_id = AKIA\naws_session_token = \t\naws_security_token=\n",
            "[mfa]\naws_access_key_id = AKIA\naws_session_token =\n  sub = value\n",
        ] {
            assert!(
                long_term(empty_token),
                "an empty token is no token: {empty_token:?}"
            );
        }
    }
}
