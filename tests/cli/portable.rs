//! What every platform shares, written to pass against the Linux binary and, under wine,
//! against the Windows exe (scripts/test-windows.sh runs this module there): a refresh against
//! moto, byte for byte; `exec` passing the command's exit code and the profile; a code command
//! in the platform's shell; `export`'s default format; the writers' lock; a failing write.

use crate::harness::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A source `[work]` and its target `[work-mfa]`, valid for six more hours.
fn source_and_valid_target() -> String {
    let expiration = mfa_profile::rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 6 * 3600,
    );
    format!(
        "[work]\r\naws_access_key_id = {AKID}\r\naws_secret_access_key = {SECRET}\r\nmfa_serial = {SERIAL}\r\n\r\n\
[work-mfa]\r\naws_access_key_id = ASIAEXAMPLE\r\naws_secret_access_key = sessionsecret\r\n\
aws_session_token = sessiontoken\r\nexpiration = {expiration}\r\nmfa_source_profile = work\r\n"
    )
}

/// The same script for the platform's shell: `sh -c` on Unix, `cmd /C` for the Windows exe.
fn shell_command(unix: &str, windows: &str) -> String {
    if testing_windows_exe() {
        windows.to_owned()
    } else {
        unix.to_owned()
    }
}

#[test]
fn a_refresh_appends_the_target_and_the_next_rewrites_only_its_values() {
    let Some(moto) = Moto::start() else { return };
    let original = format!(
        "# team keys\r\n{}\r\n; clients below\r\n[client]\r\nregion=eu-west-1",
        default_source().replace('\n', "\r\n")
    );
    let env = TestEnv::with_credentials(&original);
    let out = run(env
        .mfa()
        .args(["123456", "--json", "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let wrote = format!(
        "wrote [mfa] in {} from [default] ({SERIAL}), valid until ",
        shown("~/.aws/credentials")
    );
    assert!(out.stderr.contains(&wrote), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(json["file"], bin_path(&env.credentials()));
    let first = env.read_credentials_text();
    assert!(first.starts_with(&original), "{first:?}");
    assert!(
        first[original.len()..].starts_with("\r\n\r\n[mfa]\r\naws_access_key_id = "),
        "the file's line ending and a blank line before the new section: {first:?}"
    );

    env.next_code_window();
    let out = run(env.mfa().args([
        "--force",
        "-d",
        "1h",
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let second = env.read_credentials_text();
    // The one line added records the length asked for (-d 1h, not STS's default).
    assert!(second.contains("\r\nmfa_duration = 3600\r\n"), "{second:?}");
    let (old, new): (Vec<&str>, Vec<&str>) = (
        first.split("\r\n").collect(),
        second
            .split("\r\n")
            .filter(|l| !l.starts_with("mfa_duration"))
            .collect(),
    );
    assert_eq!(
        old.len(),
        new.len(),
        "no other line added or removed: {second:?}"
    );
    for (o, n) in old.iter().zip(&new) {
        if o.starts_with("expiration = ") {
            assert_ne!(o, n, "the expiration moved");
        } else if !o.starts_with("aws_") || original.contains(o) {
            assert_eq!(o, n, "a line outside the session's values changed");
        }
    }
    for secret in ["aws_secret_access_key", "aws_session_token"] {
        let written = sdk_value(&second, "mfa", secret).unwrap();
        assert!(!out.stderr.contains(&written) && !out.stdout.contains(&written));
    }
}

#[test]
fn exec_runs_the_command_with_the_profile_and_ends_with_its_exit_code() {
    let env = TestEnv::with_credentials(&source_and_valid_target());
    let args: &[&str] = if testing_windows_exe() {
        &[
            "cmd",
            "/C",
            "echo",
            "%AWS_PROFILE%",
            "%AWS_ACCESS_KEY_ID%",
            "&",
            "exit",
            "7",
        ]
    } else {
        &[
            "sh",
            "-c",
            "echo $AWS_PROFILE ${AWS_ACCESS_KEY_ID-%AWS_ACCESS_KEY_ID%}; exit 7",
        ]
    };
    let out = run(env
        .mfa()
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .args(["exec", "-t", "work-mfa", "--"])
        .args(args));
    assert_eq!(out.code, 7, "the command's exit code: {}", out.stderr);
    assert_eq!(
        out.stdout.trim_end(),
        "work-mfa %AWS_ACCESS_KEY_ID%",
        "the profile set, the shadowing key removed"
    );

    let missing = run(env
        .mfa()
        .args(["exec", "-t", "work-mfa", "--", "no-such-command-x"]));
    assert_eq!(missing.code, 127, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("cannot run `no-such-command-x`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_code_command_runs_in_the_platforms_shell_and_its_failure_is_reported() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&default_source());
    let failing = shell_command(
        "echo 'ykman: no YubiKey detected' >&2; exit 3",
        "echo ykman: no YubiKey detected 1>&2 & exit 3",
    );
    let out = run(env
        .mfa()
        .args(["--code-command", &failing, "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("failed (exit status 3): ykman: no YubiKey detected"),
        "{}",
        out.stderr
    );
    assert_eq!(env.read_credentials_text(), default_source());

    let printing = shell_command("echo 'aws: 123456'", "echo aws: 123456");
    let out = run(env
        .mfa()
        .args(["--code-command", &printing, "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(sdk_value(&env.read_credentials_text(), "mfa", "aws_session_token").is_some());
}

#[test]
fn export_prints_the_platforms_shell_by_default() {
    let env = TestEnv::with_credentials(&source_and_valid_target());
    let out = run(env.mfa().args(["export", "work-mfa"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first = out.stdout.lines().next().unwrap_or_default();
    if testing_windows_exe() {
        assert_eq!(first, "$Env:AWS_ACCESS_KEY_ID='ASIAEXAMPLE'", "PowerShell");
    } else {
        assert_eq!(first, "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'", "POSIX sh");
    }
    let env_format = run(env.mfa().args(["export", "work-mfa", "--format", "env"]));
    assert!(env_format
        .stdout
        .starts_with("export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n"));
}

/// Another process holding the writers' lock on `path` until it is killed. A Windows exe under
/// wine takes its file locks as POSIX record locks; the Linux binary uses `flock`.
pub fn lock_holder(path: &std::path::Path) -> Child {
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

#[test]
fn a_lock_held_on_the_lock_file_makes_the_writer_wait_until_it_is_released() {
    let Some(moto) = Moto::start() else { return };
    if !require("python3") {
        return;
    }
    let env = TestEnv::with_credentials(&default_source());
    let mut holder = lock_holder(&env.home().join(".aws/.mfa-profile.lock"));
    let mut child = env
        .mfa()
        .args(["123456", "--endpoint-url", &moto.url()])
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

#[test]
fn a_failing_write_names_the_file_and_leaves_it_byte_identical() {
    let Some(moto) = Moto::start() else { return };
    let original = format!("# keep\r\n{}", default_source());
    let env = TestEnv::with_credentials(&original);
    let out = run(env.mfa().env("MFA_PROFILE_FAILPOINT", "mid-write").args([
        "123456",
        "--endpoint-url",
        &moto.url(),
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
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
