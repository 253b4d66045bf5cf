//! The format-preserving editor, by property tests on generated files (PROPTEST_CASES sets how
//! many; 256 by default, 2000 in CI): (a) parse then render is the identity, (b) an edit
//! changes only the bytes of the target section, (c) the SDK's parser reads every other profile
//! unchanged after an edit. Its outside references are in `conformance.rs`, the fuzz corpora in
//! `fuzz_corpus.rs`, the readers of what a refresh wrote in `readers.rs`.

use mfa_profile::ini::Document;
use mfa_profile::profile::{
    locate_target, write_session, ProfileName, SessionEntries, SharedFiles,
};
use mfa_profile::{Secret, SessionCredentials};
use proptest::prelude::*;

fn line() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "default",
        "mfa",
        "a",
        "work-mfa",
        "profile mfa",
        "DEFAULT",
    ]);
    let key = prop::sample::select(vec![
        "aws_access_key_id",
        "AWS_SESSION_TOKEN",
        "aws_security_token",
        "region",
        "expiration",
        "x",
        "s3",
    ]);
    let sep = prop::sample::select(vec!["=", " = ", "\t=  ", " ="]);
    let value = "[a-zA-Z0-9/+#;= ]{0,10}";
    prop_oneof![
        3 => name.clone().prop_map(|n| format!("[{n}]")),
        1 => name.prop_map(|n| format!("[{n}] # note")),
        6 => (key, sep, value).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
        1 => "[#;][ a-z]{0,8}".prop_map(|c| c),
        1 => prop::sample::select(vec!["", "  ", "\t"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["  more", "\tk = v", "  # c"]).prop_map(str::to_owned),
    ]
}

fn file() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "[default]", "[mfa]", "# top"]),
        prop::collection::vec((line(), prop::bool::weighted(0.2)), 0..24),
        any::<bool>(),
    )
        .prop_map(|(first, mut lines, final_eol)| {
            if !first.is_empty() {
                lines.insert(0, (first.to_owned(), false));
            }
            let mut text = String::new();
            let count = lines.len();
            for (i, (line, crlf)) in lines.into_iter().enumerate() {
                text.push_str(&line);
                if i + 1 < count || final_eol {
                    text.push_str(if crlf { "\r\n" } else { "\n" });
                }
            }
            text
        })
}

const SECRET: &str = "propSecret/EXAMPLE+";
const TOKEN: &str = "propToken//EXAMPLE==";

fn session() -> SessionCredentials {
    SessionCredentials {
        access_key_id: "ASIAPROPEXAMPLE".into(),
        secret_access_key: Secret::new(SECRET),
        session_token: Secret::new(TOKEN),
        expires_at: 1_893_456_000,
    }
}

/// Byte offset where each line starts, plus the file length.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < text.len()),
    );
    starts.push(text.len());
    starts
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Rejected,
    Refused,
    Appended,
    Rewritten,
}

proptest! {
    #[test]
    fn edits_change_only_the_target_section(text in file()) {
        check(&text)?;
    }
}

#[test]
fn generated_files_reach_every_branch() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut counts = std::collections::HashMap::new();
    for _ in 0..600 {
        let text = file().new_tree(&mut runner).unwrap().current();
        *counts
            .entry(format!("{:?}", check(&text).unwrap()))
            .or_insert(0) += 1;
    }
    eprintln!("outcomes of 600 generated files: {counts:?}");
    for outcome in ["Rejected", "Refused", "Appended", "Rewritten"] {
        assert!(
            counts.get(outcome).copied().unwrap_or(0) >= 30,
            "{outcome} reached too rarely: {counts:?}"
        );
    }
}

fn check(text: &str) -> Result<Outcome, TestCaseError> {
    let text = text.to_owned();
    {
        let Ok(doc) = Document::parse(text.as_bytes()) else {
            return Ok(Outcome::Rejected);
        };
        prop_assert_eq!(doc.render(), text.clone());
        let target = ProfileName::new("mfa").unwrap();
        let Ok(found) = locate_target(&doc, &target) else {
            return Ok(Outcome::Refused);
        };
        let at = found.map(|(id, _)| id);
        let mut edited = doc.clone();
        let (session, source) = (session(), ProfileName::default_profile());
        let entries = SessionEntries::plain(&session, &source);
        write_session(&mut edited, at, &target, &entries);
        let out = edited.render();

        let starts = line_starts(&text);
        match at {
            Some(at) => {
                // 1-based header lines: the body starts on the line after the header, the
                // section ends where the next header starts.
                let header = doc.section(at).line();
                let next = doc.sections().map(|s| s.line()).find(|&l| l > header);
                let body = starts[header];
                let end = next.map_or(text.len(), |n| starts[n - 1]);
                prop_assert!(
                    out.starts_with(&text[..body]),
                    "bytes before the section changed"
                );
                prop_assert!(
                    out.ends_with(&text[end..]),
                    "bytes after the section changed"
                );
            }
            None => {
                let kept = if text.is_empty() || text.ends_with('\n') {
                    text.clone()
                } else {
                    format!("{text}{}", doc.eol().as_str())
                };
                prop_assert!(
                    out.starts_with(&kept),
                    "an appended section changed earlier bytes"
                );
            }
        }

        let read = |t: &str| {
            SharedFiles {
                credentials: t.to_owned(),
                config: String::new(),
            }
            .profiles()
        };
        let (Ok(before), Ok(after)) = (read(&text), read(&out)) else {
            prop_assert!(
                read(&text).is_err(),
                "the edit made the file unreadable to the SDK"
            );
            return Ok(Outcome::Refused);
        };
        for name in before.profiles().filter(|p| *p != "mfa") {
            prop_assert_eq!(
                before.get_profile(name),
                after.get_profile(name),
                "[{}] changed",
                name
            );
        }
        let mfa = after.get_profile("mfa").unwrap();
        prop_assert_eq!(mfa.get("aws_session_token"), Some(TOKEN));
        prop_assert_eq!(mfa.get("aws_secret_access_key"), Some(SECRET));
        Ok(if at.is_some() {
            Outcome::Rewritten
        } else {
            Outcome::Appended
        })
    }
}

proptest! {
    /// The editor alone, on arbitrary bytes: whatever it accepts, it renders back unchanged.
    #[test]
    fn parse_then_render_is_the_identity_on_arbitrary_bytes(
        bytes in prop::collection::vec(
            prop_oneof![
                8 => prop::sample::select(b"[]=#; \t\r\nabcAB_-./\xc3\xa9\x00".to_vec()),
                1 => any::<u8>(),
            ],
            0..200,
        )
    ) {
        if let Ok(doc) = Document::parse(&bytes) {
            let rendered = doc.render();
            prop_assert_eq!(rendered.as_bytes(), &bytes[..]);
        }
    }
}
