//! Which section of a shared file is which profile: the header rules of both file kinds, as
//! botocore and the SDKs apply them.
//!
//! Invariant: the one place these rules live. [`find_section`] answers only when both readers
//! agree on the section a profile is; [`sections_for_profiles`] errs on the side of
//! including a section the SDKs could read as the profile.

use super::{ProfileName, Refusal};
use crate::ini::botocore::botocore_section;
use crate::ini::{Document, Section, SectionId};

/// The two shared files read headers differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/credentials`: `[NAME]`; `[profile NAME]` is not profile NAME.
    Credentials,
    /// `~/.aws/config`: `[profile NAME]`, and `[default]`; a bare `[NAME]` is ignored.
    Config,
}

impl FileKind {
    /// The header a new section for profile `name` gets in this kind of file.
    pub fn header_for(self, name: &ProfileName) -> String {
        match self {
            FileKind::Config if name.as_str() != "default" => format!("[profile {name}]"),
            _ => format!("[{name}]"),
        }
    }

    /// The profile the SDKs read from `section`, if any.
    pub fn sdk_profile<'a>(self, section: &Section<'a>) -> Option<&'a str> {
        let inner = section.name();
        match self {
            FileKind::Credentials => Some(inner),
            FileKind::Config => match inner.split_once([' ', '\t']) {
                Some(("profile", rest)) => Some(rest.trim_matches([' ', '\t'])),
                None if inner == "default" => Some("default"),
                _ => None,
            },
        }
    }

    /// The profile botocore reads from `section`'s header line, if any.
    pub fn botocore_profile<'a>(self, section: &Section<'a>) -> Option<&'a str> {
        let inner = botocore_section(section.header())?;
        match self {
            FileKind::Credentials => Some(inner),
            FileKind::Config => {
                // botocore splits `profile NAME` on any whitespace.
                let mut parts = inner.split_whitespace();
                match (parts.next(), parts.next(), parts.next()) {
                    (Some("profile"), Some(name), None) => Some(name),
                    (Some("default"), None, None) if inner == "default" => Some("default"),
                    _ => None,
                }
            }
        }
    }

    fn shown_kind(self) -> &'static str {
        match self {
            FileKind::Credentials => "",
            FileKind::Config => " (config file)",
        }
    }
}

/// Finds the section of profile `name` in a file of kind `kind`, refusing when botocore and
/// the SDKs would not agree on which section that is, or when two sections are that profile.
pub fn find_section(
    doc: &Document,
    kind: FileKind,
    name: &ProfileName,
) -> Result<Option<SectionId>, Refusal> {
    let name = name.as_str();
    let mut found: Option<Section> = None;
    for section in doc.sections() {
        let sdk = kind.sdk_profile(&section) == Some(name);
        let boto = kind.botocore_profile(&section) == Some(name);
        let line = section.line();
        if sdk != boto {
            let (reads, not) = if sdk {
                ("the AWS SDKs", "the AWS CLI")
            } else {
                ("the AWS CLI", "the AWS SDKs")
            };
            let want = kind.header_for(&ProfileName::new(name).expect("a profile name"));
            return Err(Refusal {
                line,
                reason: format!(
                    "the header `{}` is read as profile `{name}` by {reads} but not by {not}{}; write it as `{want}`",
                    section.header().escape_debug(),
                    kind.shown_kind(),
                ),
            });
        }
        if !sdk {
            continue;
        }
        if let Some(first) = found {
            let merge = match kind {
                FileKind::Credentials => "the AWS CLI rejects the file and the SDKs merge the two",
                FileKind::Config => "the readers merge them differently",
            };
            return Err(Refusal {
                line,
                reason: format!(
                    "[{name}] appears twice (lines {} and {line}): {merge}; merge them by hand",
                    first.line()
                ),
            });
        }
        found = Some(section);
    }
    Ok(found.map(|section| section.id()))
}

/// The sections of `doc` that the SDKs could read as one of the profiles `names` (with any
/// prefix, e.g. `[profile x]` in the config file), as text. The SDKs build a profile only from
/// the sections whose name normalizes to it, so they read those profiles from this text
/// exactly as from the whole file, parsing kilobytes instead of megabytes.
pub fn sections_for_profiles(doc: &Document, names: &[&str]) -> String {
    let mut out = String::new();
    for section in doc.sections() {
        let inner = section.name();
        // The SDKs' normalization: an optional prefix before the first blank.
        let suffix = inner
            .split_once([' ', '\t'])
            .map_or(inner, |(_, rest)| rest.trim());
        if names.contains(&suffix) {
            section.render_into(&mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, kind: FileKind, name: &str) -> Result<Option<usize>, Refusal> {
        let doc = Document::parse(text.as_bytes()).unwrap();
        let found = find_section(&doc, kind, &ProfileName::new(name).unwrap())?;
        Ok(found.map(|id| doc.section(id).line()))
    }

    #[test]
    fn credentials_headers_as_both_readers_see_them() {
        let creds = FileKind::Credentials;
        assert_eq!(find("[a]\n[mfa]\n", creds, "mfa"), Ok(Some(2)));
        assert_eq!(find("[profile mfa]\n", creds, "mfa"), Ok(None));
        assert_eq!(find("[mfa] # note\nk = 1\n", creds, "mfa"), Ok(Some(1)));
        assert_eq!(
            find("[mfa]\n[a]\n[mfa]\n", creds, "mfa").unwrap_err().line,
            3
        );
        let spaced = find("[ mfa ]\n", creds, "mfa").unwrap_err();
        assert!(
            spaced
                .reason
                .contains("read as profile `mfa` by the AWS SDKs but not by the AWS CLI"),
            "{spaced}"
        );
    }

    #[test]
    fn config_headers_as_both_readers_see_them() {
        let config = FileKind::Config;
        assert_eq!(find("[profile a]\n[a]\n", config, "a"), Ok(Some(1)));
        assert_eq!(
            find("[a]\n", config, "a"),
            Ok(None),
            "a bare [a] is not profile a"
        );
        assert_eq!(find("[profile  a ]\n", config, "a"), Ok(Some(1)));
        assert_eq!(find("[default]\n", config, "default"), Ok(Some(1)));
        assert_eq!(find("[profile default]\n", config, "default"), Ok(Some(1)));
        assert!(find("[default]\n[profile default]\n", config, "default").is_err());
        assert!(find("[profile a]\n[profile a]\n", config, "a").is_err());
        assert_eq!(find("[profile b]\n", config, "a"), Ok(None));
    }

    #[test]
    fn new_headers() {
        let name = ProfileName::new("work-mfa").unwrap();
        assert_eq!(FileKind::Config.header_for(&name), "[profile work-mfa]");
        assert_eq!(FileKind::Credentials.header_for(&name), "[work-mfa]");
        let default = ProfileName::default_profile();
        assert_eq!(FileKind::Config.header_for(&default), "[default]");
    }
}
