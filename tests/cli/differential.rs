//! A differential test of a refresh against the three real readers: a seeded generator of
//! credentials files (what real users have, and adversarial ones), a refresh of each against
//! the stand-in, and botocore, the Rust SDK and the JavaScript SDK reading each file before
//! and after.
//!
//! It fails on: a panic or an unexpected exit code; a refused file that changed; on an
//! accepted file, any reader not reading the new session in the target, any other profile
//! that a reader reads differently with the target in the file than without it, a file the
//! Rust SDK cannot read afterwards, a file botocore could read before and cannot after, a
//! missing or a false warning. It counts over-refusals: refused files that all three readers
//! read alike (the same keys and values in the target, no reader failing), refusals made to
//! keep long-term keys aside.
//!
//! `DIFFERENTIAL_FILES` (default 300) and `DIFFERENTIAL_SEED` set the run; a million files:
//! `DIFFERENTIAL_FILES=1000000 cargo test --release --test cli differential -- --nocapture`
//! (about 15 ms a file on two cores; files are checked in batches of 500).

use crate::support::readers::*;
use crate::support::*;
use mfa_profile::ini::Document;
use mfa_profile::profile::{find_section, FileKind, ProfileName};
use std::collections::BTreeMap;
use std::path::PathBuf;

const TARGET: &str = "mfa";
const SOURCE: &str = "[profile src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";

/// xorshift64*: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    /// A generator from any seed, scrambled by splitmix64 so near seeds give unrelated files.
    fn seeded(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: [&str; 12] = [
    "default",
    "work",
    "other",
    "a",
    "x-y",
    "prod/eu",
    "dev.1",
    "my profile",
    "prodé",
    "DEFAULT",
    "mfa-old",
    "team@acme",
];
const KEYS: [&str; 16] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "region",
    "output",
    "expiration",
    "mfa_serial",
    "x",
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
    "Region",
    "s3",
    "key with space",
    "mfa_source_profile",
    "sso_start_url",
];
const VALUES: [&str; 14] = [
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "eu-west-1",
    "json",
    "a=b",
    "v # note",
    "v;x",
    "v ;x",
    "https://example.awsapps.com/start#/",
    "café",
    "",
    "2026-11-24 07:00:00",
    "2099-01-01T00:00:00Z",
    "True",
];

/// One generated line, without its ending.
fn line(rng: &mut Rng, after_property: bool) -> String {
    match rng.below(100) {
        0..=54 => property(rng),
        55..=64 => String::new(),
        65..=72 => rng
            .pick(&["# a comment", "; note", "#", "# [mfa]"])
            .to_owned(),
        73..=80 if after_property => rng
            .pick(&[
                "  more",
                "  # indented comment",
                "\tk = v",
                "  [x]",
                "  aws_session_token = old",
                "  [mfa]",
            ])
            .to_owned(),
        81..=83 => rng
            .pick(&["  indented = key", "\u{a0}x = 1", "k: v", "novalue"])
            .to_owned(),
        _ => property(rng),
    }
}

fn property(rng: &mut Rng) -> String {
    let key = if rng.chance(3) {
        "a:b"
    } else {
        rng.pick(&KEYS)
    };
    let sep = rng.pick(&[" = ", "=", " =", "\t=\t", " =  "]);
    let value = if rng.chance(3) {
        "V".repeat(300)
    } else {
        rng.pick(&VALUES).to_owned()
    };
    format!("{key}{sep}{value}")
}

fn header(rng: &mut Rng, name: &str) -> String {
    match rng.below(100) {
        0..=74 => format!("[{name}]"),
        75..=79 => format!("[{name}] # comment"),
        80..=83 => format!("[{name}]#c"),
        84..=86 => format!("[{name}];c"),
        87..=89 => format!("[ {name} ]"),
        90..=92 => format!("[profile {name}]"),
        93 => "[]".to_owned(),
        94 => "[__proto__]".to_owned(),
        95..=96 => format!("  [{name}]"),
        _ => format!("[{name}] junk"),
    }
}

/// The target section: absent, or in one of the shapes users and other tools leave.
fn target(rng: &mut Rng) -> Vec<String> {
    let shapes: [&[&str]; 9] = [
        &[],
        &[
            "aws_access_key_id = ASIAOLD",
            "aws_secret_access_key = old",
            "aws_session_token = old",
            "expiration = 2001-01-01T00:00:00Z",
            "mfa_source_profile = src",
        ],
        // broamski/aws-mfa's layout
        &[
            "assumed_role = False",
            "aws_access_key_id = ASIAOLD",
            "aws_secret_access_key = old",
            "aws_session_token = old",
            "aws_security_token = old",
            "expiration = 2026-11-24 07:00:00",
        ],
        &[
            "AWS_ACCESS_KEY_ID = ASIAOLD",
            "AWS_SECRET_ACCESS_KEY = old",
            "AWS_SESSION_TOKEN = old",
        ],
        &[
            "aws_access_key_id = AKIALONGTERMEXAMPLE",
            "aws_secret_access_key = longterm",
        ],
        &["region = eu-west-1", "output = json"],
        &["aws_session_token = old", "  more"],
        &["aws_session_token = old # stale"],
        &["s3 =", "  addressing_style = path", "aws_session_token ="],
    ];
    let shape = shapes[rng.below(shapes.len())];
    let mut lines = vec![header(rng, TARGET)];
    lines.extend(shape.iter().map(|l| l.to_string()));
    if rng.chance(20) {
        let extra = line(rng, true);
        lines.push(extra);
    }
    lines
}

/// One credentials file.
fn file(rng: &mut Rng) -> Vec<u8> {
    let mut lines: Vec<String> = Vec::new();
    if rng.chance(40) {
        lines.push("# credentials of the team".into());
    }
    let sections = rng.below(6);
    let target_at = if rng.chance(70) {
        Some(rng.below(sections + 1))
    } else {
        None
    };
    let mut used: Vec<&str> = Vec::new();
    for index in 0..=sections {
        if target_at == Some(index) {
            lines.extend(target(rng));
        }
        if index == sections {
            break;
        }
        let name = match used.last() {
            Some(last) if rng.chance(5) => last,
            _ => rng.pick(&NAMES),
        };
        used.push(name);
        lines.push(header(rng, name));
        let mut after_property = false;
        for _ in 0..rng.below(6) {
            let next = line(rng, after_property);
            after_property = next.contains('=');
            lines.push(next);
        }
    }
    let crlf = rng.below(3);
    let mut text = String::new();
    let count = lines.len();
    let final_eol = rng.chance(85);
    for (i, l) in lines.iter().enumerate() {
        text.push_str(l);
        if i + 1 < count || final_eol {
            let use_crlf = crlf == 1 || (crlf == 2 && rng.chance(50));
            text.push_str(if use_crlf { "\r\n" } else { "\n" });
        }
    }
    text.into_bytes()
}

/// The text without the target section (the SDKs' view of where it starts and ends).
fn without_target(text: &str) -> String {
    let Ok(doc) = Document::parse(text.as_bytes()) else {
        return text.to_owned();
    };
    let name = ProfileName::new(TARGET).unwrap();
    let Ok(Some(id)) = find_section(&doc, FileKind::Credentials, &name) else {
        return text.to_owned();
    };
    let first = doc.section(id).line();
    let next = doc.sections().map(|s| s.line()).find(|&l| l > first);
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i + 1 < first || next.is_some_and(|n| *i + 1 >= n))
        .map(|(_, l)| l)
        .collect()
}

/// One file's run.
struct Case {
    before: Vec<u8>,
    after: Vec<u8>,
    out: Run,
    /// The session STS issued for the run, if it got that far.
    session: Option<Triple>,
}

#[derive(Default, Debug)]
struct Tally {
    files: usize,
    accepted: usize,
    refused: usize,
    refused_long_term: usize,
    over_refused: usize,
    warned: usize,
}

#[test]
fn a_refresh_is_read_alike_by_botocore_the_rust_sdk_and_the_javascript_sdk() {
    require!("python3");
    if !js_reader_installed() {
        return;
    }
    let files: usize = std::env::var("DIFFERENTIAL_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("DIFFERENTIAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    // Hundreds of refreshes with one code, on one device: the stand-in takes it every time.
    let aws = StandIn::start();
    aws.set_codes(Codes::AnyTime);
    let mut rng = Rng::seeded(seed);
    let mut tally = Tally::default();
    let mut over_refused = Vec::new();
    let mut done = 0;
    while done < files {
        let batch = (files - done).min(500);
        let cases: Vec<Case> = (0..batch).map(|_| refresh(&aws, file(&mut rng))).collect();
        check(&cases, &mut tally, &mut over_refused);
        done += batch;
    }
    eprintln!("differential: {tally:?}");
    for (reason, text) in over_refused.iter().take(5) {
        eprintln!("over-refused: {reason}\n{text}");
    }
    assert!(
        tally.accepted > files / 4 && tally.refused > files / 10,
        "{tally:?}"
    );
    assert!(
        tally.over_refused * 20 <= tally.refused,
        "more than 5% of the refusals are over-refusals: {tally:?}"
    );
}

fn refresh(aws: &StandIn, before: Vec<u8>) -> Case {
    let env = TestEnv::new();
    env.write_credentials(&before);
    env.write_config(SOURCE);
    let issued = aws.issued_keys().len();
    // The exit code is judged by `check` (0 or 2: generated input).
    let out = run(&mut Test::on(&env)
        .args([
            "-s",
            "src",
            "-t",
            TARGET,
            "--force",
            "--no-config",
            "123456",
            "--endpoint-url",
            &aws.url(),
        ])
        .command());
    let session = aws.issued_keys().get(issued).map(|key_id| {
        let n: u64 = key_id["ASIASTANDIN".len()..]
            .parse()
            .expect("a numbered session");
        let session = crate::support::standin::numbered(n, "");
        (
            Some(session.key_id),
            Some(session.secret),
            Some(session.token),
        )
    });
    Case {
        after: env.read_credentials(),
        before,
        out,
        session,
    }
}

/// botocore's and the JavaScript SDK's readings of a batch: for case `i`, its file before
/// (0), after (1), and after without the target (2).
struct Readings {
    botocore: Vec<Read>,
    js: Vec<Read>,
}

impl Readings {
    fn botocore(&self, case: usize, which: usize) -> &Read {
        &self.botocore[3 * case + which]
    }

    fn js(&self, case: usize, which: usize) -> &Read {
        &self.js[3 * case + which]
    }
}

/// Reads every before, after and after-without-target file with the three readers and checks
/// each case.
fn check(cases: &[Case], tally: &mut Tally, over_refused: &mut Vec<(String, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let after = String::from_utf8_lossy(&case.after).into_owned();
        for (kind, bytes) in [
            ("before", case.before.clone()),
            ("after", case.after.clone()),
            ("stripped", without_target(&after).into_bytes()),
        ] {
            let path = dir.path().join(format!("{i}.{kind}"));
            std::fs::write(&path, bytes).unwrap();
            paths.push(path);
        }
    }
    let readings = Readings {
        botocore: botocore_read(&paths).expect("python3"),
        js: js_read(&paths).expect("the JavaScript SDK's reader (checked before the run)"),
    };
    for (i, case) in cases.iter().enumerate() {
        tally.files += 1;
        let context = format!(
            "--- input ---\n{}\n{}",
            String::from_utf8_lossy(&case.before).escape_debug(),
            case.out
        );
        assert!(
            !case.out.stderr.contains("panicked") && matches!(case.out.code, 0 | 2),
            "unexpected exit\n{context}"
        );
        if case.out.code == 2 {
            check_refused(case, &readings, i, tally, over_refused, &context);
        } else {
            check_accepted(case, &readings, i, tally, &context);
        }
    }
}

/// A refused file is unchanged; it is an over-refusal when all three readers read the target
/// alike and the refusal was not to keep long-term keys aside.
fn check_refused(
    case: &Case,
    readings: &Readings,
    i: usize,
    tally: &mut Tally,
    over_refused: &mut Vec<(String, String)>,
    context: &str,
) {
    tally.refused += 1;
    assert_eq!(case.after, case.before, "a refused file changed\n{context}");
    if case.out.stderr.contains("long-term keys") {
        tally.refused_long_term += 1;
        return;
    }
    let before = String::from_utf8_lossy(&case.before).into_owned();
    let (b, r, j) = (
        readings.botocore(i, 0),
        rust_read(&before),
        readings.js(i, 0),
    );
    let target = |read: &Read| read.profiles().map(|p| p.get(TARGET).cloned());
    let alike = b.profiles().is_some()
        && r.profiles().is_some()
        && target(b) == target(&r)
        && target(j) == target(&r);
    if alike {
        tally.over_refused += 1;
        let reason = case
            .out
            .stderr
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        over_refused.push((reason, before));
    }
}

/// An accepted file: every reader reads the new session in the target, and every other
/// profile as it reads it without the target; warnings exactly where a reader fails.
fn check_accepted(case: &Case, readings: &Readings, i: usize, tally: &mut Tally, context: &str) {
    tally.accepted += 1;
    let after = String::from_utf8_lossy(&case.after).into_owned();
    let stripped = without_target(&after);
    let (rust_after, rust_stripped) = (rust_read(&after), rust_read(&stripped));
    assert!(
        rust_after.profiles().is_some(),
        "the SDK cannot read the result\n{context}"
    );
    let warned_cli = case.out.stderr.contains("the AWS CLI cannot read");
    let warned_js = case
        .out
        .stderr
        .contains("the AWS SDK for JavaScript reads nothing");
    tally.warned += usize::from(warned_cli || warned_js);
    let (boto_before, boto_after) = (readings.botocore(i, 0), readings.botocore(i, 1));
    assert_eq!(
        warned_cli,
        boto_after.profiles().is_none(),
        "the AWS CLI warning does not match botocore\n{context}"
    );
    if boto_before.profiles().is_some() {
        assert!(
            boto_after.profiles().is_some(),
            "botocore could read it before\n{context}"
        );
    }
    let js_after = readings.js(i, 1);
    let js_empty = js_after.profiles().is_some_and(BTreeMap::is_empty);
    assert_eq!(
        warned_js, js_empty,
        "the JavaScript warning does not match\n{context}"
    );
    let unstable = merged_in_hash_order(&after);
    let mut readers = vec![(
        "rust",
        sdk_triple(&rust_after, TARGET),
        drop_profiles(&rust_after, &unstable),
        drop_profiles(&rust_stripped, &unstable),
    )];
    if !warned_js {
        readers.push((
            "js",
            sdk_triple(js_after, TARGET),
            js_after.clone(),
            readings.js(i, 2).clone(),
        ));
    }
    if !warned_cli {
        let without = readings.botocore(i, 2).clone();
        readers.push((
            "botocore",
            botocore_triple(boto_after, TARGET),
            boto_after.clone(),
            without,
        ));
    }
    for (reader, triple, with_target, without) in readers {
        assert_eq!(
            Some(&triple),
            case.session.as_ref(),
            "{reader} reads another session\n{context}\n{after}"
        );
        assert_eq!(
            others(&with_target),
            others(&without),
            "{reader} reads another profile differently with the target there\n{context}\n{after}"
        );
    }
}

/// Profiles the Rust SDK builds from sections whose headers differ only by the blanks it trims
/// (`[ a ]` and `[a]`): it merges them in hash-map order, so which value wins changes from one
/// parse to the next. Its reading of them is compared with nothing.
fn merged_in_hash_order(text: &str) -> Vec<String> {
    let Ok(doc) = Document::parse(text.as_bytes()) else {
        return Vec::new();
    };
    let mut spellings: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for section in doc.sections() {
        let header = section.header();
        let raw = header[1..header.rfind(']').unwrap_or(header.len())].to_owned();
        spellings
            .entry(section.name().to_owned())
            .or_default()
            .insert(raw);
    }
    spellings
        .into_iter()
        .filter(|(_, raw)| raw.len() > 1)
        .map(|(name, _)| name)
        .collect()
}

fn drop_profiles(read: &Read, names: &[String]) -> Read {
    match read {
        Read::Profiles(profiles) => Read::Profiles(
            profiles
                .iter()
                .filter(|(name, _)| !names.contains(name))
                .map(|(name, keys)| (name.clone(), keys.clone()))
                .collect(),
        ),
        error => error.clone(),
    }
}

/// Every profile but the target.
fn others(read: &Read) -> Option<Reading> {
    read.profiles().map(|profiles| {
        profiles
            .iter()
            .filter(|(name, _)| name.as_str() != TARGET)
            .map(|(name, keys)| (name.clone(), keys.clone()))
            .collect()
    })
}
