//! Sections of a [`Document`]: read them through a [`Section`], edit one through a
//! [`SectionMut`]. Callers name a section by its [`SectionId`], never by a line index.
//!
//! Invariant: a [`SectionId`] stays valid across every edit this module makes (ids count
//! sections, not lines, and sections are only ever appended), and an edit through a
//! [`SectionMut`] changes only lines of that section.

use super::document::Document;
use super::line::LineKind;

/// A section of a document: the `n`-th header line and the lines up to the next header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionId(u32);

/// Read access to one section.
#[derive(Clone, Copy)]
pub struct Section<'a> {
    doc: &'a Document,
    id: SectionId,
    header: usize,
}

/// One `key = value` line of a section (column 0, with a key), as the SDKs read it.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    doc: &'a Document,
    index: usize,
}

/// A line with its 1-based line number (0 for a line an edit added). Its `Debug` shows only
/// the length of the text, which may be part of a secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct NumberedLine<'a> {
    /// 1-based input line number.
    pub line: usize,
    /// The text, without its line ending.
    pub text: &'a str,
}

impl std::fmt::Debug for NumberedLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumberedLine")
            .field("line", &self.line)
            .field("bytes", &self.text.len())
            .finish()
    }
}

/// A line that continues the previous property (indented, its text with the indentation).
pub type ContinuationLine<'a> = NumberedLine<'a>;

impl Document {
    /// Every line, with its 1-based line number (0 for a line an edit added).
    pub fn lines(&self) -> impl Iterator<Item = NumberedLine<'_>> + '_ {
        (0..self.len()).map(move |index| self.numbered(index))
    }

    /// Line `index` with its number.
    fn numbered(&self, index: usize) -> NumberedLine<'_> {
        NumberedLine {
            line: self.line_number(index),
            text: self.text(index),
        }
    }

    /// Every section, in file order.
    pub fn sections(&self) -> impl Iterator<Item = Section<'_>> + '_ {
        (0..self.headers().len()).map(|n| self.section(SectionId(n as u32)))
    }

    /// The section `id`.
    ///
    /// # Panics
    /// When `id` is not a section of this document.
    pub fn section(&self, id: SectionId) -> Section<'_> {
        Section {
            doc: self,
            id,
            header: self.headers()[id.0 as usize] as usize,
        }
    }

    /// Write access to section `id`.
    pub fn section_mut(&mut self, id: SectionId) -> SectionMut<'_> {
        let header = self.headers()[id.0 as usize] as usize;
        SectionMut { doc: self, header }
    }

    /// Appends a section with header line `header` (e.g. `[mfa]`) at the end of the file,
    /// after one blank line unless the file is empty or already ends with a blank line.
    pub fn append_section(&mut self, header: &str) -> SectionId {
        if !self.is_empty() && !matches!(self.kind(self.len() - 1), LineKind::Blank) {
            self.push_line(String::new());
        }
        self.push_line(header.to_owned());
        SectionId(self.headers().len() as u32 - 1)
    }
}

impl Document {
    /// The file's bytes without the sections `ids`. A section goes from the comment lines right
    /// above its header (no blank line between: they introduce it) through its last property
    /// line (continuation lines included), with the blank lines right after it; when only
    /// blank lines follow, the blank lines right before it go instead (the blank line
    /// [`Document::append_section`] adds). Comments and blank lines after its last property
    /// stay: they usually introduce the next section. Every other line is kept byte for byte.
    pub fn render_without(&self, ids: &[SectionId]) -> String {
        let mut skip = vec![false; self.len()];
        for id in ids {
            let header = self.headers()[id.0 as usize] as usize;
            let end = self.section_end(header + 1);
            let last_content = (header + 1..end)
                .rev()
                .find(|&i| matches!(self.kind(i), LineKind::Property(_) | LineKind::Continuation))
                .unwrap_or(header);
            let mut after = last_content + 1;
            while after < self.len() && matches!(self.kind(after), LineKind::Blank) {
                after += 1;
            }
            let mut from = header;
            while from > 0 && matches!(self.kind(from - 1), LineKind::Comment) && !skip[from - 1] {
                from -= 1;
            }
            if after == self.len() {
                while from > 0 && matches!(self.kind(from - 1), LineKind::Blank) && !skip[from - 1]
                {
                    from -= 1;
                }
            }
            skip[from..after].iter_mut().for_each(|s| *s = true);
        }
        self.render_kept(&skip)
    }
}

impl<'a> Section<'a> {
    /// This section's id.
    pub fn id(&self) -> SectionId {
        self.id
    }

    /// The header line, as written.
    pub fn header(&self) -> &'a str {
        self.doc.text(self.header)
    }

    /// The 1-based input line number of the header (0 for a header an edit added).
    pub fn line(&self) -> usize {
        self.doc.line_number(self.header)
    }

    /// The name the SDKs read from the header: what lies between `[` and `]` once a comment
    /// is cut, trimmed of spaces and tabs (a prefix like `profile ` included).
    pub fn name(&self) -> &'a str {
        let LineKind::Header(header) = self.doc.kind(self.header) else {
            unreachable!("a section starts with a header");
        };
        // A document only holds headers the SDK reads (the parser refuses the others).
        let inner = header.inner.unwrap_or(0..0);
        self.doc.text(self.header)[inner].trim_matches([' ', '\t'])
    }

    /// The section's `key = value` lines, in order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'a>> + 'a {
        let doc = self.doc;
        doc.properties(self.header + 1..self.end())
            .map(move |index| Entry { doc, index })
    }

    /// The value of `key` (matched case-insensitively), as the SDKs read it: the last of
    /// repeated keys wins, only the first line of a value counts.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.entries()
            .filter(|entry| entry.key().eq_ignore_ascii_case(key))
            .last()
            .map(|entry| entry.value())
    }

    /// Every line after the header, whatever its kind, with its 1-based line number (0 for a
    /// line an edit added).
    pub fn body_lines(&self) -> impl Iterator<Item = NumberedLine<'a>> + 'a {
        let doc = self.doc;
        (self.header + 1..self.end()).map(move |index| doc.numbered(index))
    }

    /// Appends the section's lines to `out`, each with its line ending.
    pub fn render_into(&self, out: &mut String) {
        self.doc.render_lines(self.header..self.end(), out);
    }

    fn end(&self) -> usize {
        self.doc.section_end(self.header + 1)
    }
}

impl<'a> Entry<'a> {
    /// The key, as written (not lower-cased).
    pub fn key(&self) -> &'a str {
        self.doc.key(self.index).unwrap_or_default()
    }

    /// The value the SDKs read: after `=`, trimmed, an inline comment cut.
    pub fn value(&self) -> &'a str {
        let LineKind::Property(property) = self.doc.kind(self.index) else {
            unreachable!("an entry is a property line");
        };
        &self.doc.text(self.index)[property.value]
    }

    /// The whole line, as written.
    pub fn text(&self) -> &'a str {
        self.doc.text(self.index)
    }

    /// The 1-based input line number (0 for a line an edit added).
    pub fn line(&self) -> usize {
        self.doc.line_number(self.index)
    }

    /// True when the SDKs cut an inline comment (` #...`) off the value.
    pub fn has_inline_comment(&self) -> bool {
        matches!(self.doc.kind(self.index), LineKind::Property(p) if p.inline_comment)
    }

    /// The indented lines that continue this entry (across blank and comment lines).
    pub fn continuation(&self) -> impl Iterator<Item = ContinuationLine<'a>> + 'a {
        let doc = self.doc;
        doc.continuation(self.index)
            .into_iter()
            .map(move |index| doc.numbered(index))
    }
}

/// Write access to one section.
pub struct SectionMut<'a> {
    doc: &'a mut Document,
    header: usize,
}

impl SectionMut<'_> {
    /// Sets `key` to `value`. An existing key (matched case-insensitively; the first, when
    /// repeated) keeps its spelling, spacing and line ending and loses its continuation lines;
    /// a missing key goes after the section's last property, in the section's `k = v`
    /// spacing.
    ///
    /// # Panics
    /// When `value` holds a line break.
    pub fn set(&mut self, key: &str, value: &str) {
        let end = self.doc.section_end(self.header + 1);
        match self.find(key, end) {
            Some(index) => {
                for line in self.doc.continuation(index).into_iter().rev() {
                    self.doc.remove_line(line);
                }
                self.doc.set_value(index, value);
            }
            None => {
                let last = (self.header..end)
                    .rev()
                    .find(|&i| {
                        i == self.header
                            || matches!(
                                self.doc.kind(i),
                                LineKind::Property(_) | LineKind::Continuation
                            )
                    })
                    .unwrap_or(self.header);
                let separator = self.separator(end);
                self.doc
                    .insert_line(Some(last), format!("{key}{separator}{value}"));
            }
        }
    }

    /// Renames `key` (matched case-insensitively) to `new_key`, keeping the line's spacing,
    /// value and ending. Returns false when the section has no such key.
    pub fn rename_key(&mut self, key: &str, new_key: &str) -> bool {
        let end = self.doc.section_end(self.header + 1);
        match self.find(key, end) {
            Some(index) => {
                if self.doc.key(index) != Some(new_key) {
                    self.doc.set_key(index, new_key);
                }
                true
            }
            None => false,
        }
    }

    /// Sets `key` to `value` like [`SectionMut::set`], but a missing key goes first, right
    /// after the header: the section's last line, and so a missing final newline, stays as it
    /// is, and removing the line later gives back the bytes from before.
    ///
    /// # Panics
    /// When `value` holds a line break.
    pub fn set_first(&mut self, key: &str, value: &str) {
        let end = self.doc.section_end(self.header + 1);
        if self.find(key, end).is_some() {
            return self.set(key, value);
        }
        let separator = self.separator(end);
        self.doc
            .insert_line(Some(self.header), format!("{key}{separator}{value}"));
    }

    /// Removes every line of `key` (matched case-insensitively) with its continuation lines.
    /// Returns how many entries went. Removing a line an edit added gives back the bytes from
    /// before that edit.
    pub fn remove(&mut self, key: &str) -> usize {
        let mut removed = 0;
        loop {
            let end = self.doc.section_end(self.header + 1);
            let Some(index) = self.find(key, end) else {
                return removed;
            };
            for line in self.doc.continuation(index).into_iter().rev() {
                self.doc.remove_line(line);
            }
            self.doc.remove_line(index);
            removed += 1;
        }
    }

    /// Replaces the header line with `text`, which must name the same section for the SDKs
    /// (e.g. `[mfa] ;note` for `[mfa];note`).
    ///
    /// # Panics
    /// When `text` is not a header the SDKs read as this section's name.
    pub fn set_header(&mut self, text: &str) {
        let name = Section {
            doc: self.doc,
            id: SectionId(0),
            header: self.header,
        }
        .name()
        .to_owned();
        self.doc.replace_header(self.header, text.to_owned());
        let renamed = Section {
            doc: self.doc,
            id: SectionId(0),
            header: self.header,
        }
        .name()
        .to_owned();
        assert_eq!(renamed, name, "set_header changed the section's name");
    }

    /// The first line of `key` (case-insensitive) in the section, which ends at line `end`.
    fn find(&self, key: &str, end: usize) -> Option<usize> {
        self.doc
            .properties(self.header + 1..end)
            .find(|&i| self.doc.key(i).is_some_and(|k| k.eq_ignore_ascii_case(key)))
    }

    /// The text between key and value in the section's first `key = value` line, when it is
    /// only spaces, tabs and one `=`; ` = ` otherwise.
    fn separator(&self, end: usize) -> String {
        self.doc
            .properties(self.header + 1..end)
            .find_map(|i| {
                let LineKind::Property(p) = self.doc.kind(i) else {
                    return None;
                };
                let key = p.key.clone()?;
                let between = &self.doc.text(i)[key.end..p.value.start];
                let clean = between.chars().filter(|&c| c == '=').count() == 1
                    && between.chars().all(|c| matches!(c, ' ' | '\t' | '='))
                    && !p.value.is_empty();
                clean.then(|| between.to_owned())
            })
            .unwrap_or_else(|| " = ".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without(input: &str, names: &[&str]) -> String {
        let doc = Document::parse(input.as_bytes()).unwrap();
        let ids: Vec<SectionId> = doc
            .sections()
            .filter(|s| names.contains(&s.name()))
            .map(|s| s.id())
            .collect();
        doc.render_without(&ids)
    }

    #[test]
    fn removing_an_appended_section_gives_back_the_file_before_it() {
        for before in ["# keys\n[default]\nk = v\n", "[default]\r\nk = v\r\n", ""] {
            let mut doc = Document::parse(before.as_bytes()).unwrap();
            let id = doc.append_section("[mfa]");
            doc.section_mut(id).set("aws_session_token", "t");
            let appended = doc.render();
            assert_eq!(without(&appended, &["mfa"]), before, "{appended:?}");
        }
    }

    #[test]
    fn removing_a_section_keeps_every_other_line_and_the_next_sections_comment() {
        let text = "[a]\nk = 1\n\n[mfa]\nx = 1\n# inside\ny = 2\n  more\n\n# about b\n[b]\nz = 3";
        assert_eq!(
            without(text, &["mfa"]),
            "[a]\nk = 1\n\n# about b\n[b]\nz = 3"
        );
        // The comment right above a header goes with its section: nothing is left orphaned.
        assert_eq!(
            without(text, &["b"]),
            "[a]\nk = 1\n\n[mfa]\nx = 1\n# inside\ny = 2\n  more\n"
        );
        assert_eq!(without(text, &["a", "mfa", "b"]), "");
        assert_eq!(
            without(
                "# keys\n[a]\nk = 1\n\n# not about a\n\n[b]\nz = 3\n",
                &["b"]
            ),
            "# keys\n[a]\nk = 1\n\n# not about a\n"
        );
        assert_eq!(without(text, &[]), text);
    }

    fn set(input: &str, section: usize, entries: &[(&str, &str)]) -> String {
        let mut doc = Document::parse(input.as_bytes()).unwrap();
        let id = doc.sections().nth(section).unwrap().id();
        let mut target = doc.section_mut(id);
        for (key, value) in entries {
            target.set(key, value);
        }
        doc.render()
    }

    #[test]
    fn sections_entries_and_values() {
        let doc =
            Document::parse(b"[a]\nk = 1 # c\nK = 2\n  more\n[ b ] ; note\nx=y\n\n[profile c]\n")
                .unwrap();
        let names: Vec<&str> = doc.sections().map(|s| s.name()).collect();
        assert_eq!(names, ["a", "b", "profile c"]);
        let a = doc.sections().next().unwrap();
        assert_eq!(a.get("k"), Some("2"), "the last of repeated keys");
        assert_eq!(a.get("nope"), None);
        let entries: Vec<(&str, &str, usize, bool)> = a
            .entries()
            .map(|e| (e.key(), e.value(), e.line(), e.has_inline_comment()))
            .collect();
        assert_eq!(entries, [("k", "1", 2, true), ("K", "2", 3, false)]);
        let second = a.entries().nth(1).unwrap();
        assert_eq!(
            second.continuation().collect::<Vec<_>>(),
            [ContinuationLine {
                line: 4,
                text: "  more"
            }]
        );
        let b = doc.sections().nth(1).unwrap();
        assert_eq!((b.header(), b.line()), ("[ b ] ; note", 5));
        let mut out = String::new();
        b.render_into(&mut out);
        assert_eq!(out, "[ b ] ; note\nx=y\n\n");
    }

    #[test]
    fn remove_takes_every_line_of_a_key_and_undoes_an_insert() {
        for input in [
            "[a]\r\nk=1\r\n# note\r\n[b]\r\nx=1\r\n",
            "[a]\nk = 1\n\n[b]\n",
        ] {
            let mut doc = Document::parse(input.as_bytes()).unwrap();
            let id = doc.sections().next().unwrap().id();
            doc.section_mut(id).set("mfa_new", "v");
            doc.section_mut(id).set("mfa_old", "w");
            assert_ne!(doc.render(), input);
            assert_eq!(doc.section_mut(id).remove("MFA_NEW"), 1);
            assert_eq!(doc.section_mut(id).remove("mfa_old"), 1);
            assert_eq!(doc.render(), input);
        }
        for input in ["[a]\nk = 1", "[a]\r\nk=1\r\n[b]\r\n"] {
            let mut doc = Document::parse(input.as_bytes()).unwrap();
            let id = doc.sections().next().unwrap().id();
            doc.section_mut(id).set_first("mfa_new", "v");
            let expected = if input.contains('\r') {
                "[a]\r\nmfa_new=v\r\nk=1"
            } else {
                "[a]\nmfa_new = v\nk = 1"
            };
            assert!(doc.render().starts_with(expected), "{}", doc.render());
            doc.section_mut(id).remove("mfa_new");
            assert_eq!(doc.render(), input, "a missing final newline stays missing");
        }
        let mut doc = Document::parse(b"[a]\nK=1\n  more\nx=2\nk=3\n[b]\nk=4\n").unwrap();
        let id = doc.sections().next().unwrap().id();
        assert_eq!(doc.section_mut(id).remove("k"), 2);
        assert_eq!(doc.section_mut(id).remove("k"), 0);
        assert_eq!(doc.render(), "[a]\nx=2\n[b]\nk=4\n");
    }

    #[test]
    fn set_replaces_in_place_and_inserts_after_the_last_property() {
        let input =
            "# top\n[default]\nk=1\n\n[mfa]\naws_access_key_id=OLD\nregion=eu\n\n# tail\n[z]\n";
        assert_eq!(
            set(
                input,
                1,
                &[("aws_access_key_id", "NEW"), ("aws_session_token", "T")]
            ),
            "# top\n[default]\nk=1\n\n[mfa]\naws_access_key_id=NEW\nregion=eu\naws_session_token=T\n\n# tail\n[z]\n"
        );
    }

    #[test]
    fn set_matches_keys_case_insensitively_and_keeps_their_spelling() {
        assert_eq!(
            set(
                "[mfa]\nAWS_SESSION_TOKEN = a\n",
                0,
                &[("aws_session_token", "b")]
            ),
            "[mfa]\nAWS_SESSION_TOKEN = b\n"
        );
    }

    #[test]
    fn set_drops_the_continuation_of_a_rewritten_key_only() {
        assert_eq!(
            set(
                "[mfa]\naws_session_token = a\n  b\nx = 1\n  y\n",
                0,
                &[("aws_session_token", "c")]
            ),
            "[mfa]\naws_session_token = c\nx = 1\n  y\n"
        );
    }

    #[test]
    fn set_inserts_after_a_sub_property_block_and_under_an_empty_header() {
        assert_eq!(
            set("[mfa]\ns3 =\n  a = b\n[x]\n", 0, &[("k", "v")]),
            "[mfa]\ns3 =\n  a = b\nk = v\n[x]\n"
        );
        assert_eq!(set("[mfa]\n[x]\n", 0, &[("k", "v")]), "[mfa]\nk = v\n[x]\n");
    }

    #[test]
    fn ids_survive_edits_of_earlier_sections() {
        let mut doc = Document::parse(b"[a]\nk = 1\n  c\n[b]\nj = 2\n").unwrap();
        let ids: Vec<SectionId> = doc.sections().map(|s| s.id()).collect();
        doc.section_mut(ids[0]).set("k", "x");
        doc.section_mut(ids[0]).set("new", "y");
        doc.section_mut(ids[1]).set("j", "3");
        assert_eq!(doc.section(ids[1]).name(), "b");
        assert_eq!(doc.render(), "[a]\nk = x\nnew = y\n[b]\nj = 3\n");
    }

    #[test]
    fn append_section_after_one_blank_line() {
        let append = |input: &str| {
            let mut doc = Document::parse(input.as_bytes()).unwrap();
            let id = doc.append_section("[mfa]");
            doc.section_mut(id).set("k", "v");
            assert_eq!(doc.section(id).name(), "mfa");
            doc.render()
        };
        assert_eq!(append(""), "[mfa]\nk = v\n");
        assert_eq!(append("\n"), "\n[mfa]\nk = v\n");
        assert_eq!(
            append("[a]\r\nx = 1"),
            "[a]\r\nx = 1\r\n\r\n[mfa]\r\nk = v\r\n"
        );
    }

    #[test]
    fn rename_key_keeps_spacing_and_value() {
        let mut doc = Document::parse(b"[a]\r\nAWS_Access_Key_Id\t=  v  \r\n").unwrap();
        let id = doc.sections().next().unwrap().id();
        assert!(doc
            .section_mut(id)
            .rename_key("aws_access_key_id", "aws_access_key_id"));
        assert!(!doc.section_mut(id).rename_key("nope", "x"));
        assert_eq!(doc.render(), "[a]\r\naws_access_key_id\t=  v  \r\n");
    }
}
