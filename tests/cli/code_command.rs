//! The code command runs bounded: its stderr is shown while it runs (so "Touch your YubiKey"
//! appears), and one that prints forever is stopped.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Waits for `child` up to `limit`; kills it and fails the test past that.
fn finish_within(child: &mut Child, limit: Duration) -> i32 {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mfa-profile was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Its stderr was captured and shown only on failure, so a prompt to touch the key never
/// appeared.
#[test]
fn a_code_commands_stderr_is_shown_while_it_runs() {
    let env = TestEnv::with_credentials(&default_source());
    let started = Instant::now();
    let mut child = env
        .mfa()
        .args([
            "--code-command",
            "echo 'Touch your YubiKey...' >&2; sleep 2; echo 123456",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        stderr
            .lines()
            .map_while(Result::ok)
            .map(|line| (started.elapsed(), line))
            .collect::<Vec<_>>()
    });
    let code = finish_within(&mut child, Duration::from_secs(30));
    let lines = reader.join().unwrap();
    let (when, _) = lines
        .iter()
        .find(|(_, line)| line == "Touch your YubiKey...")
        .unwrap_or_else(|| panic!("not shown: {lines:?}"));
    assert!(
        *when < Duration::from_millis(1500),
        "shown only after {when:?}, not while the command ran"
    );
    assert_eq!(code, 1, "STS is unreachable: {lines:?}");
}

/// `yes 1234567` as the code command grew to 1.8 GB.
#[test]
fn a_code_command_printing_forever_is_stopped_at_64_kib() {
    let env = TestEnv::with_credentials(&default_source());
    let mut child = env
        .mfa()
        .args([
            "--code-command",
            "yes 1234567",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        text
    });
    let code = finish_within(&mut child, Duration::from_secs(20));
    let stderr = reader.join().unwrap();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "the MFA code command `yes 1234567` printed more than 64 KiB on its standard output and was stopped"
        ),
        "{stderr}"
    );
    assert_eq!(env.read_credentials(), default_source().as_bytes());
}

#[test]
fn the_code_command_bounds_are_in_the_help() {
    let env = TestEnv::new();
    for args in [&["--help"][..], &["exec", "--help"]] {
        let help = run(env.mfa().args(args)).stdout;
        let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains(
                "Its stderr is shown as it comes; it is stopped after 120 s or 64 KiB of output"
            ),
            "{args:?}: {help}"
        );
    }
}
