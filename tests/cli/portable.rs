//! What every platform shares, written to pass against the Linux binary and, under wine,
//! against the Windows exe (scripts/test-windows.sh runs this module there): a refresh against
//! moto, byte for byte; `exec` passing the command's exit code and the profile; a code command
//! in the platform's shell; `export`'s default format; the writers' lock; a failing write.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
