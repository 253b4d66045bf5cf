//! Nothing lost under concurrency, crashes and failing writes: 32 writers at once (12 under
//! wine), a killed lock holder and one that lets go, the lock a private file, SIGKILL at random
//! moments and at fail points between the steps of a write, a failing write that names the
//! file, and the file's owner and mode kept. Against the stand-in.

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
/// starts a heavy emulation and 32 of them on two cores starved moto (the STS these tests ran
/// against then) past STS's 5 s attempt timeout (the locks were never at fault).
fn writers() -> usize {
    if std::env::var_os("MFA_PROFILE_TEST_RUNNER").is_some() {
        12
    } else {
        32
    }
}

#[test]
fn many_writers_on_different_targets_lose_no_update() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&original());
    let children: Vec<Child> = (0..writers())
        .map(|i| {
            // One MFA device per writer: one device sends one code per 30 s window.
            let serial = format!("arn:aws:iam::123456789012:mfa/writer{i}");
            aws.add_device(USER, &serial);
            spawn(
                &mut Test::on(&env)
                    .args([
                        "-s",
                        "default",
                        "-t",
                        &format!("t{i}"),
                        "--serial-number",
                        &serial,
                    ])
                    .args(["123456", "--endpoint-url", &aws.url()])
                    .command(),
            )
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
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&original());
    let children: Vec<Child> = (0..writers())
        .map(|_| {
            spawn(
                &mut Test::on(&env)
                    .args(["123456", "--endpoint-url", &aws.url()])
                    .command(),
            )
        })
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
    require!("python3");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let mut holder = lock_holder(&env.home().join(".aws/.mfa-profile.lock"));
    let mut child = spawn(
        &mut Test::on(&env)
            .args(["123456", "--endpoint-url", &aws.url()])
            .command(),
    );
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
    // 200 refreshes with one code on one device, some killed after STS took it: the stand-in
    // takes it every time, as moto did (the code rule is not what this test is about).
    let aws = StandIn::start();
    aws.set_codes(Codes::AnyTime);
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
        let mut child = Test::on(&env)
            .args(["-d", &(3600 + i).to_string(), "123456"])
            .args(["--endpoint-url", &aws.url()])
            .command()
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
    Test::in_env(env.clone())
        .args(["123456", "--endpoint-url", &aws.url()])
        .run();
    assert!(temp_files(&env).is_empty(), "{:?}", temp_files(&env));
}

#[test]
fn crash_at_each_step_of_the_write_leaves_the_old_or_the_new_file() {
    let aws = StandIn::start();
    for (point, expect) in [
        ("before-write", "old"),
        ("mid-write", "old"),
        ("before-rename", "old"),
        ("after-rename", "new"),
    ] {
        let env = TestEnv::with_credentials(&original());
        let before = env.read_credentials();
        aws.next_code_window();
        // The process dies at its fail point.
        Test::on(&env)
            .env("MFA_PROFILE_FAILPOINT", format!("{point}:abort"))
            .args(["123456", "--endpoint-url", &aws.url()])
            .fails()
            .run();
        assert_eq!(
            old_or_new(&before, &env.read_credentials(), &original()),
            expect,
            "{point}"
        );
        // The temp file a crash leaves is never read as the credentials file, and goes.
        aws.next_code_window();
        Test::in_env(env.clone())
            .args(["-s", "default", "-t", "next", "123456"])
            .args(["--endpoint-url", &aws.url()])
            .run();
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
    let aws = StandIn::start();
    for point in ["before-write", "mid-write", "before-rename"] {
        let env = TestEnv::with_credentials(&original());
        aws.next_code_window();
        let out = Test::on(&env)
            .env("MFA_PROFILE_FAILPOINT", point)
            .args(["123456", "--endpoint-url", &aws.url()])
            .status(1)
            .run()
            .out;
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
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let path = env.credentials();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let root = std::fs::metadata(env.home()).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(&path, Some(4242), Some(4343)).unwrap();
    }
    Test::on(&env)
        .args(["123456", "--endpoint-url", &aws.url()])
        .stderr_has("can be read by other users (mode 644); run `chmod 600 ~/.aws/credentials`")
        .run();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o644);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (4242, 4343), "owner kept");
    }
}

/// Another process holding the writers' lock on `path` until it is killed. A Windows exe under
/// wine takes its file locks as POSIX record locks; the Linux binary uses `flock`.
fn lock_holder(path: &std::path::Path) -> Child {
    let how = if testing_windows_exe() {
        "fcntl.lockf(fd, fcntl.LOCK_EX)"
    } else {
        "fcntl.flock(fd, fcntl.LOCK_EX)"
    };
    let script = format!(
        "import fcntl, os, sys, time\n\
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n\
{how}\n\
print('locked', flush=True)\n\
time.sleep(60)\n"
    );
    let mut child = Command::new("python3")
        .args(["-c", &script])
        .arg(path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    child
}

/// What every platform shares (scripts/test-windows.sh runs it against the Windows exe).
#[test]
fn a_lock_held_on_the_lock_file_makes_the_writer_wait_until_it_is_released() {
    require!("python3");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let mut holder = lock_holder(&env.home().join(".aws/.mfa-profile.lock"));
    let mut child = Test::on(&env)
        .args(["123456", "--endpoint-url", &aws.url()])
        .command()
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    let waiting = format!(
        "waiting for another mfa-profile to finish writing in {}",
        shown("~/.aws")
    );
    while !said.contains(&waiting) {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ended without waiting: {said}"
        );
        said.push_str(&line);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        env.read_credentials_text(),
        default_source(),
        "wrote while another process held the lock"
    );
    let released = Instant::now();
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(child.wait().unwrap().success());
    assert!(
        released.elapsed() < Duration::from_secs(5),
        "took {:?} after the lock was released",
        released.elapsed()
    );
    assert!(sdk_value(&env.read_credentials_text(), "mfa", "aws_session_token").is_some());
}

/// What every platform shares (scripts/test-windows.sh runs it against the Windows exe).
#[test]
fn a_failing_write_names_the_file_and_leaves_it_byte_identical() {
    let aws = StandIn::start();
    let original = format!("# keep\r\n{}", default_source());
    let env = TestEnv::with_credentials(&original);
    let out = Test::on(&env)
        .env("MFA_PROFILE_FAILPOINT", "mid-write")
        .args(["123456", "--endpoint-url", &aws.url()])
        .status(1)
        .run()
        .out;
    assert!(
        out.stderr
            .contains(&format!("cannot write {}", bin_path(&env.credentials()))),
        "{}",
        out.stderr
    );
    assert_eq!(env.read_credentials_text(), original);
    let left: Vec<String> = std::fs::read_dir(env.home().join(".aws"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The writers' lock is a private file beside the credentials file (issue 11: a lock on the
/// `~/.aws` directory could be taken, and held, by any local user allowed to list it).
#[test]
fn the_lock_file_is_created_0600_beside_the_credentials_file_and_stays() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let elsewhere = env.home().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::rename(env.credentials(), elsewhere.join("credentials")).unwrap();
    Test::on(&env)
        .env("AWS_SHARED_CREDENTIALS_FILE", elsewhere.join("credentials"))
        .args(["123456", "--endpoint-url", &aws.url()])
        .run();
    let lock = elsewhere.join(".mfa-profile.lock");
    let meta = std::fs::metadata(&lock).expect("the lock file beside the credentials file");
    assert!(meta.is_file());
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert_eq!(meta.len(), 0, "nothing is written into it");
}
