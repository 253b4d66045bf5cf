//! A parsed file: its lines, each with its own line ending and kind, and line-level edits.
//!
//! Invariant: until edited, [`Document::render`] returns the input byte for byte. An edit
//! replaces, inserts or removes whole lines; every other line keeps its bytes and its ending.
//! Whether the file ends with a line ending is kept too, unless new lines are added at its end
//! (they always end with one).

use super::line::{classify, classify_property, Header, LineKind, Property, WHITESPACE};
use memchr::memchr;
use std::fmt;
use std::ops::Range;
use zeroize::Zeroize;

/// A line ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eol {
    /// No line ending: the last line of a file that does not end with one.
    None,
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
}

impl Eol {
    /// The bytes of this line ending.
    pub fn as_str(self) -> &'static str {
        match self {
            Eol::None => "",
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
        }
    }
}

/// Why a file was not accepted, and on which line (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong there.
    pub kind: ParseErrorKind,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

impl std::error::Error for ParseError {}

/// The kinds of input the editor does not accept. The first five are input the AWS CLI and the
/// SDKs read differently or not at all; the rest are errors of the SDKs' parser, which would
/// make every profile of the file unusable to them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// A UTF-8 byte-order mark.
    #[error("the file starts with a UTF-8 byte-order mark, which the AWS CLI and the SDKs cannot read; remove it")]
    ByteOrderMark,
    /// Bytes that are not UTF-8.
    #[error("the file is not valid UTF-8 (the AWS CLI rejects it, the SDKs read it as empty)")]
    NotUtf8,
    /// A NUL byte.
    #[error("the file contains a NUL byte; it looks damaged")]
    NulByte,
    /// A `\r` not followed by `\n`.
    #[error("a carriage return that is not part of a \\r\\n line ending (the AWS CLI and the Java SDK take it for a line break, the Rust SDK does not)")]
    LoneCarriageReturn,
    /// A line longer than the editor accepts.
    #[error("a line longer than {} bytes", super::document::MAX_LINE)]
    LineTooLong,
    /// A file larger than the editor accepts.
    #[error("the file is larger than {} bytes", super::document::MAX_INPUT)]
    TooLarge,
    /// `[name` without `]`, or text other than a comment after `]`.
    #[error("a section header must be `[name]`, optionally followed by a comment")]
    UnclosedHeader,
    /// `key = value` before the first header.
    #[error("a property before the first [section] header")]
    PropertyOutsideSection,
    /// A column-0 line without `=`.
    #[error("expected `key = value`, found no '=' sign")]
    MissingEquals,
    /// `= value`.
    #[error("a property with no name before its '='")]
    EmptyKey,
    /// An indented line right after a header or at the start of the file.
    #[error("an indented line with no property before it to continue (indented keys are read differently by the AWS CLI and the SDKs)")]
    OrphanContinuation,
    /// An indented line without `=` under `key =` (a sub-property block).
    #[error("an indented line without '=' inside the sub-property block of an empty `key =`")]
    BadSubProperty,
}

/// The longest line accepted (1 MiB): far beyond any real key or token.
pub(super) const MAX_LINE: usize = 1 << 20;
/// The largest input accepted (1 GiB), far beyond the 8 MiB the file reader allows.
pub(super) const MAX_INPUT: usize = 1 << 30;

/// A span of the input, in bytes. The input is at most [`MAX_INPUT`] bytes, so `u32` holds it.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn new(range: Range<usize>) -> Span {
        Span {
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Clone)]
enum Text {
    /// A byte range of the input.
    Source(Span),
    /// Text written by an edit.
    Owned(Box<str>),
}

/// [`LineKind`] stored in half the space: spans within a line are at most [`MAX_LINE`] long.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Blank,
    Comment,
    Header(Option<Span>),
    Property {
        key: Option<Span>,
        value: Span,
        inline_comment: bool,
    },
    Continuation,
}

impl Kind {
    fn pack(kind: LineKind) -> Kind {
        match kind {
            LineKind::Blank => Kind::Blank,
            LineKind::Comment => Kind::Comment,
            LineKind::Header(h) => Kind::Header(h.inner.map(Span::new)),
            LineKind::Property(p) => Kind::Property {
                key: p.key.map(Span::new),
                value: Span::new(p.value),
                inline_comment: p.inline_comment,
            },
            LineKind::Continuation => Kind::Continuation,
        }
    }

    fn unpack(self) -> LineKind {
        match self {
            Kind::Blank => LineKind::Blank,
            Kind::Comment => LineKind::Comment,
            Kind::Header(inner) => LineKind::Header(Header {
                inner: inner.map(Span::range),
            }),
            Kind::Property {
                key,
                value,
                inline_comment,
            } => LineKind::Property(Property {
                key: key.map(Span::range),
                value: value.range(),
                inline_comment,
            }),
            Kind::Continuation => LineKind::Continuation,
        }
    }
}

/// One line in 48 bytes (88 with `LineKind` and `usize` spans): a 10,000-profile file's
/// 60,000 lines take under 3 MB.
#[derive(Clone)]
struct Line {
    text: Text,
    kind: Kind,
    /// 1-based line number in the input; 0 for a line an edit added.
    number: u32,
    eol: Eol,
}

/// A profile file, parsed into lines, ready for in-place edits. Its `Debug` shows only sizes:
/// the text holds secret keys.
#[derive(Clone)]
pub struct Document {
    source: String,
    lines: Vec<Line>,
    /// Indices of the header lines, in order: section `n` starts at `headers[n]`.
    headers: Vec<u32>,
    /// The ending new lines get: the file's first line ending, `\n` when it has none.
    eol: Eol,
    /// Whether the input ended with a line ending (an empty input counts as ending with one).
    ends_with_eol: bool,
}

impl Document {
    /// Parses a file. Accepts exactly the files the SDKs' parser reads without error, less
    /// those with a BOM, invalid UTF-8, NUL bytes or lone `\r`.
    pub fn parse(bytes: &[u8]) -> Result<Document, ParseError> {
        Document::parse_owned(bytes.to_vec())
    }

    /// [`Document::parse`], keeping `bytes` as the document's source instead of a copy.
    pub fn parse_owned(bytes: Vec<u8>) -> Result<Document, ParseError> {
        check_bytes(&bytes)?;
        let source = String::from_utf8(bytes).map_err(|e| ParseError {
            line: line_of(e.as_bytes(), e.utf8_error().valid_up_to()),
            kind: ParseErrorKind::NotUtf8,
        })?;
        let mut lines = Vec::with_capacity(source.len() / 24 + 1);
        let mut start = 0;
        while start < source.len() {
            let (end, next, eol) = match memchr(b'\n', &source.as_bytes()[start..]) {
                Some(at) if at > 0 && source.as_bytes()[start + at - 1] == b'\r' => {
                    (start + at - 1, start + at + 1, Eol::CrLf)
                }
                Some(at) => (start + at, start + at + 1, Eol::Lf),
                None => (source.len(), source.len(), Eol::None),
            };
            let number = lines.len() + 1;
            let text = &source[start..end];
            if text.len() > MAX_LINE {
                return Err(ParseError {
                    line: number,
                    kind: ParseErrorKind::LineTooLong,
                });
            }
            if memchr(b'\r', text.as_bytes()).is_some() {
                return Err(ParseError {
                    line: number,
                    kind: ParseErrorKind::LoneCarriageReturn,
                });
            }
            lines.push(Line {
                kind: Kind::pack(classify(text)),
                text: Text::Source(Span::new(start..end)),
                eol,
                number: number as u32,
            });
            start = next;
        }
        lines.shrink_to_fit();
        let headers = header_indices(&lines);
        let eol = lines
            .iter()
            .map(|l| l.eol)
            .find(|e| *e != Eol::None)
            .unwrap_or(Eol::Lf);
        let ends_with_eol = lines.last().is_none_or(|l| l.eol != Eol::None);
        let doc = Document {
            source,
            lines,
            headers,
            eol,
            ends_with_eol,
        };
        doc.check_structure()?;
        Ok(doc)
    }

    /// The SDK parser's state machine, run only for its errors.
    fn check_structure(&self) -> Result<(), ParseError> {
        #[derive(PartialEq)]
        enum State {
            Start,
            AfterHeader,
            InProperty { sub_block: bool },
        }
        let mut state = State::Start;
        for (index, line) in self.lines.iter().enumerate() {
            let fail = |kind| {
                Err(ParseError {
                    line: line.number as usize,
                    kind,
                })
            };
            let text = self.text(index);
            match line.kind.unpack() {
                LineKind::Blank | LineKind::Comment => {}
                LineKind::Header(h) => {
                    if h.inner.is_none() {
                        return fail(ParseErrorKind::UnclosedHeader);
                    }
                    state = State::AfterHeader;
                }
                LineKind::Property(p) => {
                    if state == State::Start {
                        return fail(ParseErrorKind::PropertyOutsideSection);
                    }
                    match &p.key {
                        None if text[..p.value.start].contains('=') => {
                            return fail(ParseErrorKind::EmptyKey)
                        }
                        None => return fail(ParseErrorKind::MissingEquals),
                        Some(_) => {}
                    }
                    state = State::InProperty {
                        sub_block: p.value.is_empty(),
                    };
                }
                LineKind::Continuation => match state {
                    State::Start | State::AfterHeader => {
                        return fail(ParseErrorKind::OrphanContinuation)
                    }
                    // The SDK reads every line of a sub-property block as `key = value`,
                    // even one that looks like a comment or a header once unindented.
                    State::InProperty { sub_block: true } => {
                        if classify_property(text.trim_matches(WHITESPACE))
                            .key
                            .is_none()
                        {
                            return fail(ParseErrorKind::BadSubProperty);
                        }
                    }
                    State::InProperty { sub_block: false } => {}
                },
            }
        }
        Ok(())
    }

    /// An empty file.
    pub fn empty() -> Document {
        Document::parse(b"").expect("the empty file parses")
    }

    /// The text that was parsed, as it was before any edit.
    pub fn input(&self) -> &str {
        &self.source
    }

    /// Number of lines.
    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The text of line `index` (0-based), without its line ending.
    pub(super) fn text(&self, index: usize) -> &str {
        match &self.lines[index].text {
            Text::Source(span) => &self.source[span.range()],
            Text::Owned(text) => text,
        }
    }

    /// The kind of line `index`.
    pub(super) fn kind(&self, index: usize) -> LineKind {
        self.lines[index].kind.unpack()
    }

    /// The 1-based input line number of line `index`; 0 for a line an edit added.
    pub(super) fn line_number(&self, index: usize) -> usize {
        self.lines[index].number as usize
    }

    /// The line ending new lines get.
    pub fn eol(&self) -> Eol {
        self.eol
    }

    /// Index of the first header at or after `from`, or `len()` when there is none: the end of
    /// the section that `from` lies in.
    pub(super) fn section_end(&self, from: usize) -> usize {
        let next = self.headers.partition_point(|&h| (h as usize) < from);
        self.headers
            .get(next)
            .map_or(self.lines.len(), |&h| h as usize)
    }

    /// The line indices of the section headers, in order.
    pub(super) fn headers(&self) -> &[u32] {
        &self.headers
    }

    /// The property lines (column 0, with a key) in `range`, as indices.
    pub(super) fn properties(&self, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        range.filter(|&i| matches!(self.lines[i].kind, Kind::Property { key: Some(_), .. }))
    }

    /// The key of property line `index` (as written, not lower-cased).
    pub(super) fn key(&self, index: usize) -> Option<&str> {
        match self.lines[index].kind {
            Kind::Property { key, .. } => key.map(|k| &self.text(index)[k.range()]),
            _ => None,
        }
    }

    /// The continuation lines of property line `index`: the indented lines after it, across
    /// blank and comment lines, up to the next line of another kind.
    pub(super) fn continuation(&self, index: usize) -> Vec<usize> {
        let mut found = Vec::new();
        for i in index + 1..self.lines.len() {
            match self.lines[i].kind {
                Kind::Continuation => found.push(i),
                Kind::Blank | Kind::Comment => {}
                _ => break,
            }
        }
        found
    }

    /// Replaces the value of property line `index`, keeping its key, spacing and ending.
    ///
    /// # Panics
    /// When line `index` is not a property with a key, or `value` holds a line break.
    pub(super) fn set_value(&mut self, index: usize, value: &str) {
        assert!(!value.contains(['\n', '\r']), "a value holds a line break");
        let text = self.text(index);
        let LineKind::Property(p) = self.lines[index].kind.unpack() else {
            panic!("set_value on a line that is not a property");
        };
        let key = p
            .key
            .clone()
            .expect("set_value on a property without a key");
        let mut new = String::with_capacity(text.len() + value.len());
        if p.value.is_empty() {
            // `key =`: keep what follows the key up to and with `=`, then the file's spacing.
            let eq = key.end + text[key.end..].find('=').expect("a keyed property has '='");
            new.push_str(&text[..=eq]);
            new.push(' ');
            new.push_str(value);
        } else {
            new.push_str(&text[..p.value.start]);
            new.push_str(value);
            new.push_str(&text[p.value.end..]);
        }
        self.replace_text(index, new);
    }

    /// Replaces the key of property line `index`, keeping everything after it.
    ///
    /// # Panics
    /// When line `index` is not a property with a key, or `key` is not a plain key.
    pub(super) fn set_key(&mut self, index: usize, key: &str) {
        assert!(
            !key.is_empty() && !key.contains(['=', '\n', '\r', ' ', '\t', '#', ';', '[']),
            "not a plain key"
        );
        let text = self.text(index);
        let span = self
            .key(index)
            .map(|k| {
                let start = k.as_ptr() as usize - text.as_ptr() as usize;
                start..start + k.len()
            })
            .expect("set_key on a property without a key");
        let new = format!("{}{key}{}", &text[..span.start], &text[span.end..]);
        self.replace_text(index, new);
    }

    /// Inserts a new line after line `index` (before line 0 when `index` is `None`).
    pub(super) fn insert_line(&mut self, after: Option<usize>, text: String) {
        assert!(!text.contains(['\n', '\r']), "a line holds a line break");
        let at = after.map_or(0, |i| i + 1);
        let kind = Kind::pack(classify(&text));
        let is_header = matches!(kind, Kind::Header(_));
        self.lines.insert(
            at,
            Line {
                kind,
                text: Text::Owned(text.into_boxed_str()),
                eol: self.eol,
                number: 0,
            },
        );
        let next = self.headers.partition_point(|&h| (h as usize) < at);
        for header in &mut self.headers[next..] {
            *header += 1;
        }
        if is_header {
            self.headers.insert(next, at as u32);
        }
    }

    /// Appends a new line at the end of the file.
    pub(super) fn push_line(&mut self, text: String) {
        self.insert_line(self.lines.len().checked_sub(1), text);
    }

    /// Removes line `index`, which must not be a header.
    pub(super) fn remove_line(&mut self, index: usize) {
        assert!(
            !matches!(self.lines[index].kind, Kind::Header(_)),
            "remove_line on a header"
        );
        self.lines.remove(index);
        let next = self.headers.partition_point(|&h| (h as usize) < index);
        for header in &mut self.headers[next..] {
            *header -= 1;
        }
    }

    /// Replaces header line `index` with another header line.
    ///
    /// # Panics
    /// When either is not a well-formed header.
    pub(super) fn replace_header(&mut self, index: usize, text: String) {
        assert!(!text.contains(['\n', '\r']), "a line holds a line break");
        let kind = Kind::pack(classify(&text));
        assert!(
            matches!(self.lines[index].kind, Kind::Header(Some(_)))
                && matches!(kind, Kind::Header(Some(_))),
            "replace_header needs two well-formed headers"
        );
        let line = &mut self.lines[index];
        line.kind = kind;
        line.text = Text::Owned(text.into_boxed_str());
    }

    /// Replaces the text of a line with a line of the same kind (a property stays a property).
    fn replace_text(&mut self, index: usize, text: String) {
        let line = &mut self.lines[index];
        line.kind = Kind::pack(classify(&text));
        debug_assert!(!matches!(line.kind, Kind::Header(_)));
        line.text = Text::Owned(text.into_boxed_str());
    }

    /// Appends lines `range` to `out`, each with its ending (`\n` for a last line without one).
    pub(super) fn render_lines(&self, range: Range<usize>, out: &mut String) {
        for index in range {
            out.push_str(self.text(index));
            out.push_str(match self.lines[index].eol {
                Eol::None => "\n",
                eol => eol.as_str(),
            });
        }
    }

    /// The lines not marked in `skip`, each with its own line ending (none for a last line
    /// that had none).
    pub(super) fn render_kept(&self, skip: &[bool]) -> String {
        let mut out = String::with_capacity(self.source.len());
        for (index, line) in self.lines.iter().enumerate() {
            if !skip[index] {
                out.push_str(self.text(index));
                out.push_str(line.eol.as_str());
            }
        }
        out
    }

    /// The file's bytes with every edit applied.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.source.len() + 512);
        let last = self.lines.len().saturating_sub(1);
        for (index, line) in self.lines.iter().enumerate() {
            out.push_str(self.text(index));
            let eol = if index < last {
                // An old last line that lines were added after needs an ending now.
                if line.eol == Eol::None {
                    self.eol
                } else {
                    line.eol
                }
            } else if line.number == 0 {
                self.eol
            } else if !self.ends_with_eol {
                Eol::None
            } else if line.eol == Eol::None {
                self.eol
            } else {
                line.eol
            };
            out.push_str(eol.as_str());
        }
        out
    }
}

/// The indices of the header lines.
fn header_indices(lines: &[Line]) -> Vec<u32> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| matches!(line.kind, Kind::Header(_)))
        .map(|(index, _)| index as u32)
        .collect()
}

impl Drop for Document {
    fn drop(&mut self) {
        // The text holds the long-term secret key: it must not linger in freed memory.
        self.source.zeroize();
        for line in &mut self.lines {
            if let Text::Owned(text) = &mut line.text {
                text.zeroize();
            }
        }
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The text holds secret keys: only its shape is shown.
        f.debug_struct("Document")
            .field("bytes", &self.source.len())
            .field("lines", &self.lines.len())
            .field("sections", &self.headers.len())
            .finish_non_exhaustive()
    }
}

/// Checks what can be refused before decoding: size, BOM, NUL bytes.
fn check_bytes(bytes: &[u8]) -> Result<(), ParseError> {
    if bytes.len() > MAX_INPUT {
        return Err(ParseError {
            line: 1,
            kind: ParseErrorKind::TooLarge,
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ParseError {
            line: 1,
            kind: ParseErrorKind::ByteOrderMark,
        });
    }
    if let Some(at) = memchr(0, bytes) {
        return Err(ParseError {
            line: line_of(bytes, at),
            kind: ParseErrorKind::NulByte,
        });
    }
    Ok(())
}

/// The 1-based line number of byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(input: &str) {
        let doc = Document::parse(input.as_bytes()).expect("parses");
        assert_eq!(doc.render(), input);
    }

    fn error(input: &[u8]) -> ParseError {
        Document::parse(input).expect_err("must be refused")
    }

    #[test]
    fn renders_input_unchanged() {
        for input in [
            "",
            "\n",
            "[a]",
            "[a]\n",
            "[a]\r\nk = v\r\n",
            "[a]\r\nk = v",
            "# c\n\n[a]\nk=v\n  more\n; x\n[b]\n",
            "[a]\nk = v\r\nj = w\n",
        ] {
            roundtrip(input);
        }
    }

    #[test]
    fn refuses_what_readers_disagree_on() {
        assert_eq!(
            error(b"\xEF\xBB\xBF[a]\n").kind,
            ParseErrorKind::ByteOrderMark
        );
        assert_eq!(error(b"[a]\nk = \xff\n").kind, ParseErrorKind::NotUtf8);
        assert_eq!(error(b"[a]\nk = \xff\n").line, 2);
        assert_eq!(error(b"[a]\n\nk = \0\n").line, 3);
        assert_eq!(
            error(b"[a]\rk = v\n").kind,
            ParseErrorKind::LoneCarriageReturn
        );
        assert_eq!(
            error(b"[a]\nk = v\r").kind,
            ParseErrorKind::LoneCarriageReturn
        );
    }

    #[test]
    fn refuses_what_the_sdk_rejects() {
        let kind = |s: &str| error(s.as_bytes()).kind;
        assert_eq!(kind("[a] junk\n"), ParseErrorKind::UnclosedHeader);
        assert_eq!(kind("k = v\n[a]\n"), ParseErrorKind::PropertyOutsideSection);
        assert_eq!(kind("[a]\nnovalue\n"), ParseErrorKind::MissingEquals);
        assert_eq!(kind("[a]\n= v\n"), ParseErrorKind::EmptyKey);
        assert_eq!(kind("[a]\n  k = v\n"), ParseErrorKind::OrphanContinuation);
        assert_eq!(kind("  [a]\n"), ParseErrorKind::OrphanContinuation);
        assert_eq!(kind("[a]\ns3 =\n  nokey\n"), ParseErrorKind::BadSubProperty);
        assert_eq!(
            kind("[a]\ns3 =\n  # a comment\n"),
            ParseErrorKind::BadSubProperty,
            "an indented comment in a sub-property block is no comment to the SDK"
        );
        // Found by the fuzz target: the SDK rejects these, indented under `key =`.
        assert_eq!(
            kind("[a]\ns3 =\n  k = v\n  ; c\n"),
            ParseErrorKind::BadSubProperty
        );
        assert_eq!(kind("[a]\ns3 =\n\t# c\n"), ParseErrorKind::BadSubProperty);
        assert_eq!(kind("[a]\ns3 =\n  [b]\n"), ParseErrorKind::BadSubProperty);
        assert!(Document::parse(b"[a]\ns3 =\n  #k = v\n").is_ok());
        assert!(Document::parse(b"[a]\ns3 =\n  k = v\n").is_ok());
        assert!(Document::parse(b"[a]\nk = v\n  more\n").is_ok());
    }

    #[test]
    fn a_line_takes_48_bytes() {
        assert_eq!(std::mem::size_of::<Line>(), 48);
    }

    #[test]
    fn set_value_keeps_key_spacing_and_ending() {
        let mut doc = Document::parse(b"[a]\r\nKey\t=  old  \r\nz=1").unwrap();
        doc.set_value(1, "new");
        assert_eq!(doc.render(), "[a]\r\nKey\t=  new  \r\nz=1");
        doc.set_value(2, "2");
        assert_eq!(doc.render(), "[a]\r\nKey\t=  new  \r\nz=2");
    }

    #[test]
    fn set_empty_value() {
        let mut doc = Document::parse(b"[a]\nk =\n").unwrap();
        doc.set_value(1, "v");
        assert_eq!(doc.render(), "[a]\nk = v\n");
    }

    #[test]
    fn appended_lines_end_with_the_files_ending() {
        let mut doc = Document::parse(b"[a]\r\nk = v").unwrap();
        doc.push_line("[b]".into());
        assert_eq!(doc.render(), "[a]\r\nk = v\r\n[b]\r\n");
    }

    #[test]
    fn removing_the_last_line_keeps_the_missing_final_newline() {
        let mut doc = Document::parse(b"[a]\nk = v\nj = w").unwrap();
        doc.remove_line(2);
        assert_eq!(doc.render(), "[a]\nk = v");
    }

    #[test]
    fn continuation_spans_blank_and_comment_lines() {
        let doc = Document::parse(b"[a]\nk = v\n  x\n\n# c\n  y\nj = 1\n  z\n").unwrap();
        assert_eq!(doc.continuation(1), vec![2, 5]);
        assert_eq!(doc.continuation(6), vec![7]);
        assert_eq!(doc.section_end(1), 8);
    }
}
