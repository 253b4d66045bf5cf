//! The editor against outside references: the cross-SDK profile-parser suite (read by the
//! Rust SDK's own parser) and the inputs on which botocore and the Rust SDK were observed to
//! differ (read by real botocore). Data: fixtures/conformance/ (see its SOURCES.md).

use crate::support::readers::*;
use mfa_profile::ini::{Document, ParseErrorKind};
use mfa_profile::profile::{
    find_section, locate_target, write_session, FileKind, ProfileName, SessionEntries, SharedFiles,
};
use mfa_profile::{Secret, SessionCredentials};
use std::collections::BTreeMap;

const ENTRIES: [(&str, &str); 5] = [
    ("aws_access_key_id", "ASIANEWKEYEXAMPLE"),
    ("aws_secret_access_key", "newSecretEXAMPLE/key+1"),
    ("aws_session_token", "FwoGZXIvYXdzEXAMPLEtoken//+=="),
    ("expiration", "2030-01-01T00:00:00Z"),
    ("mfa_source_profile", "default"),
];

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/fixtures/conformance/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn sdk_profiles(credentials: &str) -> Result<mfa_profile::profile::ProfileSet, String> {
    SharedFiles {
        credentials: credentials.into(),
        config: String::new(),
    }
    .profiles()
    .map_err(|e| e.to_string())
}

/// Applies a refresh's edit to `target` in `text`; `None` when the editor refuses.
fn edit(text: &[u8], target: &str) -> Option<String> {
    let mut doc = Document::parse(text).ok()?;
    let name = ProfileName::new(target).ok()?;
    let at = locate_target(&doc, &name).ok()?.map(|(id, _)| id);
    let session = SessionCredentials {
        access_key_id: ENTRIES[0].1.into(),
        secret_access_key: Secret::new(ENTRIES[1].1),
        session_token: Secret::new(ENTRIES[2].1),
        expires_at: 1_893_456_000, // ENTRIES[3]
    };
    let source = ProfileName::new(ENTRIES[4].1).unwrap();
    let entries = SessionEntries::plain(&session, &source);
    write_session(&mut doc, at, &name, &entries);
    Some(doc.render())
}

#[test]
fn cross_sdk_parser_suite() {
    let suite = fixture("profile-parser-tests.json");
    let (mut files, mut edits, mut refused) = (0, 0, 0);
    for test in suite["tests"].as_array().unwrap() {
        let name = test["name"].as_str().unwrap();
        for kind in ["configFile", "credentialsFile"] {
            let Some(text) = test["input"][kind].as_str() else {
                continue;
            };
            files += 1;
            // Every input is also read as a credentials file: the line syntax is the same.
            let before = sdk_profiles(text);
            let ours = Document::parse(text.as_bytes());
            match (&before, &ours) {
                (Err(sdk), Ok(_)) => {
                    panic!("{name}: the SDK rejects this {kind} ({sdk}) but the editor accepts it")
                }
                (Ok(_), Err(e)) => assert!(
                    matches!(
                        e.kind,
                        ParseErrorKind::LoneCarriageReturn | ParseErrorKind::NulByte
                    ),
                    "{name}: the editor rejects a {kind} the SDK reads: {e}"
                ),
                _ => {}
            }
            let (Ok(before), Ok(doc)) = (before, ours) else {
                continue;
            };
            assert_eq!(doc.render(), text, "{name}: round trip");
            let mut targets: Vec<String> = before.profiles().map(str::to_owned).collect();
            targets.push("zz-new".into());
            for target in targets {
                if ProfileName::new(&target).is_err() {
                    continue;
                }
                let Some(after_text) = edit(text.as_bytes(), &target) else {
                    refused += 1;
                    continue;
                };
                edits += 1;
                let after = sdk_profiles(&after_text).unwrap_or_else(|e| {
                    panic!("{name}: edited [{target}] unreadable to the SDK: {e}\n{after_text}")
                });
                for other in before.profiles().filter(|p| *p != target) {
                    assert_eq!(
                        before.get_profile(other),
                        after.get_profile(other),
                        "{name}: [{other}] changed when [{target}] was edited"
                    );
                }
                let edited = after.get_profile(&target).unwrap();
                for (key, value) in ENTRIES {
                    assert_eq!(edited.get(key), Some(value), "{name}: [{target}] {key}");
                }
                if let Some(old) = before.get_profile(&target) {
                    let doc = Document::parse(text.as_bytes()).unwrap();
                    let name = ProfileName::new(&target).unwrap();
                    let at = find_section(&doc, FileKind::Credentials, &name)
                        .unwrap()
                        .unwrap();
                    for entry in doc.section(at).entries() {
                        let key = entry.key().to_ascii_lowercase();
                        if !ENTRIES.iter().any(|(k, _)| *k == key) {
                            assert_eq!(
                                old.get(&key),
                                edited.get(&key),
                                "{name}: [{target}] kept key {key}"
                            );
                        }
                    }
                }
            }
        }
    }
    eprintln!("cross-SDK suite: {files} files, {edits} edits checked, {refused} refused");
    assert!(
        files >= 65 && edits >= 60,
        "{files} files, {edits} edits: the suite did not run"
    );
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The observed inputs (credentials files on which botocore and the Rust SDK were seen to
/// differ), each as bytes.
fn observed_inputs() -> Vec<(String, Vec<u8>)> {
    let observed = fixture("observed/botocore-vs-rust-sdk.json");
    observed["credentials_file_cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let name = case["name"].as_str().unwrap().to_owned();
            let bytes = match case["input"]["text"].as_str() {
                Some(text) => text.as_bytes().to_vec(),
                None => hex(case["input"]["bytes_hex"].as_str().unwrap()),
            };
            (name, bytes)
        })
        .collect()
}

#[test]
fn all_three_readers_read_the_same_target_after_every_accepted_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let mut labels = Vec::new();
    let mut refused = BTreeMap::new();
    for (name, bytes) in observed_inputs() {
        for target in ["default", "mfa"] {
            let Some(after) = edit(&bytes, target) else {
                refused
                    .entry(target)
                    .or_insert_with(Vec::new)
                    .push(name.clone());
                continue;
            };
            let input = dir.path().join(format!("{name}-{target}.in"));
            let output = dir.path().join(format!("{name}-{target}.out"));
            std::fs::write(&input, &bytes).unwrap();
            std::fs::write(&output, &after).unwrap();
            inputs.push(input);
            outputs.push(output);
            labels.push((name.clone(), target, after));
        }
    }
    let (Some(botocore_before), Some(botocore), Some(js)) = (
        botocore_read(&inputs),
        botocore_read(&outputs),
        js_read(&outputs),
    ) else {
        return;
    };
    let want = (
        Some(ENTRIES[0].1.to_owned()),
        Some(ENTRIES[1].1.to_owned()),
        Some(ENTRIES[2].1.to_owned()),
    );
    for (i, (name, target, after)) in labels.iter().enumerate() {
        let rust = rust_read(after);
        assert_eq!(
            sdk_triple(&rust, target),
            want,
            "{name} [{target}]: the Rust SDK"
        );
        assert_eq!(
            sdk_triple(&js[i], target),
            want,
            "{name} [{target}]: the JavaScript SDK\n{after}"
        );
        // A file botocore could not read before may stay unreadable to it (mfa-profile warns).
        if botocore_before[i].profiles().is_some() {
            assert_eq!(
                botocore_triple(&botocore[i], target),
                want,
                "{name} [{target}]: botocore\n{after}"
            );
        }
    }
    eprintln!(
        "observed inputs: {} edits read alike by all three readers; refused: {refused:?}",
        labels.len()
    );
    assert!(labels.len() >= 80, "only {} edits accepted", labels.len());
}

#[test]
fn botocore_fixtures_round_trip_or_are_refused_for_a_reason() {
    let dir = format!(
        "{}/fixtures/conformance/botocore-cfg",
        env!("CARGO_MANIFEST_DIR")
    );
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        match Document::parse(&bytes) {
            Ok(doc) => assert_eq!(doc.render().as_bytes(), bytes, "{name}"),
            Err(e) => assert!(
                matches!(
                    name.as_str(),
                    "aws_config_badbytes"
                        | "aws_config_bad"
                        | "aws_credentials"
                        | "aws_config_nested_bad"
                        | "boto_config"
                ),
                "{name} refused: {e}"
            ),
        }
    }
}

/// The refresh hands the SDK's parser only the source's sections; on every input of the
/// suite, in both file kinds, it must read each profile exactly as from the whole file.
#[test]
fn the_sdk_reads_a_profile_from_its_sections_as_from_the_whole_file() {
    use mfa_profile::profile::sections_for_profiles;
    let suite = fixture("profile-parser-tests.json");
    let mut compared = 0;
    for test in suite["tests"].as_array().unwrap() {
        let name = test["name"].as_str().unwrap();
        let credentials = test["input"]["credentialsFile"].as_str().unwrap_or("");
        let config = test["input"]["configFile"].as_str().unwrap_or("");
        let (Ok(cred_doc), Ok(config_doc)) = (
            Document::parse(credentials.as_bytes()),
            Document::parse(config.as_bytes()),
        ) else {
            continue;
        };
        let whole = SharedFiles {
            credentials: credentials.into(),
            config: config.into(),
        };
        let Ok(all) = whole.profiles() else { continue };
        for profile in all.profiles() {
            let part = SharedFiles {
                credentials: sections_for_profiles(&cred_doc, &[profile]),
                config: sections_for_profiles(&config_doc, &[profile]),
            };
            let part = part
                .profiles()
                .unwrap_or_else(|e| panic!("{name}: [{profile}] sections unreadable: {e}"));
            assert_eq!(
                all.get_profile(profile),
                part.get_profile(profile),
                "{name}: [{profile}]"
            );
            compared += 1;
        }
    }
    assert!(compared >= 50, "only {compared} profiles compared");
}

/// The JavaScript SDK reads every observed input as recorded in
/// fixtures/conformance/observed/js-sdk.json (the JS column of docs/conformance.md).
#[test]
fn the_javascript_sdk_still_reads_the_observed_inputs_as_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<(String, std::path::PathBuf)> = observed_inputs()
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(&name);
            std::fs::write(&path, bytes).unwrap();
            (name, path)
        })
        .collect();
    let paths: Vec<_> = inputs.iter().map(|(_, p)| p.clone()).collect();
    let Some(read) = js_read(&paths) else { return };
    let recorded = fixture("observed/js-sdk.json");
    let recorded = recorded["credentials_file_cases"].as_array().unwrap();
    assert_eq!(recorded.len(), inputs.len());
    for ((name, _), (seen, want)) in inputs.iter().zip(read.iter().zip(recorded)) {
        assert_eq!(want["name"], name.as_str());
        let want: Reading = serde_json::from_value(want["js_sdk"]["profiles"].clone()).unwrap();
        assert_eq!(seen.profiles(), Some(&want), "{name}");
    }
}
