//! The target section of a refresh: found, checked for lines the readers disagree on, and
//! summed up. The readers are botocore (the AWS CLI), the Rust SDK's parser (the SDKs'
//! shared rules) and the JavaScript SDK's.
//!
//! Invariant: a target that passes [`locate_target`] can be rewritten by
//! [`write_session`](super::write_session) and all three readers then read the new values, and
//! no line of the target is read by any of them as part of another profile; anything else is
//! a [`Refusal`] naming the line.

use super::find::{find_section, FileKind};
use super::managed::ManagedTarget;
use super::{ProfileName, Refusal, ACCESS_KEY_ID, MANAGED_KEYS, SECURITY_TOKEN, SESSION_TOKEN};
use crate::ini::botocore::{
    botocore_key, botocore_section, is_botocore_comment, is_python_whitespace,
};
use crate::ini::js_sdk::{js_header, js_property, JsHeader};
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
    let found = find_section(doc, FileKind::Credentials, name);
    let target_line = found.as_ref().ok().copied().flatten();
    refuse_js_only_headers(doc, name, target_line.map(|id| doc.section(id).line()))?;
    let Some(id) = found? else {
        return Ok(None);
    };
    let section = doc.section(id);
    if js_header_fix(section.header()).is_none()
        && js_header(section.header()) != Some(JsHeader::Named(name.to_string()))
    {
        return Err(Refusal {
            line: section.line(),
            reason: format!(
                "the AWS SDK for JavaScript does not read `{}` as [{name}]; write it as `[{name}]`",
                section.header().escape_debug()
            ),
        });
    }
    refuse_js_invisible_next_header(doc, &section, name)?;
    let summary = inspect_target(&section)?;
    Ok(Some((id, summary)))
}

/// Refuses a header right after the target that the JavaScript SDK does not take for one
/// (`[next]#c`) when keys follow it: that SDK would read them as the target's.
fn refuse_js_invisible_next_header(
    doc: &Document,
    target: &Section,
    name: &ProfileName,
) -> Result<(), Refusal> {
    let Some(next) = doc.sections().find(|s| s.line() > target.line()) else {
        return Ok(());
    };
    if js_header(next.header()).is_some() || js_keys_until_next_header(doc, next.line()).is_none() {
        return Ok(());
    }
    Err(Refusal {
        line: next.line(),
        reason: format!(
            "the AWS SDK for JavaScript does not read `{}` as a header, so it reads the keys after it as part of [{name}]; put a space before its comment",
            next.header().escape_debug()
        ),
    })
}

/// The first key the JavaScript SDK reads after line `from` and before the next line it takes
/// for a header, with its line.
fn js_keys_until_next_header(doc: &Document, from: usize) -> Option<(usize, String)> {
    doc.lines()
        .skip_while(|l| l.line <= from)
        .take_while(|l| js_header(l.text).is_none())
        .find_map(|l| js_property(l.text).map(|(key, _)| (l.line, key.to_owned())))
}

/// The header line rewritten so the JavaScript SDK reads it too, when it is `[NAME]` with a
/// comment right after the `]` (`[mfa];note`, which the others read as `[mfa]`): a space
/// goes before the comment, which stays.
pub fn js_header_fix(header: &str) -> Option<String> {
    let close = header.find(']')?;
    let rest = &header[close + 1..];
    rest.starts_with(['#', ';'])
        .then(|| format!("{} {rest}", &header[..=close]))
}

/// Refuses a line outside any header that the JavaScript SDK reads as the header of profile
/// `name` (an indented `  [mfa]`, which the others read as part of a value) when it comes after
/// the target and a key mfa-profile writes follows it: that SDK merges the two and the later
/// key wins over the new one. `target`: the target's header line, if it has one (before it,
/// or without it, such a line is no threat: the target's own keys come later or are new).
fn refuse_js_only_headers(
    doc: &Document,
    name: &ProfileName,
    target: Option<usize>,
) -> Result<(), Refusal> {
    let Some(target) = target else {
        return Ok(());
    };
    // In file order, so sorted: a lookup per line stays cheap in a file of 10,000 profiles.
    let headers: Vec<usize> = doc.sections().map(|s| s.line()).collect();
    let wanted = Some(JsHeader::Named(name.to_string()));
    for l in doc.lines().skip_while(|l| l.line <= target) {
        if js_header(l.text) != wanted || headers.binary_search(&l.line).is_ok() {
            continue;
        }
        let managed_key = doc
            .lines()
            .skip_while(|m| m.line <= l.line)
            .take_while(|m| js_header(m.text).is_none())
            .find(|m| js_property(m.text).is_some_and(|(k, _)| MANAGED_KEYS.contains(&k)));
        if let Some(key_line) = managed_key {
            return Err(Refusal {
                line: l.line,
                reason: format!(
                    "`{}` is read as a second [{name}] by the AWS SDK for JavaScript (but as part of the value above by the AWS CLI and the other SDKs), and its line {} would win over the new session for it; remove it or move it to column 0",
                    l.text.escape_debug(),
                    key_line.line
                ),
            });
        }
    }
    Ok(())
}

/// Checks the target section for lines the readers disagree on, and sums up what it holds.
pub fn inspect_target(section: &Section) -> Result<TargetSummary, Refusal> {
    check_rewritten_lines(section, &MANAGED_KEYS, "the target section")?;
    let mut summary = TargetSummary::default();
    for entry in section.entries() {
        // An empty value is no token: `aws_session_token =` beside long-term keys must not
        // pass them off as a session.
        let has_value = !entry.value().trim().is_empty();
        match entry.key().to_ascii_lowercase().as_str() {
            ACCESS_KEY_ID => summary.has_access_key = true,
            SESSION_TOKEN | SECURITY_TOKEN if has_value => summary.has_session_token = true,
            _ => {}
        }
    }
    summary.managed = ManagedTarget::read(section);
    Ok(summary)
}

/// Refuses lines of `section` (called `what` in messages) that the readers disagree on where
/// rewriting the keys `rewritten` would leave them reading different values: a key they read
/// under different names, an inline or indented comment on such a key, a repeated key, and
/// the JavaScript SDK's own disagreements.
pub(super) fn check_rewritten_lines(
    section: &Section,
    rewritten: &[&str],
    what: &str,
) -> Result<(), Refusal> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    let rewrites = |k: &str| rewritten.contains(&k);
    for entry in section.entries() {
        let line = entry.line();
        if let Some(blank) = entry
            .text()
            .chars()
            .next()
            .filter(|c| is_python_whitespace(*c))
        {
            return Err(Refusal {
                line,
                reason: format!(
                    "the line starts with an invisible space (U+{:04X}): the AWS CLI (and the Go SDK) reads it as part of the value above, the Rust and JavaScript SDKs as a key of its own; remove that character",
                    u32::from(blank)
                ),
            });
        }
        let key = entry.key().to_ascii_lowercase();
        let boto = botocore_key(entry.text()).unwrap_or_default();
        if key != boto && (rewrites(&key) || rewrites(&boto)) {
            return Err(Refusal {
                line,
                reason: format!(
                    "the AWS CLI (and the Go SDK) reads the key here as `{boto}`, the Rust and JavaScript SDKs as `{key}`; write it as `{key} = value`"
                ),
            });
        }
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Err(Refusal {
                line,
                reason: format!(
                    "`{key}` appears twice in {what} (lines {first} and {line}): the AWS CLI rejects the file and the SDKs take the last; remove one"
                ),
            });
        }
        seen.push((key.clone(), line));
        if !rewrites(&key) {
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
    }
    refuse_js_disagreements(section, rewritten)
}

/// Refuses lines of a section that the JavaScript SDK reads differently in a way a rewrite
/// would not mend: a line it takes for a header (what follows would leave the section for it),
/// and an indented line it reads as a key being rewritten (it would win over the new one).
fn refuse_js_disagreements(section: &Section, rewritten: &[&str]) -> Result<(), Refusal> {
    for body in section.body_lines() {
        let refusal = |reason: String| {
            Err(Refusal {
                line: body.line,
                reason,
            })
        };
        if js_header(body.text).is_some() {
            return refusal(format!(
                "`{}` is read as a section header by the AWS SDK for JavaScript but as part of the value above by the AWS CLI and the other SDKs; remove it or move it to column 0",
                body.text.escape_debug()
            ));
        }
        if !body.text.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((key, _)) = js_property(body.text) {
            if rewritten.contains(&key) {
                return refusal(format!(
                    "the indented `{}` is read as `{key}` by the AWS SDK for JavaScript but as part of the value above by the AWS CLI and the other SDKs; remove it",
                    body.text.trim().escape_debug()
                ));
            }
        }
    }
    Ok(())
}

/// True when botocore gives every section an `aws_security_token` from `[DEFAULT]`: it then
/// prefers that one to the `aws_session_token` of a section that has none of its own.
pub fn defaults_give_a_security_token(doc: &Document) -> bool {
    doc.sections().any(|section| {
        botocore_section(section.header()) == Some("DEFAULT")
            && section
                .entries()
                .any(|e| e.key().eq_ignore_ascii_case(SECURITY_TOKEN))
    })
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
        assert_eq!(line("[mfa]\naws_session_token = a\n\u{a0}x = 1\n"), 3);
        // Disagreements outside the target, or on keys it does not rewrite, are not ours.
        assert!(locate("[a]\nx = 1 # c\n[mfa]\n").is_ok());
        assert!(locate("[mfa] # note\nk = 1\n").is_ok());
        assert!(locate("[DEFAULT]\nregion = x\n").is_ok());
    }

    #[test]
    fn lines_the_javascript_sdk_reads_differently_are_refused_or_mended() {
        let line = |input: &str| locate(input).unwrap_err().line;
        assert_eq!(
            line("[mfa]\n[a]\nk = v\n  [mfa]\naws_session_token = x\n"),
            4,
            "an indented target header after the target, with a key we write"
        );
        assert!(locate("[a]\nk = v\n  [mfa]\naws_session_token = x\n[mfa]\n").is_ok());
        assert_eq!(
            line("[mfa]\n[b]#c\nk = v\n"),
            2,
            "a header the JS SDK does not see, with keys after it"
        );
        assert!(locate("[mfa]\n[b]#c\n[c]\nk = v\n").is_ok());
        assert_eq!(line("[mfa]\nregion = x\n  [other]\n"), 3, "a header inside");
        assert_eq!(
            line("[mfa]\nregion = x\n  aws_session_token = old\n"),
            3,
            "an indented managed key"
        );
        assert!(
            locate("[mfa];note\nk = 1\n").is_ok(),
            "mended by the rewrite"
        );
        assert!(locate("[mfa]\nregion = x\n  more\n").is_ok());
        assert_eq!(js_header_fix("[mfa];note").as_deref(), Some("[mfa] ;note"));
        assert_eq!(js_header_fix("[mfa]#").as_deref(), Some("[mfa] #"));
        assert_eq!(js_header_fix("[mfa] # ok"), None);
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
