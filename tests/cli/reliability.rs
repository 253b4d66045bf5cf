//! Nothing lost under concurrency, crashes and failing writes: 32 writers at once (12 under
//! wine), a killed
//! lock holder, SIGKILL at random moments and at fail points between the steps of a write.

use crate::portable::lock_holder;
use crate::support::*;
use mfa_profile::ini::Document;
use mfa_profile::profile::SharedFiles;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn(cmd: &mut Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn original() -> String {
    format!(
        "# team keys — do not share\r\n{}\r\n; clients below\r\n[client]\r\nregion=eu-west-1\r\n",
        default_source()
    )
}

/// A complete session in `target`, as the SDK reads it.
fn has_session(text: &str, target: &str) -> bool {
    let files = SharedFiles {
        credentials: text.into(),
        config: String::new(),
    };
    let Ok(profiles) = files.profiles() else {
        return false;
    };
    profiles.get_profile(target).is_some_and(|p| {
        [
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "expiration",
            "mfa_source_profile",
        ]
        .iter()
        .all(|k| p.get(k).is_some_and(|v| !v.is_empty()))
    })
}

fn temp_files(env: &TestEnv) -> Vec<String> {
    std::fs::read_dir(env.home().join(".aws"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// How many writers run at once: 32, or 12 for the Windows exe under wine, where each process
/// starts a heavy emulation and 32 of them on two cores starved moto past STS's 5 s attempt
/// timeout (the locks were never at fault).
fn writers() -> usize {
    if std::env::var_os("MFA_PROFILE_TEST_RUNNER").is_some() {
        12
    } else {
        32
    }
}

#[test]
fn many_writers_on_different_targets_lose_no_update() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&original());
    let children: Vec<Child> = (0..writers())
        .map(|i| {
            // One MFA device per writer: one device sends one code per 30 s window.
            spawn(env.mfa().args([
                "-s",
                "default",
                "-t",
                &format!("t{i}"),
                "--serial-number",
                &format!("arn:aws:iam::123456789012:mfa/writer{i}"),
                "123456",
                "--endpoint-url",
                &moto.url(),
            ]))
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = env.read_credentials_text();
    assert!(
        text.starts_with(&original()),
        "bytes before the new sections changed"
    );
    for i in 0..writers() {
        assert_eq!(
            text.matches(&format!("\r\n[t{i}]\r\n")).count(),
            1,
            "[t{i}] once"
        );
        assert!(has_session(&text, &format!("t{i}")), "[t{i}] complete");
    }
    assert!(Document::parse(text.as_bytes()).is_ok());
    assert!(temp_files(&env).is_empty());
}

#[test]
fn many_writers_on_one_target_leave_one_valid_section() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&original());
    let children: Vec<Child> = (0..writers())
        .map(|_| spawn(env.mfa().args(["123456", "--endpoint-url", &moto.url()])))
        .collect();
    for child in children {
        assert!(child.wait_with_output().unwrap().status.success());
    }
    let text = env.read_credentials_text();
    assert_eq!(text.matches("[mfa]").count(), 1);
    assert!(text.starts_with(&original()));
    assert!(has_session(&text, "mfa"));
}

#[test]
fn a_killed_lock_holder_does_not_block_and_the_wait_is_explained() {
    let Some(moto) = Moto::start() else { return };
    if !require("python3") {
        return;
    }
    let env = TestEnv::with_credentials(&default_source());
    let mut holder = lock_holder(&env.home().join(".aws/.mfa-profile.lock"));
    let mut child = spawn(env.mfa().args(["123456", "--endpoint-url", &moto.url()]));
    // Wait until it says it is waiting (under load it may take a while to get there).
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("waiting for another mfa-profile") {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ended without waiting: {said}"
        );
        said.push_str(&line);
    }
    assert!(
        said.contains("waiting for another mfa-profile to finish writing in ~/.aws"),
        "{said}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !env.read_credentials_text().contains("[mfa]"),
        "wrote while another process held the lock"
    );
    let started = Instant::now();
    holder.kill().unwrap(); // SIGKILL: the kernel releases the flock
    holder.wait().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?} after the holder died",
        started.elapsed()
    );
    assert!(has_session(&env.read_credentials_text(), "mfa"));
}

/// The file after a kill: the old bytes, or a complete new version with the old prefix.
fn old_or_new(before: &[u8], after: &[u8], prefix: &str) -> &'static str {
    if after == before {
        return "old";
    }
    let text = std::str::from_utf8(after).expect("UTF-8 after a kill");
    assert!(
        text.starts_with(prefix),
        "a kill damaged bytes outside the target:\n{text}"
    );
    assert!(
        Document::parse(after).is_ok(),
        "a kill left a file the editor rejects"
    );
    assert_eq!(text.matches("[mfa]").count(), 1);
    assert!(
        has_session(text, "mfa"),
        "a kill left a partial session:\n{text}"
    );
    "new"
}

#[test]
fn sigkill_at_random_moments_leaves_the_old_or_the_new_file() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&original());
    let prefix = original();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut tally = std::collections::BTreeMap::new();
    for i in 0..200u32 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % 150_000);
        let before = env.read_credentials();
        env.next_code_window();
        // A distinct duration per run makes every new version differ from the old one.
        let mut child = env
            .mfa()
            .args([
                "-d",
                &(3600 + i).to_string(),
                "123456",
                "--endpoint-url",
                &moto.url(),
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let verdict = old_or_new(&before, &env.read_credentials(), &prefix);
        let how = if status.success() {
            "finished"
        } else {
            "killed"
        };
        *tally.entry(format!("{how}/{verdict}")).or_insert(0) += 1;
    }
    eprintln!("200 random kills: {tally:?}");
    assert!(
        tally.keys().any(|k| k.starts_with("killed")),
        "no run was killed: {tally:?}"
    );
    // A later run cleans up whatever temp file a kill left.
    env.next_code_window();
    run(env.mfa().args(["123456", "--endpoint-url", &moto.url()])).assert_code(0);
    assert!(temp_files(&env).is_empty(), "{:?}", temp_files(&env));
}

#[test]
fn crash_at_each_step_of_the_write_leaves_the_old_or_the_new_file() {
    let Some(moto) = Moto::start() else { return };
    for (point, expect) in [
        ("before-write", "old"),
        ("mid-write", "old"),
        ("before-rename", "old"),
        ("after-rename", "new"),
    ] {
        let env = TestEnv::with_credentials(&original());
        let before = env.read_credentials();
        let out = run(env
            .mfa()
            .env("MFA_PROFILE_FAILPOINT", format!("{point}:abort"))
            .args(["123456", "--endpoint-url", &moto.url()]));
        assert_ne!(out.code, 0, "{point}: the process should have died");
        assert_eq!(
            old_or_new(&before, &env.read_credentials(), &original()),
            expect,
            "{point}"
        );
        // The temp file a crash leaves is never read as the credentials file, and goes.
        env.next_code_window();
        let out = run(env
            .mfa()
            .args(["-s", "default", "-t", "next", "123456"])
            .args(["--endpoint-url", &moto.url()]));
        assert_eq!(out.code, 0, "{point}: {}", out.stderr);
        assert!(
            temp_files(&env).is_empty(),
            "{point}: {:?}",
            temp_files(&env)
        );
        assert!(has_session(&env.read_credentials_text(), "next"));
    }
}

#[test]
fn a_failing_write_leaves_the_file_untouched_and_names_it() {
    let Some(moto) = Moto::start() else { return };
    for point in ["before-write", "mid-write", "before-rename"] {
        let env = TestEnv::with_credentials(&original());
        let out = run(env.mfa().env("MFA_PROFILE_FAILPOINT", point).args([
            "123456",
            "--endpoint-url",
            &moto.url(),
        ]));
        assert_eq!(out.code, 1, "{point}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("cannot write {}", env.credentials().display())),
            "{point}: {}",
            out.stderr
        );
        assert_eq!(env.read_credentials(), original().as_bytes(), "{point}");
        assert!(
            temp_files(&env).is_empty(),
            "{point}: {:?}",
            temp_files(&env)
        );
    }
}

#[test]
fn owner_and_mode_are_kept_and_loose_modes_are_warned_about() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&default_source());
    let path = env.credentials();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let root = std::fs::metadata(env.home()).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(&path, Some(4242), Some(4343)).unwrap();
    }
    run(env.mfa().args(["123456", "--endpoint-url", &moto.url()]))
        .assert_code(0)
        .assert_stderr_has(
            "can be read by other users (mode 644); run `chmod 600 ~/.aws/credentials`",
        );
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o644);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (4242, 4343), "owner kept");
    }
}
