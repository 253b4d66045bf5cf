//! How the AWS SDK for JavaScript v3 (`@smithy/shared-ini-file-loader`'s `parseIni`, used by
//! the CDK, Serverless, the VS Code AWS Toolkit and every Node tool) reads a line, where that
//! can differ from the SDK view that [`classify`](super::classify) gives.
//!
//! Its parser, in short: split on `\r?\n`; cut a comment at `#`/`;` that starts the line or
//! follows any whitespace (headers included: `[a]#x` keeps its `#x` and is then no header);
//! trim all Unicode whitespace (indentation means nothing); a line that is then `[...]` is a
//! header (`[prefix name]` becomes `prefix.name` for the prefixes `profile`, `sso-session`,
//! `services`, and any other two-word header is dropped with its lines); other lines split at
//! the first `=`, keys case-sensitive, the last of repeated keys winning; `key =` with an empty
//! value opens a sub-property block for the indented lines after it; `[__proto__]` makes the
//! whole file unreadable (the SDK then reads it as empty).
//!
//! Invariant: these functions only describe; they never decide.

use super::Document;

/// How the JavaScript SDK reads a header line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsHeader {
    /// A section of this name (`prefix.name` for a prefixed one).
    Named(String),
    /// A two-word header with an unknown prefix: the section and its lines are dropped.
    Dropped,
}

/// The section header the JavaScript SDK reads from a line, or `None` when it does not take
/// the line for a header.
pub fn js_header(line: &str) -> Option<JsHeader> {
    let body = js_trim(cut_comment(line));
    let inner = body.strip_prefix('[')?.strip_suffix(']')?;
    Some(match prefixed(inner) {
        Some((prefix, name)) if ["profile", "sso-session", "services"].contains(&prefix) => {
            JsHeader::Named(format!("{prefix}.{name}"))
        }
        Some(_) => JsHeader::Dropped,
        None => JsHeader::Named(inner.to_owned()),
    })
}

/// The `key = value` the JavaScript SDK reads from a line that is not a header, or `None` (a
/// comment, a blank line, a line without `=` or starting with `=`).
pub fn js_property(line: &str) -> Option<(&str, &str)> {
    let body = js_trim(cut_comment(line));
    let eq = body.find('=').filter(|&at| at > 0)?;
    Some((js_trim(&body[..eq]), js_trim(&body[eq + 1..])))
}

/// The first line that makes the whole file unreadable to the JavaScript SDK (`[__proto__]`,
/// `[profile __proto__]`: its parser throws and the SDK reads the file as empty).
pub fn js_unreadable_line(doc: &Document) -> Option<usize> {
    doc.lines()
        .find(|l| {
            let body = js_trim(cut_comment(l.text));
            matches!(body, "[__proto__]" | "[profile __proto__]")
        })
        .map(|l| l.line)
}

/// JavaScript's `\s` and `String.prototype.trim`: Unicode white space and line terminators,
/// the byte-order mark included (and, unlike Rust's `char::is_whitespace`, U+0085 excluded).
pub fn is_js_whitespace(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

fn js_trim(text: &str) -> &str {
    text.trim_matches(is_js_whitespace)
}

/// The line up to a comment: `#` or `;` at its start or right after JS white space.
fn cut_comment(line: &str) -> &str {
    // Most lines hold neither byte; a byte scan spares them the decoding below.
    if !line.bytes().any(|b| b == b'#' || b == b';') {
        return line;
    }
    let mut previous_blank = true; // the start of the line counts as `^`
    for (at, c) in line.char_indices() {
        if (c == '#' || c == ';') && previous_blank {
            return &line[..at];
        }
        previous_blank = is_js_whitespace(c);
    }
    line
}

/// `prefix name` (or `prefix "name"`/`prefix 'name'`) as the JS SDK's `prefixKeyRegex`
/// `^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$` splits it.
fn prefixed(inner: &str) -> Option<(&str, &str)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let split = inner.find(|c: char| !word(c))?;
    let (prefix, rest) = inner.split_at(split);
    let mut after = rest.chars();
    let blank = after.next()?;
    if prefix.is_empty() || !is_js_whitespace(blank) {
        return None;
    }
    let rest = after.as_str();
    let name = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].strip_suffix(q)?,
        _ => rest,
    };
    // `[\w-@+.%:/]`: in JS the `-` between `\w` and `@` is a literal dash.
    let name_char = |c: char| word(c) || "@+.%:/".contains(c);
    (!name.is_empty() && name.chars().all(name_char)).then_some((prefix, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(line: &str) -> Option<String> {
        match js_header(line)? {
            JsHeader::Named(name) => Some(name),
            JsHeader::Dropped => Some("<dropped>".into()),
        }
    }

    #[test]
    fn headers() {
        assert_eq!(named("[mfa]").as_deref(), Some("mfa"));
        assert_eq!(
            named("  [mfa]  ").as_deref(),
            Some("mfa"),
            "indentation is nothing"
        );
        assert_eq!(named("[mfa] # note").as_deref(), Some("mfa"));
        assert_eq!(named("[mfa]; note"), None, "no blank before the comment");
        assert_eq!(named("[mfa]#"), None);
        assert_eq!(
            named("[ mfa ]").as_deref(),
            Some(" mfa "),
            "not trimmed inside"
        );
        assert_eq!(named("[profile mfa]").as_deref(), Some("profile.mfa"));
        assert_eq!(named("[profile 'my-p']").as_deref(), Some("profile.my-p"));
        assert_eq!(named("[foo bar]").as_deref(), Some("<dropped>"));
        assert_eq!(named("[a b c]").as_deref(), Some("a b c"));
        assert_eq!(named("# [mfa]"), None);
        assert_eq!(named("k = [mfa]"), None);
    }

    #[test]
    fn properties() {
        assert_eq!(js_property("k = v"), Some(("k", "v")));
        assert_eq!(js_property("  K=v # c"), Some(("K", "v")));
        assert_eq!(js_property("k = a#b"), Some(("k", "a#b")));
        assert_eq!(js_property("k =\u{a0}v\u{a0}"), Some(("k", "v")));
        assert_eq!(js_property("= v"), None);
        assert_eq!(js_property("novalue"), None);
        assert_eq!(js_property("  # k = v"), None);
    }

    #[test]
    fn proto_makes_the_file_unreadable() {
        let doc = Document::parse(b"[a]\nk = v\n[__proto__]\n").unwrap();
        assert_eq!(js_unreadable_line(&doc), Some(3));
        let doc = Document::parse(b"[a]\nk = __proto__\n").unwrap();
        assert_eq!(js_unreadable_line(&doc), None);
    }
}
