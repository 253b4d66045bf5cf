//! How botocore (Python's `configparser`, which the AWS CLI and boto3 use) reads a line, where
//! that can differ from the SDK view that [`classify`](super::classify) gives.
//!
//! Invariant: these functions only describe; they never decide. Callers compare the two views
//! and refuse input on which the readers disagree.

/// The section name botocore reads from a line: the line stripped of all Unicode whitespace,
/// then `[` up to the *last* `]` (its regex is greedy), untrimmed inside. `None` when botocore
/// does not take the line for a header.
pub fn botocore_section(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// The key botocore reads from an option line: everything before the first `=` *or* `:`,
/// stripped of Unicode whitespace and lower-cased. `None` when there is no delimiter or no key.
pub fn botocore_key(line: &str) -> Option<String> {
    let stripped = line.trim();
    let at = stripped.find(['=', ':'])?;
    let key = stripped[..at].trim_end();
    (!key.is_empty()).then(|| key.to_lowercase())
}

/// True when botocore takes the line for a comment: `#` or `;` after any leading whitespace.
/// The SDKs only do so in column 0; indented, they read it as a continuation.
pub fn is_botocore_comment(line: &str) -> bool {
    line.trim_start().starts_with(['#', ';'])
}

/// Why botocore (and so the AWS CLI, which reads the credentials file at every start) cannot
/// parse a document the SDKs read: the first line it fails on, and what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotocoreError {
    /// 1-based line.
    pub line: usize,
    /// What is there, e.g. "`region` repeated in [other]".
    pub what: String,
}

/// The first line botocore's `configparser` rejects in a document the SDKs accept, if any:
/// a section repeated (other than `[DEFAULT]`), a key repeated in a section (keys compared as
/// botocore reads them: up to the first `=` or `:`, lower-cased), an empty key, `[]`.
pub fn botocore_error(doc: &super::Document) -> Option<BotocoreError> {
    let mut sections: Vec<(&str, usize)> = Vec::new();
    // `[DEFAULT]` may repeat, but its keys are one set across its sections.
    let mut default_keys: Vec<String> = Vec::new();
    for section in doc.sections() {
        let line = section.line();
        let Some(name) = botocore_section(section.header()) else {
            return Some(BotocoreError {
                line,
                what: format!("`{}` is not a section header", section.header().escape_debug()),
            });
        };
        if name != "DEFAULT" {
            if let Some((_, first)) = sections.iter().find(|(n, _)| *n == name) {
                return Some(BotocoreError {
                    line,
                    what: format!("[{}] repeated (first on line {first})", name.escape_debug()),
                });
            }
            sections.push((name, line));
        }
        let mut own_keys: Vec<String> = Vec::new();
        let keys = if name == "DEFAULT" {
            &mut default_keys
        } else {
            &mut own_keys
        };
        for entry in section.entries() {
            let Some(key) = botocore_key(entry.text()) else {
                return Some(BotocoreError {
                    line: entry.line(),
                    what: format!("`{}` has no key before its `:`", entry.text().escape_debug()),
                });
            };
            if keys.contains(&key) {
                return Some(BotocoreError {
                    line: entry.line(),
                    what: format!("`{}` repeated in [{}]", key.escape_debug(), name.escape_debug()),
                });
            }
            keys.push(key);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        assert_eq!(botocore_section("[mfa]"), Some("mfa"));
        assert_eq!(botocore_section("  [mfa] # c"), Some("mfa"));
        assert_eq!(botocore_section("[ mfa ]"), Some(" mfa "));
        assert_eq!(botocore_section("[a] x ]"), Some("a] x "));
        assert_eq!(botocore_section("[]"), None);
        assert_eq!(botocore_section("k = [x]"), None);
    }

    #[test]
    fn keys() {
        assert_eq!(
            botocore_key("AWS_Access_Key_Id = x").as_deref(),
            Some("aws_access_key_id")
        );
        assert_eq!(botocore_key("a:b = c").as_deref(), Some("a"));
        assert_eq!(botocore_key("key\u{a0}= v").as_deref(), Some("key"));
        assert_eq!(botocore_key("novalue"), None);
        assert_eq!(botocore_key(" = v"), None);
    }

    #[test]
    fn whole_documents_botocore_rejects() {
        let error = |text: &str| {
            let doc = crate::ini::Document::parse(text.as_bytes()).unwrap();
            botocore_error(&doc).map(|e| (e.line, e.what))
        };
        assert_eq!(error("[a]\nk = 1\n[b]\nk = 2\n"), None);
        assert_eq!(
            error("[a]\nregion = 1\n[other]\nregion = 1\nREGION = 2\n"),
            Some((5, "`region` repeated in [other]".into()))
        );
        assert_eq!(
            error("[a]\n[b]\n[a]\n"),
            Some((3, "[a] repeated (first on line 1)".into()))
        );
        assert_eq!(error("[DEFAULT]\n[DEFAULT]\n"), None, "DEFAULT may repeat");
        assert_eq!(
            error("[DEFAULT]\nk = 1\n[a]\n[DEFAULT]\nk = 2\n").map(|e| e.0),
            Some(5),
            "but not its keys"
        );
        assert_eq!(error("[a]\nx:y = 1\nx = 2\n").map(|e| e.0), Some(3));
        assert_eq!(error("[a]\n:x = 1\n").map(|e| e.0), Some(2));
        assert_eq!(error("[a]\nk = 1\n[]\n").map(|e| e.0), Some(3));
    }

    #[test]
    fn comments() {
        assert!(is_botocore_comment("  # x"));
        assert!(is_botocore_comment(";x"));
        assert!(!is_botocore_comment("k = #"));
    }
}
