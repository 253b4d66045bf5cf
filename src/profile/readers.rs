//! Whole files that one of the readers cannot read at all, though the SDKs' shared parser (and
//! so the editor) can: botocore rejects repeated sections and keys, the JavaScript SDK reads a
//! file with `[__proto__]` as empty.
//!
//! Invariant: describes and words the problem; what to do about it (write anyway, warn) is the
//! caller's call.

use crate::ini::botocore::botocore_error;
use crate::ini::js_sdk::js_unreadable_line;
use crate::ini::Document;
use crate::text::shown::Shown;
use std::path::Path;

/// A reader of the shared files other than the SDKs' shared parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// botocore: the AWS CLI, boto3.
    AwsCli,
    /// The AWS SDK for JavaScript v3.
    JavaScriptSdk,
}

/// A file a reader cannot read, and the first line it fails on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// Who cannot read it.
    pub reader: Reader,
    /// 1-based line.
    pub line: usize,
    /// What is there.
    pub what: String,
}

/// The readers that cannot read `doc`, with the line each fails on.
pub fn unreadable(doc: &Document) -> Vec<Unreadable> {
    let mut found = Vec::new();
    if let Some(error) = botocore_error(doc) {
        found.push(Unreadable {
            reader: Reader::AwsCli,
            line: error.line,
            what: error.what,
        });
    }
    if let Some(line) = js_unreadable_line(doc) {
        found.push(Unreadable {
            reader: Reader::JavaScriptSdk,
            line,
            what: "a [__proto__] section".into(),
        });
    }
    found
}

impl Unreadable {
    /// The warning for the file at `path`: who cannot read it, where, and what that costs
    /// (`profile`: the profile the user is about to use, if any).
    pub fn warning(&self, path: &Path, profile: Option<&str>) -> String {
        let (who, others, fix) = match self.reader {
            Reader::AwsCli => (
                "the AWS CLI cannot read",
                "the SDKs can",
                match profile {
                    Some(name) => format!("Fix that line to use `aws --profile {name}`."),
                    None => "Fix that line to use the AWS CLI.".into(),
                },
            ),
            Reader::JavaScriptSdk => (
                "the AWS SDK for JavaScript reads nothing from",
                "the AWS CLI and the other SDKs can",
                "Rename that section for Node tools to see any profile.".into(),
            ),
        };
        format!(
            "{who} {} (line {}: {}); {others}. {fix}",
            Shown(path),
            self.line,
            self.what
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_and_proto_are_found_and_worded() {
        let doc = Document::parse(b"[other]\nregion = a\nregion = b\n[__proto__]\n").unwrap();
        let found = unreadable(&doc);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].warning(Path::new("credentials"), Some("mfa")),
            "the AWS CLI cannot read credentials (line 3: `region` repeated in [other]); the SDKs can. Fix that line to use `aws --profile mfa`."
        );
        assert_eq!(found[1].reader, Reader::JavaScriptSdk);
        assert_eq!(found[1].line, 4);
        assert!(unreadable(&Document::parse(b"[a]\nk = v\n").unwrap()).is_empty());
    }
}
