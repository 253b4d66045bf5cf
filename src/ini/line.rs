//! Classification of one line, as the AWS SDKs' profile parser sees it, with byte spans.
//!
//! Invariant: classification looks at one line only (no state), and every span it returns
//! lies inside the line and on `char` boundaries.

use std::ops::Range;

/// The only characters the SDK parser treats as whitespace.
pub(crate) const WHITESPACE: [char; 2] = [' ', '\t'];
const COMMENT: [char; 2] = ['#', ';'];

/// What a line is, in the SDK parser's eyes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Nothing but spaces and tabs.
    Blank,
    /// First character is `#` or `;`.
    Comment,
    /// First character is `[`.
    Header(Header),
    /// Starts in column 0 with anything else: `key = value`, or a malformed line.
    Property(Property),
    /// Starts with a space or tab and is not blank: continues the previous property.
    Continuation,
}

/// A section header line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// What lies between `[` and `]` once the SDK cut the comment and trimmed the line;
    /// `None` when the line does not end in `]` after that (an SDK parse error).
    pub inner: Option<Range<usize>>,
}

/// A property line in column 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// The key, trimmed; `None` when the line has no `=` or an empty key (SDK parse errors).
    pub key: Option<Range<usize>>,
    /// The value as the SDK reads it: after `=`, trimmed, inline comment cut.
    pub value: Range<usize>,
    /// True when the SDK cut an inline comment (` #...` or ` ;...`) off the value; botocore
    /// keeps it as part of the value.
    pub inline_comment: bool,
}

/// Classifies one line (without its line ending).
pub fn classify(line: &str) -> LineKind {
    if line.bytes().all(|b| b == b' ' || b == b'\t') {
        LineKind::Blank
    } else if line.starts_with(COMMENT) {
        LineKind::Comment
    } else if line.starts_with('[') {
        LineKind::Header(classify_header(line))
    } else if line.starts_with(WHITESPACE) {
        LineKind::Continuation
    } else {
        LineKind::Property(classify_property(line))
    }
}

fn classify_header(line: &str) -> Header {
    // Headers lose a comment wherever `#`/`;` stands, whitespace before it or not.
    let cut = line.find(COMMENT).unwrap_or(line.len());
    let body = line[..cut].trim_end_matches(WHITESPACE);
    let inner = body
        .strip_suffix(']')
        .filter(|_| body.len() >= 2)
        .map(|_| 1..body.len() - 1);
    Header { inner }
}

/// A property line as the SDK splits it: the key before the first `=` (comment cut off), the
/// value after it; `key: None` when there is no `=` or nothing before it.
pub(super) fn classify_property(line: &str) -> Property {
    let (cut, inline_comment) = match inline_comment_start(line) {
        Some(at) => (at, true),
        None => (line.len(), false),
    };
    let body = &line[..cut];
    let Some(eq) = memchr::memchr(b'=', body.as_bytes()) else {
        return Property {
            key: None,
            value: cut..cut,
            inline_comment,
        };
    };
    let key = trimmed_span(body, 0..eq);
    let value = trimmed_span(body, eq + 1..body.len());
    Property {
        key: (!key.is_empty()).then_some(key),
        value,
        inline_comment,
    }
}

/// Where the SDK starts an inline comment on a property line: a `#` or `;` right after any
/// Unicode whitespace (the SDK uses `char::is_whitespace` here).
fn inline_comment_start(line: &str) -> Option<usize> {
    // Search bytes: `#` and `;` are ASCII, so they never occur inside a multi-byte character.
    let mut from = 0;
    while let Some(offset) = memchr::memchr2(b'#', b';', &line.as_bytes()[from..]) {
        let at = from + offset;
        if line[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace)
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn trimmed_span(text: &str, span: Range<usize>) -> Range<usize> {
    // Space and tab are ASCII: trimming bytes keeps the span on char boundaries.
    let bytes = &text.as_bytes()[span.clone()];
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = span.start
        + bytes
            .iter()
            .position(|b| !is_blank(b))
            .unwrap_or(bytes.len());
    let end = span.start
        + bytes
            .iter()
            .rposition(|b| !is_blank(b))
            .map_or(0, |at| at + 1);
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(line: &str) -> (Option<&str>, &str, bool) {
        match classify(line) {
            LineKind::Property(p) => (p.key.map(|k| &line[k]), &line[p.value], p.inline_comment),
            other => panic!("{line:?} is {other:?}"),
        }
    }

    fn header(line: &str) -> Option<&str> {
        match classify(line) {
            LineKind::Header(h) => h.inner.map(|r| &line[r]),
            other => panic!("{line:?} is {other:?}"),
        }
    }

    #[test]
    fn blank_comment_continuation() {
        assert_eq!(classify(""), LineKind::Blank);
        assert_eq!(classify(" \t "), LineKind::Blank);
        assert_eq!(classify("# x"), LineKind::Comment);
        assert_eq!(classify(";x"), LineKind::Comment);
        assert_eq!(classify("  # x"), LineKind::Continuation);
        assert_eq!(classify("\tmore"), LineKind::Continuation);
        assert_eq!(classify("  [mfa]"), LineKind::Continuation);
    }

    #[test]
    fn headers() {
        assert_eq!(header("[mfa]"), Some("mfa"));
        assert_eq!(header("[mfa]  "), Some("mfa"));
        assert_eq!(header("[mfa] # c"), Some("mfa"));
        assert_eq!(header("[mfa]# c"), Some("mfa"));
        assert_eq!(header("[ mfa ]"), Some(" mfa "));
        assert_eq!(header("[mfa] junk"), None);
        assert_eq!(header("[a;b]"), None);
        assert_eq!(header("[]"), Some(""));
        assert_eq!(header("["), None);
    }

    /// The SDK's reading, char by char, as the fast search must match it.
    fn inline_comment_reference(line: &str) -> Option<usize> {
        let mut prev_whitespace = false;
        for (at, ch) in line.char_indices() {
            if COMMENT.contains(&ch) && prev_whitespace {
                return Some(at);
            }
            prev_whitespace = ch.is_whitespace();
        }
        None
    }

    #[test]
    fn inline_comment_search_matches_the_char_by_char_reading() {
        let alphabet = [' ', '\t', '#', ';', 'a', '\u{a0}', '\u{2003}', 'é'];
        let mut checked = 0;
        for len in 0..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                let mut line = String::new();
                for _ in 0..len {
                    line.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(
                    inline_comment_start(&line),
                    inline_comment_reference(&line),
                    "{line:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 37_449);
    }

    #[test]
    fn properties() {
        assert_eq!(prop("k = v"), (Some("k"), "v", false));
        assert_eq!(prop("k=v"), (Some("k"), "v", false));
        assert_eq!(prop("k\t=\tv  "), (Some("k"), "v", false));
        assert_eq!(prop("k = v # c"), (Some("k"), "v", true));
        assert_eq!(prop("k = v\t; c"), (Some("k"), "v", true));
        assert_eq!(prop("k = a#b"), (Some("k"), "a#b", false));
        assert_eq!(prop("k = a=b"), (Some("k"), "a=b", false));
        assert_eq!(prop("k ="), (Some("k"), "", false));
        assert_eq!(prop("novalue"), (None, "", false));
        assert_eq!(prop("= v"), (None, "v", false));
        assert_eq!(prop("k = v\u{a0}"), (Some("k"), "v\u{a0}", false));
    }
}
