//! The three readers a credentials file must satisfy, run for real: botocore (the AWS CLI and
//! boto3), the AWS SDK for Rust's parser (aws-config, the SDKs' shared rules) and the AWS SDK
//! for JavaScript v3's (`@smithy/shared-ini-file-loader`, installed in tests/js by
//! scripts/test.sh). Each gives a [`Reading`]: profile → key → value, or the error that makes
//! the file unusable to it.

use crate::support::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

/// Profile → key → value.
pub type Reading = BTreeMap<String, BTreeMap<String, String>>;

/// What one reader made of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// The profiles it sees.
    Profiles(Reading),
    /// It cannot read the file at all.
    Error(String),
}

impl Read {
    /// The profiles, when the file was readable.
    pub fn profiles(&self) -> Option<&Reading> {
        match self {
            Read::Profiles(profiles) => Some(profiles),
            Read::Error(_) => None,
        }
    }
}

/// The credentials a reader takes from a profile: key id, secret, token.
pub type Triple = (Option<String>, Option<String>, Option<String>);

/// The Rust SDK's reading of a credentials file.
pub fn rust_read(credentials: &str) -> Read {
    let files = mfa_profile::profile::SharedFiles {
        credentials: credentials.into(),
        config: String::new(),
    };
    match files.profiles() {
        Err(e) => Read::Error(e.to_string()),
        Ok(set) => {
            // The parser lists no keys: ask it for every key the text could hold.
            let candidates: Vec<String> = credentials
                .lines()
                .filter_map(|line| line.split_once('='))
                .map(|(key, _)| key.trim().to_ascii_lowercase())
                .collect();
            Read::Profiles(
                set.profiles()
                    .map(|name| {
                        let profile = set.get_profile(name).unwrap();
                        let keys = candidates
                            .iter()
                            .filter_map(|k| Some((k.clone(), profile.get(k)?.to_owned())))
                            .collect();
                        (name.to_owned(), keys)
                    })
                    .collect(),
            )
        }
    }
}

/// The credentials each SDK-style reader takes: the keys as named (the JavaScript SDK matches
/// case-sensitively; the Rust SDK has lower-cased them already).
pub fn sdk_triple(read: &Read, profile: &str) -> Triple {
    let get = |key: &str| {
        read.profiles()
            .and_then(|p| p.get(profile))
            .and_then(|p| p.get(key))
            .cloned()
    };
    (
        get("aws_access_key_id"),
        get("aws_secret_access_key"),
        get("aws_session_token"),
    )
}

/// botocore's credentials from a profile: the token from `aws_security_token` first.
pub fn botocore_triple(read: &Read, profile: &str) -> Triple {
    let get = |key: &str| {
        read.profiles()
            .and_then(|p| p.get(profile))
            .and_then(|p| p.get(key))
            .cloned()
    };
    (
        get("aws_access_key_id"),
        get("aws_secret_access_key"),
        get("aws_security_token").or_else(|| get("aws_session_token")),
    )
}

const BOTOCORE_READER: &str = r#"
import json, sys
from botocore.configloader import raw_config_parse
out = []
for path in json.load(sys.stdin):
    try:
        sections = raw_config_parse(path)
    except Exception as e:
        out.append({"error": type(e).__name__})
        continue
    out.append({"profiles": {name: {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True)
                                    for k, v in keys.items()}
                             for name, keys in sections.items()}})
print(json.dumps(out))
"#;

/// botocore's reading (`raw_config_parse`, as `SharedCredentialProvider` reads the
/// credentials file) of each file, in one Python process. `None` (skip) without python3
/// outside CI.
pub fn botocore_read(paths: &[PathBuf]) -> Option<Vec<Read>> {
    if !require("python3") {
        return None;
    }
    Some(batch("python3", &["-c", BOTOCORE_READER], paths, |p| {
        serde_json::json!(p)
    }))
}

fn js_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js"))
}

/// Whether node and the JavaScript SDK's parser (tests/js/node_modules) are here; if not, the
/// test is skipped loudly (under `CI=true`, it fails).
pub fn js_reader_installed() -> bool {
    if !require("node") {
        return false;
    }
    let installed = js_dir()
        .join("node_modules/@smithy/shared-ini-file-loader")
        .is_dir();
    if !installed {
        skipped(
            &current_test(),
            "tests/js/node_modules missing (`npm ci --prefix tests/js` installs it)",
        );
    }
    installed
}

/// The JavaScript SDK's reading of each file as the credentials file, in one node process.
/// `None` (skip) without node and the package outside CI.
pub fn js_read(paths: &[PathBuf]) -> Option<Vec<Read>> {
    if !js_reader_installed() {
        return None;
    }
    let empty = tempfile::NamedTempFile::new().unwrap();
    let script = js_dir().join("read.js");
    let script = script.to_str().unwrap();
    Some(batch(
        "node",
        &[script],
        paths,
        |p| serde_json::json!({"credentials": p, "config": empty.path()}),
    ))
}

fn batch(
    program: &str,
    args: &[&str],
    paths: &[PathBuf],
    job: impl Fn(&PathBuf) -> serde_json::Value,
) -> Vec<Read> {
    let env = TestEnv::new();
    let input: Vec<serde_json::Value> = paths.iter().map(job).collect();
    let mut child = env
        .command(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let body = serde_json::to_vec(&input).unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{program} reader failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    results.iter().map(to_read).collect()
}

fn to_read(value: &serde_json::Value) -> Read {
    if let Some(error) = value.get("error") {
        return Read::Error(error.as_str().unwrap_or("error").to_owned());
    }
    let profiles = value
        .get("profiles")
        .or_else(|| value.get("credentials"))
        .and_then(|p| p.as_object())
        .expect("profiles");
    Read::Profiles(
        profiles
            .iter()
            .map(|(name, keys)| {
                let keys = keys
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect();
                (name.clone(), keys)
            })
            .collect(),
    )
}
