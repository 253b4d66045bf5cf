//! A rotation killed at every step, and at random moments: the files always hold a working
//! key, no key exists in IAM whose secret is lost without the files saying so, and the next
//! `rotate` finishes the job.

use crate::support::rotation::{config, credentials, start, NEW_KEYS, OLD, OLD_SECRET};
use crate::support::*;
use mfa_profile::ini::Document;
use mfa_profile::profile::{MFA_NEW_ACCESS_KEY_ID, MFA_ROTATION_STARTED};
use std::collections::BTreeMap;

/// What the files say after a crash: the key the SDKs use for [default], and the record.
#[derive(Debug)]
struct Files {
    key: String,
    secret: String,
    started: bool,
    pending: Option<String>,
    old_recorded: bool,
    config_key: String,
}

fn files_of(env: &TestEnv) -> Files {
    let credentials = env.read_credentials_text();
    let config = env.read_config_text();
    for text in [&credentials, &config] {
        Document::parse(text.as_bytes()).expect("the editor still accepts the file");
    }
    let files = mfa_profile::profile::SharedFiles {
        credentials: credentials.clone(),
        config: config.clone(),
    };
    let profiles = files.profiles().expect("the SDK still parses the files");
    let get = |profile: &str, key: &str| {
        profiles
            .get_profile(profile)
            .and_then(|p| p.get(key))
            .map(str::to_owned)
    };
    let backup = (
        get("backup", "aws_access_key_id"),
        get("backup", "aws_secret_access_key"),
    );
    let default = (
        get("default", "aws_access_key_id"),
        get("default", "aws_secret_access_key"),
    );
    assert_eq!(backup, default, "[backup] holds what [default] holds");
    Files {
        key: default.0.unwrap(),
        secret: default.1.unwrap(),
        started: get("default", MFA_ROTATION_STARTED).is_some(),
        pending: get("default", MFA_NEW_ACCESS_KEY_ID),
        old_recorded: get("default", "mfa_old_access_key_id").is_some(),
        config_key: get("ci", "aws_access_key_id").unwrap(),
    }
}

/// The secret IAM issued with `key`.
fn secret_of(key: &str) -> &'static str {
    if key == OLD {
        return OLD_SECRET;
    }
    NEW_KEYS
        .iter()
        .find(|(id, _)| *id == key)
        .map(|(_, secret)| *secret)
        .unwrap_or_else(|| panic!("{key} is no key IAM issued"))
}

/// Checks what a crash left and says it in a few words.
fn judge(env: &TestEnv, aws: &StandIn) -> String {
    let files = files_of(env);
    let active: Vec<String> = aws
        .keys(USER)
        .into_iter()
        .filter(|(_, active)| *active)
        .map(|(id, _)| id)
        .collect();
    assert!(
        active.contains(&files.key),
        "the files use {}, which IAM does not hold active: {active:?}",
        files.key
    );
    assert_eq!(files.secret, secret_of(&files.key), "a working pair");
    assert!(
        active.contains(&files.config_key),
        "the config file's key works"
    );
    for key in &active {
        let known = *key == files.key
            || *key == files.config_key
            || files.pending.as_deref() == Some(key.as_str())
            || (files.old_recorded && *key == OLD)
            || files.started;
        assert!(
            known,
            "{key} is active in IAM and nothing records it: {files:?}"
        );
    }
    let mut said = vec![format!(
        "files use {}",
        if files.key == OLD { "old" } else { "new" }
    )];
    if files.config_key != files.key {
        said.push("config the other".into());
    }
    if files.started {
        said.push("start recorded".into());
    }
    if files.pending.is_some() {
        said.push("new key saved".into());
    }
    if files.old_recorded && files.pending.is_none() {
        said.push("old key to retire".into());
    }
    said.push(format!("{} active in IAM", active.len()));
    said.join(", ")
}

fn fresh() -> (StandIn, TestEnv) {
    let aws = start();
    let env = TestEnv::with_credentials(&credentials());
    env.write_config(&config());
    (aws, env)
}

/// `rotate` on `env`'s files at `aws`, with a fail point if given, ending with `status` (-1: a
/// signal, the fail point's abort).
fn rotate(env: &TestEnv, aws: &StandIn, failpoint: Option<&str>, status: i32) -> Run {
    let mut test = Test::on(env).arg("rotate").args(aws.endpoints());
    if let Some(point) = failpoint {
        test = test.env("MFA_PROFILE_FAILPOINT", point);
    }
    test.status(status).run().out
}

/// Every step of a rotation (the record lives in the credentials file; the writes are: the
/// start, the new key, the config file's swap, the credentials file's swap, the clearing).
const POINTS: [&str; 19] = [
    "before-rename#1",
    "after-rename#1",
    "rotate-after-create",
    "mid-write#2",
    "before-rename#2",
    "after-rename#2",
    "rotate-after-save",
    "rotate-after-verify",
    "rotate-swap-config",
    "before-rename#3",
    "after-rename#3",
    "rotate-swap-credentials",
    "before-rename#4",
    "after-rename#4",
    "rotate-after-swap",
    "rotate-after-deactivate",
    "before-rename#5",
    "after-rename#5",
    "before-write#5",
];

#[test]
fn a_rotation_killed_at_every_step_leaves_a_working_key_and_the_next_run_finishes() {
    let mut table = Vec::new();
    for point in POINTS {
        let (aws, env) = fresh();
        // The process is killed by its fail point (exit -1: a signal).
        rotate(&env, &aws, Some(&format!("{point}:abort")), -1);
        let left = judge(&env, &aws);
        let before = files_of(&env);
        let done = before.key != OLD && !before.old_recorded && !before.started;
        // A rotation killed after its last write is done: running rotate again would start
        // another one.
        let again = if done {
            None
        } else {
            Some(rotate(&env, &aws, None, 0))
        };
        let files = files_of(&env);
        // Killed after CreateAccessKey and before the new key was saved: the next run deletes
        // that key (its secret is lost) and asks for another.
        let unsaved = ["rotate-after-create", "mid-write#2", "before-rename#2"];
        let expected_new = if unsaved.contains(&point) {
            let again = again.expect("a second run");
            assert!(
                again.stderr.contains("whose secret was never saved"),
                "{point}\n{again}"
            );
            NEW_KEYS[1].0
        } else {
            NEW_KEYS[0].0
        };
        assert_eq!(files.key, expected_new, "{point}");
        let (id, secret) = NEW_KEYS.iter().find(|(id, _)| *id == expected_new).unwrap();
        let want = credentials()
            .replace(
                &format!("AWS_ACCESS_KEY_ID={OLD}"),
                &format!("aws_access_key_id={OLD}"),
            )
            .replace(OLD, id)
            .replace(OLD_SECRET, secret);
        assert_eq!(env.read_credentials_text(), want, "{point}: byte for byte");
        assert_eq!(
            aws.keys(USER),
            [(OLD.to_owned(), false), (expected_new.to_owned(), true)],
            "{point}"
        );
        table.push((point, left));
    }
    for (point, left) in &table {
        eprintln!("{point:26} -> {left}");
    }
}

#[test]
fn a_failing_write_at_every_step_says_what_state_it_left() {
    for (point, says) in [
        ("before-rename#1", "nothing changed: IAM and the files are as before"),
        ("before-rename#2", "so it was deleted again: IAM and the files are as before"),
        ("before-rename#3", "IAM holds both keys active; the files still use the old key"),
        ("before-rename#4", "IAM holds both keys active; ~/.aws/config already uses the new key, the rest still the old one (both work)"),
    ] {
        let (aws, env) = fresh();
        rotate(&env, &aws, Some(point), 1).assert_stderr_has(says);
        judge(&env, &aws);
        rotate(&env, &aws, None, 0);
        // A key whose save failed was deleted again: the next run gets the next one.
        let expected = if point == "before-rename#2" { NEW_KEYS[1].0 } else { NEW_KEYS[0].0 };
        assert_eq!(files_of(&env).key, expected, "{point}");
    }
    // The clearing of the record: the rotation is done, a warning says what is left.
    let (aws, env) = fresh();
    rotate(&env, &aws, Some("before-rename#5"), 0).assert_stderr_has(
        "the rotation is done, but mfa_old_access_key_id could not be removed from [default]",
    );
    assert_eq!(files_of(&env).key, NEW_KEYS[0].0);
}

/// Carol, an IAM user of her own for the kills at random moments.
const CAROL_KEY: &str = "AKIACAROLEXAMPLE0000";
const CAROL_SECRET: &str = "carolSecret/EXAMPLE+key0123456789abcdefg";

/// Checks that the files use a key IAM holds active and that every active key is one the
/// files use or record; says what the files record.
fn judge_files(env: &TestEnv, keys: &[(String, bool)]) -> String {
    let text = env.read_credentials_text();
    let profiles = mfa_profile::profile::SharedFiles {
        credentials: text.clone(),
        config: String::new(),
    }
    .profiles()
    .expect("the SDK parses the file");
    let default = profiles.get_profile("default").expect("[default]");
    let used = default.get("aws_access_key_id").unwrap().to_owned();
    let pending = default.get("mfa_new_access_key_id").map(str::to_owned);
    let started = default.get("mfa_rotation_started").is_some();
    let old = default.get("mfa_old_access_key_id").map(str::to_owned);
    assert!(
        keys.iter().any(|(id, active)| *id == used && *active),
        "the file uses {used}, which is not active in IAM: {keys:?}\n{text}"
    );
    for (id, active) in keys {
        let known = *id == used
            || pending.as_deref() == Some(id)
            || old.as_deref() == Some(id)
            || started
            || !active;
        assert!(
            known,
            "{id} is active in IAM and the file does not record it\n{text}"
        );
    }
    let mut said = Vec::new();
    if started {
        said.push("start recorded");
    }
    if pending.is_some() {
        said.push("new key saved, old in use");
    } else if old.is_some() {
        said.push("new key in use, old to retire");
    }
    if said.is_empty() {
        said.push("no rotation under way");
    }
    said.join(", ")
}

/// Keeps a realistic pace: the stand-in as IAM and STS (was moto), kills after a random
/// delay, then a second run to finish; 40 times in a row (ROTATE_KILLS=N for more) on one IAM
/// user, each with --delete. The stand-in takes the fixed code as often as it is sent
/// (`Codes::AnyTime`): a kill after STS took a code and before the tool recorded it would
/// otherwise make the next run's code a reuse, which is not what this test is about.
#[test]
fn sigkill_at_random_moments_loses_no_key() {
    let aws = StandIn::start();
    aws.add_user("carol", CAROL_KEY, CAROL_SECRET);
    aws.add_device("carol", "arn:aws:iam::123456789012:mfa/carol");
    aws.set_mfa_required("carol", true);
    aws.set_codes(Codes::AnyTime);
    let env = TestEnv::with_credentials(&format!(
        "# carol\n[default]\naws_access_key_id = {CAROL_KEY}\naws_secret_access_key = {CAROL_SECRET}\n"
    ));
    env.write_config("[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/carol\n");
    let rotation = || {
        Test::on(&env)
            .args(["rotate", "--delete", "--code-command", "echo 123456"])
            .args(aws.endpoints())
    };
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut tally: BTreeMap<String, u32> = BTreeMap::new();
    let runs: u32 = std::env::var("ROTATE_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    for _ in 0..runs {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_micros(seed % 120_000);
        let mut child = rotation()
            .command()
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let left = judge_files(&env, &aws.keys("carol"));
        let how = if finished { "finished" } else { "killed" };
        *tally.entry(format!("{how}: {left}")).or_insert(0) += 1;
        // Shown with the failure, if the run after the kill fails.
        eprintln!("the run after a kill ({left})");
        rotation().run();
        let keys = aws.keys("carol");
        let text = env.read_credentials_text();
        let used = sdk_value(&text, "default", "aws_access_key_id").unwrap();
        assert_eq!(
            keys,
            [(used.clone(), true)],
            "one key, the file's, after the second run"
        );
    }
    for (what, n) in &tally {
        eprintln!("{n:3} x {what}");
    }
    assert!(
        tally.keys().any(|k| k.starts_with("killed")),
        "no run was killed: {tally:?}"
    );
}
