//! AWS meaning on top of the editor: profile names, the keys mfa-profile writes, how a section
//! of the credentials file is found exactly as botocore and the SDKs find it, and the in-place
//! rewrite of one target section.
//!
//! Invariant: a rewrite touches only the target section's managed keys (and appends the section
//! when it is missing); wherever botocore and the SDKs would read the target differently, it
//! refuses with the line instead of guessing.

use crate::ini::dialect::{botocore_key, botocore_section, is_botocore_comment};
use crate::ini::{Document, LineKind};
use std::fmt;

/// `aws_access_key_id`
pub const ACCESS_KEY_ID: &str = "aws_access_key_id";
/// `aws_secret_access_key`
pub const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
/// `aws_session_token`
pub const SESSION_TOKEN: &str = "aws_session_token";
/// The boto2-era name of the session token, which botocore prefers when both are present.
pub const SECURITY_TOKEN: &str = "aws_security_token";
/// When the session expires, RFC 3339 UTC.
pub const EXPIRATION: &str = "expiration";
/// The source profile a managed target was refreshed from; marks the target as ours.
pub const MFA_SOURCE_PROFILE: &str = "mfa_source_profile";

/// The role a managed target's session is of (AssumeRole), repeated by later refreshes.
pub const MFA_ROLE_ARN: &str = "mfa_role_arn";
/// The external ID the role asks for, recorded with the role.
pub const MFA_EXTERNAL_ID: &str = "mfa_external_id";
/// The role session name given with the role, recorded with it.
pub const MFA_ROLE_SESSION_NAME: &str = "mfa_role_session_name";

/// Keys whose lines a refresh rewrites in the target section.
pub const MANAGED_KEYS: [&str; 9] = [
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    SECURITY_TOKEN,
    EXPIRATION,
    MFA_SOURCE_PROFILE,
    MFA_ROLE_ARN,
    MFA_EXTERNAL_ID,
    MFA_ROLE_SESSION_NAME,
];

/// A profile name that every reader sees the same way.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProfileName(String);

/// Why a string is not a usable profile name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Empty.
    #[error("a profile name cannot be empty")]
    Empty,
    /// Longer than 128 characters.
    #[error("profile name `{0}` is longer than 128 characters")]
    TooLong(String),
    /// A character outside `[A-Za-z0-9_-/.%@:+]`.
    #[error("profile name `{0}` has a character outside A-Z a-z 0-9 and _ - / . % @ : + (the AWS SDKs ignore such profiles)")]
    BadChar(String),
    /// `DEFAULT`, which botocore merges into every section.
    #[error("profile name `DEFAULT` is special to the AWS CLI (its keys leak into every profile); use another name")]
    UpperDefault,
}

impl ProfileName {
    /// Validates a profile name.
    pub fn new(name: &str) -> Result<Self, NameError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c);
        if name.is_empty() {
            Err(NameError::Empty)
        } else if name.len() > 128 {
            Err(NameError::TooLong(
                name.chars().take(40).collect::<String>() + "...",
            ))
        } else if !name.chars().all(allowed) {
            Err(NameError::BadChar(name.escape_debug().to_string()))
        } else if name == "DEFAULT" {
            Err(NameError::UpperDefault)
        } else {
            Ok(ProfileName(name.to_owned()))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a file cannot be edited safely, with the 1-based line it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 1-based input line.
    pub line: usize,
    /// One sentence: what is there and why it blocks the edit.
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Where the target section is in a credentials file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionAt {
    /// Index of the header line.
    pub header: usize,
}

/// What a section holds, as far as a refresh cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionSummary {
    /// It has `aws_access_key_id`.
    pub has_access_key: bool,
    /// It has `aws_session_token` or `aws_security_token`.
    pub has_session_token: bool,
    /// Value of `mfa_source_profile`, if any.
    pub source_profile: Option<String>,
    /// Value of `expiration`, if any.
    pub expiration: Option<String>,
    /// Value of `mfa_role_arn`, if any.
    pub role_arn: Option<String>,
    /// Value of `mfa_external_id`, if any.
    pub external_id: Option<String>,
    /// Value of `mfa_role_session_name`, if any.
    pub role_session_name: Option<String>,
}

impl SectionSummary {
    /// Long-term keys: an access key with no session token, not written by mfa-profile.
    /// Overwriting them would destroy the user's only copy.
    pub fn holds_long_term_keys(&self) -> bool {
        self.has_access_key && !self.has_session_token && self.source_profile.is_none()
    }
}

/// The name the SDKs read from header line `index` (inside the brackets, trimmed of spaces and
/// tabs, prefix included), or `None` for a line that is not a well-formed header.
pub fn header_name(doc: &Document, index: usize) -> Option<&str> {
    let LineKind::Header(header) = doc.kind(index) else {
        return None;
    };
    let inner = header.inner.clone()?;
    Some(doc.text(index)[inner].trim_matches([' ', '\t']))
}

/// Finds section `name` in a credentials file, refusing when botocore and the SDKs would not
/// agree on which lines are that section.
pub fn find_credentials_section(
    doc: &Document,
    name: &ProfileName,
) -> Result<Option<SectionAt>, Refusal> {
    let name = name.as_str();
    let mut found: Option<usize> = None;
    for index in 0..doc.len() {
        if !matches!(doc.kind(index), LineKind::Header(_)) {
            continue;
        }
        let text = doc.text(index);
        let sdk_match = header_name(doc, index) == Some(name);
        let boto_match = botocore_section(text) == Some(name);
        let line = doc.line_number(index);
        if sdk_match != boto_match {
            return Err(Refusal {
                line,
                reason: format!(
                    "the header `{}` is read as profile `{name}` by {} but not by {}; write it as `[{name}]`",
                    text.escape_debug(),
                    if sdk_match { "the AWS SDKs" } else { "the AWS CLI" },
                    if sdk_match { "the AWS CLI" } else { "the AWS SDKs" },
                ),
            });
        }
        if !sdk_match {
            continue;
        }
        if let Some(first) = found {
            return Err(Refusal {
                line,
                reason: format!(
                    "[{name}] appears twice (lines {} and {line}): the AWS CLI rejects the file and the SDKs merge the two; merge them by hand",
                    doc.line_number(first)
                ),
            });
        }
        found = Some(index);
    }
    Ok(found.map(|header| SectionAt { header }))
}

/// Checks the target section for lines the two readers disagree on, and sums up what it holds.
pub fn inspect_target(doc: &Document, at: SectionAt) -> Result<SectionSummary, Refusal> {
    let end = doc.section_end(at.header + 1);
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut summary = SectionSummary::default();
    for index in at.header + 1..end {
        let line = doc.line_number(index);
        let text = doc.text(index);
        let LineKind::Property(prop) = doc.kind(index) else {
            continue;
        };
        let key = doc.key(index).unwrap_or_default().to_ascii_lowercase();
        let boto = botocore_key(text).unwrap_or_default();
        let managed = |k: &str| MANAGED_KEYS.contains(&k);
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
        if prop.inline_comment {
            return Err(Refusal {
                line,
                reason: format!(
                    "`{key}` has an inline comment, which the SDKs strip and the AWS CLI keeps as part of the value; move the comment to a line of its own"
                ),
            });
        }
        if let Some(c) = doc
            .continuation(index)
            .into_iter()
            .find(|&c| is_botocore_comment(doc.text(c)))
        {
            return Err(Refusal {
                line: doc.line_number(c),
                reason: format!(
                    "an indented comment under `{key}`, which the AWS CLI skips and the SDKs append to the value; move it to column 0"
                ),
            });
        }
        let value = &text[prop.value.clone()];
        match key.as_str() {
            ACCESS_KEY_ID => summary.has_access_key = true,
            SESSION_TOKEN | SECURITY_TOKEN => summary.has_session_token = true,
            MFA_SOURCE_PROFILE => summary.source_profile = Some(value.to_owned()),
            EXPIRATION => summary.expiration = Some(value.to_owned()),
            MFA_ROLE_ARN => summary.role_arn = Some(value.to_owned()),
            MFA_EXTERNAL_ID => summary.external_id = Some(value.to_owned()),
            MFA_ROLE_SESSION_NAME => summary.role_session_name = Some(value.to_owned()),
            _ => {}
        }
    }
    Ok(summary)
}

/// Refuses a `[DEFAULT]` section holding `aws_security_token`: botocore copies it into every
/// section and prefers it to the `aws_session_token` we write.
pub fn check_leaking_defaults(doc: &Document) -> Result<(), Refusal> {
    for index in 0..doc.len() {
        // The kind first: it is stored, the botocore reading is computed.
        if !matches!(doc.kind(index), LineKind::Header(_))
            || botocore_section(doc.text(index)) != Some("DEFAULT")
        {
            continue;
        }
        let end = doc.section_end(index + 1);
        if let Some(i) = doc.properties(index + 1..end).find(|&i| {
            doc.key(i)
                .is_some_and(|k| k.eq_ignore_ascii_case(SECURITY_TOKEN))
        }) {
            return Err(Refusal {
                line: doc.line_number(i),
                reason: "[DEFAULT] holds aws_security_token, which the AWS CLI copies into every profile and prefers to aws_session_token; remove it".into(),
            });
        }
    }
    Ok(())
}

/// Writes `entries` into section `name`: each existing key (matched case-insensitively) gets
/// its value replaced in place and loses its continuation lines; each missing key is added
/// after the section's last property, in the section's `k = v` spacing. A missing section is
/// appended at the end of the file.
///
/// The caller has already run [`find_credentials_section`] and [`inspect_target`] on `doc`.
pub fn upsert_section(
    doc: &mut Document,
    at: Option<SectionAt>,
    name: &ProfileName,
    entries: &[(&str, &str)],
) {
    upsert_section_headed(doc, at, &format!("[{name}]"), entries);
}

/// [`upsert_section`] with the header line a missing section gets, e.g. `[profile x]` in the
/// config file.
pub fn upsert_section_headed(
    doc: &mut Document,
    at: Option<SectionAt>,
    header: &str,
    entries: &[(&str, &str)],
) {
    let Some(at) = at else {
        if !doc.is_empty() && !matches!(doc.kind(doc.len() - 1), LineKind::Blank) {
            doc.push_line(String::new());
        }
        doc.push_line(header.to_owned());
        for (key, value) in entries {
            doc.push_line(format!("{key} = {value}"));
        }
        return;
    };
    let separator = section_separator(doc, at);
    for (key, value) in entries {
        let end = doc.section_end(at.header + 1);
        match find_key(doc, at, end, key) {
            Some(index) => {
                remove_continuation(doc, index);
                doc.set_value(index, value);
            }
            None => {
                let last = (at.header..end)
                    .rev()
                    .find(|&i| {
                        i == at.header
                            || matches!(doc.kind(i), LineKind::Property(_) | LineKind::Continuation)
                    })
                    .unwrap_or(at.header);
                doc.insert_line(Some(last), format!("{key}{separator}{value}"));
            }
        }
    }
}

/// The values a refresh writes into its target.
#[derive(Clone, Copy, Debug)]
pub struct SessionEntries<'a> {
    /// `aws_access_key_id`
    pub access_key_id: &'a str,
    /// `aws_secret_access_key`
    pub secret_access_key: &'a str,
    /// `aws_session_token` (and `aws_security_token` where the section already has one)
    pub session_token: &'a str,
    /// `expiration`, RFC 3339
    pub expiration: &'a str,
    /// `mfa_source_profile`
    pub source_profile: &'a str,
    /// `mfa_role_arn`, `mfa_external_id`, `mfa_role_session_name`: what the session is of,
    /// each written only when present.
    pub role: [(&'static str, Option<&'a str>); 3],
}

impl SessionEntries<'_> {
    /// No role: a GetSessionToken session.
    pub const NO_ROLE: [(&'static str, Option<&'static str>); 3] = [
        (MFA_ROLE_ARN, None),
        (MFA_EXTERNAL_ID, None),
        (MFA_ROLE_SESSION_NAME, None),
    ];
}

/// Writes a session into the target section found at `at` (appended when `None`). An
/// existing `aws_security_token` gets the new token too: botocore prefers it to
/// `aws_session_token`, and older tools read only it.
pub fn write_session(
    doc: &mut Document,
    at: Option<SectionAt>,
    name: &ProfileName,
    session: &SessionEntries,
) {
    let has_security_token = at.is_some_and(|at| {
        section_values(doc, at)
            .iter()
            .any(|(key, _)| key == SECURITY_TOKEN)
    });
    let mut entries = vec![
        (ACCESS_KEY_ID, session.access_key_id),
        (SECRET_ACCESS_KEY, session.secret_access_key),
        (SESSION_TOKEN, session.session_token),
    ];
    if has_security_token {
        entries.push((SECURITY_TOKEN, session.session_token));
    }
    entries.push((EXPIRATION, session.expiration));
    entries.push((MFA_SOURCE_PROFILE, session.source_profile));
    entries.extend(
        session
            .role
            .iter()
            .filter_map(|(key, value)| value.map(|v| (*key, v))),
    );
    upsert_section(doc, at, name, &entries);
}

/// The sections of `doc` that the SDKs could read as one of the profiles `names` (with any
/// prefix, e.g. `[profile x]` in the config file), as text. The SDKs build a profile only from
/// the sections whose name normalizes to it, so they read those profiles from this text
/// exactly as from the whole file, parsing kilobytes instead of megabytes.
pub fn sections_for_profiles(doc: &Document, names: &[&str]) -> String {
    let mut out = String::new();
    for header in 0..doc.len() {
        let Some(inner) = header_name(doc, header) else {
            continue;
        };
        // The SDKs' normalization: an optional prefix before the first blank.
        let suffix = inner
            .split_once([' ', '\t'])
            .map_or(inner, |(_, rest)| rest.trim());
        if names.contains(&suffix) {
            doc.render_lines(header..doc.section_end(header + 1), &mut out);
        }
    }
    out
}

/// Reads the lower-cased keys and values of the section at `at` (SDK view, first line only).
pub fn section_values(doc: &Document, at: SectionAt) -> Vec<(String, String)> {
    let end = doc.section_end(at.header + 1);
    doc.properties(at.header + 1..end)
        .filter_map(|i| {
            let LineKind::Property(p) = doc.kind(i) else {
                return None;
            };
            Some((
                doc.key(i)?.to_ascii_lowercase(),
                doc.text(i)[p.value.clone()].to_owned(),
            ))
        })
        .collect()
}

fn find_key(doc: &Document, at: SectionAt, end: usize, key: &str) -> Option<usize> {
    doc.properties(at.header + 1..end)
        .find(|&i| doc.key(i).is_some_and(|k| k.eq_ignore_ascii_case(key)))
}

fn remove_continuation(doc: &mut Document, index: usize) {
    for line in doc.continuation(index).into_iter().rev() {
        doc.remove_line(line);
    }
}

/// The text between key and value in the section's first `key = value` line, when it is only
/// spaces, tabs and one `=`; ` = ` otherwise.
fn section_separator(doc: &Document, at: SectionAt) -> String {
    let end = doc.section_end(at.header + 1);
    doc.properties(at.header + 1..end)
        .find_map(|i| {
            let LineKind::Property(p) = doc.kind(i) else {
                return None;
            };
            let key = p.key.clone()?;
            let between = &doc.text(i)[key.end..p.value.start];
            let clean = between.chars().filter(|&c| c == '=').count() == 1
                && between.chars().all(|c| matches!(c, ' ' | '\t' | '='))
                && !p.value.is_empty();
            clean.then(|| between.to_owned())
        })
        .unwrap_or_else(|| " = ".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> ProfileName {
        ProfileName::new(s).unwrap()
    }

    fn upsert(input: &str, target: &str, entries: &[(&str, &str)]) -> Result<String, Refusal> {
        let mut doc = Document::parse(input.as_bytes()).unwrap();
        let target = name(target);
        let at = find_credentials_section(&doc, &target)?;
        if let Some(at) = at {
            inspect_target(&doc, at)?;
        }
        upsert_section(&mut doc, at, &target, entries);
        Ok(doc.render())
    }

    #[test]
    fn names() {
        assert!(ProfileName::new("work-mfa").is_ok());
        assert!(ProfileName::new("a/b.c%d@e:f+g_h").is_ok());
        assert_eq!(ProfileName::new(""), Err(NameError::Empty));
        assert!(matches!(
            ProfileName::new("my profile"),
            Err(NameError::BadChar(_))
        ));
        assert!(matches!(
            ProfileName::new("a]b"),
            Err(NameError::BadChar(_))
        ));
        assert!(matches!(
            ProfileName::new("prodé"),
            Err(NameError::BadChar(_))
        ));
        assert_eq!(ProfileName::new("DEFAULT"), Err(NameError::UpperDefault));
        assert!(matches!(
            ProfileName::new(&"a".repeat(129)),
            Err(NameError::TooLong(_))
        ));
    }

    #[test]
    fn replaces_in_place_and_inserts_after_last_property() {
        let input =
            "# top\n[default]\nk=1\n\n[mfa]\naws_access_key_id=OLD\nregion=eu\n\n# tail\n[z]\n";
        let out = upsert(
            input,
            "mfa",
            &[("aws_access_key_id", "NEW"), ("aws_session_token", "T")],
        )
        .unwrap();
        assert_eq!(
            out,
            "# top\n[default]\nk=1\n\n[mfa]\naws_access_key_id=NEW\nregion=eu\naws_session_token=T\n\n# tail\n[z]\n"
        );
    }

    #[test]
    fn appends_missing_section_with_one_blank_line() {
        assert_eq!(upsert("", "mfa", &[("k", "v")]).unwrap(), "[mfa]\nk = v\n");
        assert_eq!(
            upsert("\n", "mfa", &[("k", "v")]).unwrap(),
            "\n[mfa]\nk = v\n"
        );
        assert_eq!(
            upsert("[a]\r\nx = 1", "mfa", &[("k", "v")]).unwrap(),
            "[a]\r\nx = 1\r\n\r\n[mfa]\r\nk = v\r\n"
        );
    }

    #[test]
    fn key_match_is_case_insensitive_and_keeps_spelling() {
        let out = upsert(
            "[mfa]\nAWS_SESSION_TOKEN = a\n",
            "mfa",
            &[("aws_session_token", "b")],
        )
        .unwrap();
        assert_eq!(out, "[mfa]\nAWS_SESSION_TOKEN = b\n");
    }

    #[test]
    fn continuation_of_a_rewritten_key_goes() {
        let out = upsert(
            "[mfa]\naws_session_token = a\n  b\nx = 1\n  y\n",
            "mfa",
            &[("aws_session_token", "c")],
        )
        .unwrap();
        assert_eq!(out, "[mfa]\naws_session_token = c\nx = 1\n  y\n");
    }

    #[test]
    fn new_key_goes_after_a_sub_property_block() {
        let out = upsert("[mfa]\ns3 =\n  a = b\n[x]\n", "mfa", &[("k", "v")]).unwrap();
        assert_eq!(out, "[mfa]\ns3 =\n  a = b\nk = v\n[x]\n");
    }

    #[test]
    fn empty_section_gets_keys_under_its_header() {
        let out = upsert("[mfa]\n[x]\n", "mfa", &[("k", "v")]).unwrap();
        assert_eq!(out, "[mfa]\nk = v\n[x]\n");
    }

    #[test]
    fn refusals() {
        let refused =
            |input: &str| upsert(input, "mfa", &[("aws_session_token", "x")]).unwrap_err();
        assert_eq!(refused("[mfa]\n[a]\n[mfa]\n").line, 3);
        assert_eq!(refused("[ mfa ]\n").line, 1);
        assert_eq!(refused("[mfa]\nx = 1\nX = 2\n").line, 3);
        assert_eq!(refused("[mfa]\naws_session_token = a # c\n").line, 2);
        assert_eq!(refused("[mfa]\naws_session_token = a\n  # c\n").line, 3);
        assert_eq!(refused("[mfa]\naws_session_token:x = a\n").line, 2);
        assert_eq!(refused("[mfa]\naws_session_token\u{a0}= a\n").line, 2);
        // Disagreements outside the target are not ours to judge.
        assert!(upsert("[a]\nx = 1 # c\n[mfa]\n", "mfa", &[("k", "v")]).is_ok());
        assert!(upsert("[mfa] # note\nk = 1\n", "mfa", &[("k", "v")]).is_ok());
    }

    #[test]
    fn defaults_leaking_a_security_token_are_refused() {
        let doc = Document::parse(b"[DEFAULT]\naws_security_token = x\n[mfa]\n").unwrap();
        assert_eq!(check_leaking_defaults(&doc).unwrap_err().line, 2);
        let doc = Document::parse(b"[DEFAULT]\nregion = x\n").unwrap();
        assert!(check_leaking_defaults(&doc).is_ok());
    }

    #[test]
    fn long_term_keys_are_detected() {
        let summary = |input: &str| {
            let doc = Document::parse(input.as_bytes()).unwrap();
            let at = find_credentials_section(&doc, &name("mfa"))
                .unwrap()
                .unwrap();
            inspect_target(&doc, at).unwrap()
        };
        assert!(
            summary("[mfa]\naws_access_key_id = A\naws_secret_access_key = S\n")
                .holds_long_term_keys()
        );
        assert!(
            !summary("[mfa]\naws_access_key_id = A\naws_session_token = T\n")
                .holds_long_term_keys()
        );
        assert!(
            !summary("[mfa]\naws_access_key_id = A\naws_security_token = T\n")
                .holds_long_term_keys()
        );
        assert!(
            !summary("[mfa]\naws_access_key_id = A\nmfa_source_profile = d\n")
                .holds_long_term_keys()
        );
        assert!(!summary("[mfa]\nregion = x\n").holds_long_term_keys());
    }
}
