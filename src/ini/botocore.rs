//! How botocore (Python's `configparser`, which the AWS CLI and boto3 use) reads a line, and
//! a whole document, where that can differ from the SDK view that
//! [`classify`](super::classify) gives.
//!
//! Invariant: these functions only describe; they never decide. Callers compare the views
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

/// Python's `str.isspace`, which botocore's indentation and stripping use: Rust's white space
/// plus the four information separators U+001C to U+001F.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
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
/// botocore reads them: up to the first `=` or `:`, lower-cased), a key line without a key or
/// a delimiter, `[]`. Lines are walked as configparser walks them: a line is the continuation
/// of the key before it only when indented (by any white space) deeper than that key's line.
pub fn botocore_error(doc: &super::Document) -> Option<BotocoreError> {
    let mut walk = Walk::default();
    doc.sections()
        .try_for_each(|section| {
            let Some(name) = botocore_section(section.header()) else {
                let what = format!(
                    "`{}` is not a section header",
                    section.header().escape_debug()
                );
                return Err(BotocoreError {
                    line: section.line(),
                    what,
                });
            };
            walk.open(name.to_owned(), section.line())?;
            section
                .body_lines()
                .try_for_each(|body| walk.line(body.line, body.text))
        })
        .err()
}

/// configparser's state while it reads a file.
#[derive(Default)]
struct Walk {
    /// The sections seen, with the line each first appeared on.
    sections: std::collections::HashMap<String, usize>,
    section: String,
    keys: Vec<String>,
    /// `[DEFAULT]` may repeat, but its keys are one set across its sections.
    default_keys: Vec<String>,
    indent: usize,
    in_key: bool,
}

impl Walk {
    fn open(&mut self, name: String, line: usize) -> Result<(), BotocoreError> {
        if self.section == "DEFAULT" {
            self.default_keys = std::mem::take(&mut self.keys);
        }
        if name == "DEFAULT" {
            self.keys = std::mem::take(&mut self.default_keys);
        } else if let Some(first) = self.sections.get(&name) {
            let what = format!("[{}] repeated (first on line {first})", name.escape_debug());
            return Err(BotocoreError { line, what });
        } else {
            self.sections.insert(name.clone(), line);
            self.keys.clear();
        }
        self.section = name;
        self.indent = 0;
        self.in_key = false;
        Ok(())
    }

    fn line(&mut self, line: usize, text: &str) -> Result<(), BotocoreError> {
        let stripped = text.trim_matches(is_python_whitespace);
        if stripped.is_empty() || stripped.starts_with(['#', ';']) {
            return Ok(());
        }
        let indent = text
            .chars()
            .take_while(|&c| is_python_whitespace(c))
            .count();
        if self.in_key && indent > self.indent {
            return Ok(());
        }
        self.indent = indent;
        if let Some(name) = botocore_section(stripped) {
            return self.open(name.to_owned(), line);
        }
        let Some(key) = botocore_key(stripped) else {
            let what = format!("`{}` is no `key = value` line", stripped.escape_debug());
            return Err(BotocoreError { line, what });
        };
        if self.keys.contains(&key) {
            let what = format!(
                "`{}` repeated in [{}]",
                key.escape_debug(),
                self.section.escape_debug()
            );
            return Err(BotocoreError { line, what });
        }
        self.keys.push(key);
        self.in_key = true;
        Ok(())
    }
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
        assert_eq!(
            error("[DEFAULT]\nk = 1\n[a]\n[DEFAULT]\nk = 2\n").map(|e| e.0),
            Some(5),
            "but not its keys"
        );
        assert_eq!(error("[a]\nx:y = 1\nx = 2\n").map(|e| e.0), Some(3));
        assert_eq!(error("[a]\n:x = 1\n").map(|e| e.0), Some(2));
        assert_eq!(error("[a]\nk = 1\n[]\n").map(|e| e.0), Some(3));
        assert_eq!(
            error("[a]\nx = 1\n\u{a0}x = 2\n"),
            None,
            "a line led by an NBSP continues the key before"
        );
        assert_eq!(
            error("[a]\n\u{a0}x = 1\n\u{a0}x = 2\n").map(|e| e.0),
            Some(3),
            "but not one indented as deep as that key"
        );
        assert_eq!(error("[a]\n\u{a0}x = 1\n more\n").map(|e| e.0), Some(3));
    }

    #[test]
    fn comments() {
        assert!(is_botocore_comment("  # x"));
        assert!(is_botocore_comment(";x"));
        assert!(!is_botocore_comment("k = #"));
    }
}
