//! The three readers of both shared files at once, for the tests of commands that rewrite
//! sections in either file (rotate, setup, device discovery): botocore, the Rust SDK's parser
//! and the JavaScript SDK's, each reading the credentials file and the config file on its own,
//! keys lower-cased (the JavaScript SDK keeps their case).

use crate::support::readers::{botocore_read, Read, Reading};
use crate::support::*;
use mfa_profile::profile::SharedFiles;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// `reader file` → profile → key → value.
pub type Readings = BTreeMap<String, Reading>;

fn lower(reading: &Reading) -> Reading {
    reading
        .iter()
        .map(|(profile, keys)| {
            let keys = keys
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect();
            (profile.clone(), keys)
        })
        .collect()
}

fn rust_reading(credentials: &str, config: &str) -> Reading {
    let files = SharedFiles {
        credentials: credentials.into(),
        config: config.into(),
    };
    let set = files
        .profiles()
        .unwrap_or_else(|e| panic!("the Rust SDK cannot parse the files: {e}"));
    let candidates: Vec<String> = format!("{credentials}\n{config}")
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, _)| key.trim().to_ascii_lowercase())
        .collect();
    set.profiles()
        .map(|name| {
            let profile = set.get_profile(name).unwrap();
            let keys = candidates
                .iter()
                .filter_map(|k| Some((k.clone(), profile.get(k)?.to_owned())))
                .collect();
            (name.to_owned(), keys)
        })
        .collect()
}

fn js_reading(credentials: &Path, config: &Path) -> Option<(Reading, Reading)> {
    if !super::readers::js_reader_installed() {
        return None;
    }
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js"));
    let env = TestEnv::new();
    let mut child = env
        .command("node")
        .arg(dir.join("read.js"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let job = serde_json::json!([{ "credentials": credentials, "config": config }]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(job.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let read = |which: &str| -> Reading {
        value[0][which]
            .as_object()
            .unwrap()
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
            .collect()
    };
    Some((read("credentials"), read("config")))
}

/// Every reader's reading of both files of `env`; `None` (skip) when python3 or node is
/// missing outside CI.
pub fn readings(env: &TestEnv) -> Option<Readings> {
    let (credentials, config) = (env.credentials(), env.config());
    let boto = botocore_read(&[credentials.clone(), config.clone()])?;
    let (js_credentials, js_config) = js_reading(&credentials, &config)?;
    let mut out = Readings::new();
    for (name, read) in [
        ("botocore credentials", &boto[0]),
        ("botocore config", &boto[1]),
    ] {
        match read {
            Read::Profiles(reading) => out.insert(name.into(), lower(reading)),
            Read::Error(e) => panic!("{name}: {e}"),
        };
    }
    let text = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    out.insert(
        "rust merged".into(),
        rust_reading(&text(&credentials), &text(&config)),
    );
    out.insert("js credentials".into(), lower(&js_credentials));
    out.insert("js config".into(), lower(&js_config));
    Some(out)
}

/// `readings` with every value equal to a `from` of `pairs` replaced by its `to`.
pub fn substituted(readings: &Readings, pairs: &[(&str, &str)]) -> Readings {
    readings
        .iter()
        .map(|(reader, reading)| {
            let reading = reading
                .iter()
                .map(|(profile, keys)| {
                    let keys = keys
                        .iter()
                        .map(|(k, v)| {
                            let v = pairs
                                .iter()
                                .find(|(from, _)| v == from)
                                .map_or_else(|| v.clone(), |(_, to)| (*to).to_owned());
                            (k.clone(), v)
                        })
                        .collect();
                    (profile.clone(), keys)
                })
                .collect();
            (reader.clone(), reading)
        })
        .collect()
}
