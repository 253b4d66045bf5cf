//! One code a day and tools that cannot type: a device never sends a code twice in a 30 s
//! window, one process at a time uses a device, `--no-input` exits 4 without asking, and the
//! desktop dialog is answered for real under Xvfb.

use crate::support::*;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn epoch_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The start of the 30 s window after the one `at` is in.
fn next_window(at: i64) -> i64 {
    (at / 30 + 1) * 30
}

/// Sleeps until the current 30 s window has at least 10 s left, so that two quick runs fall in
/// one window.
fn early_in_a_window() {
    while epoch_now().rem_euclid(30) >= 20 {
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `[default]` (with `mfa_serial`) and `[work]` on the same device.
fn two_sources_one_device() -> String {
    format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n",
        default_source()
    )
}

/// `script` giving `command` a terminal, fed `input` after a second.
fn on_a_terminal(env: &TestEnv, command: &str, input: &str) -> Command {
    let mut cmd = env.command("sh");
    cmd.env("TERM", "dumb").args([
        "-c",
        &format!("(sleep 1; printf '{input}') | script -qec '{command}' /dev/null"),
    ]);
    cmd
}

#[test]
fn no_input_exits_4_with_the_command_to_run_and_asks_nothing_even_on_a_terminal() {
    if !require("script") {
        return;
    }
    let env = TestEnv::with_credentials(&default_source());
    let out = run(&mut on_a_terminal(
        &env,
        &format!("{BIN} --no-input --endpoint-url {CLOSED}; echo exit=$?"),
        "123456\\n",
    ));
    assert!(out.stdout.contains("exit=4"), "{out}");
    assert!(
        out.stdout.contains("[mfa] needs an MFA code for arn:aws:iam::123456789012:mfa/alice and --no-input forbids asking for it; run `mfa-profile -t mfa` in a terminal"),
        "{out}"
    );
    assert!(!out.stdout.contains("(for [mfa]):"), "no prompt: {out}");
    env.assert_credentials(default_source().as_bytes());
}

#[test]
fn exec_export_and_credential_process_honour_no_input() {
    if !require("script") {
        return;
    }
    let text = format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&text);
    for command in [
        "credential-process mfa --no-input",
        "export mfa --refresh --no-input",
        "exec -t mfa --no-input true",
    ] {
        let out = run(&mut on_a_terminal(
            &env,
            &format!("AWS_ENDPOINT_URL_STS={CLOSED} {BIN} {command}; echo exit=$?"),
            "123456\\n",
        ));
        assert!(out.stdout.contains("exit=4"), "{command}: {out}");
        assert!(out.stdout.contains("needs an MFA code"), "{command}: {out}");
        assert!(!out.stdout.contains("(for [mfa]):"), "{command}: {out}");
    }
    env.assert_credentials(text.as_bytes());
}

#[test]
fn a_code_of_a_window_the_device_already_used_is_refused_at_once_without_a_terminal() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&two_sources_one_device());
    early_in_a_window();
    run(env.mfa().args(["123456", "--endpoint-url", &sts.url()])).assert_code(0);
    let before = env.read_credentials();
    let started = Instant::now();
    let second = run(env
        .mfa()
        .args(["-s", "work", "123456", "--endpoint-url", &sts.url()]));
    second
        .assert_code(3)
        .assert_stderr_has(&format!(
            "MFA device {SERIAL} already sent the code of this 30 s window (at "
        ))
        .assert_stderr_has("and STS refuses a code twice; wait ");
    assert!(started.elapsed() < Duration::from_secs(5), "at once");
    assert_eq!(sts.requests().len(), 1, "the code was not sent again");
    env.assert_credentials(&before);
}

#[test]
fn on_a_terminal_the_next_window_is_counted_down_and_then_asked_for() {
    if !require("script") {
        return;
    }
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&two_sources_one_device());
    early_in_a_window();
    run(env.mfa().args(["123456", "--endpoint-url", &sts.url()])).assert_code(0);
    let first_sent = epoch_now();
    let out = run(&mut on_a_terminal(
        &env,
        &format!(
            "stty cols 80 rows 24; {BIN} -s work 123456 --endpoint-url {}",
            sts.url()
        ),
        "654321\\n",
    ));
    let ended = epoch_now();
    assert!(out.stdout.contains("wrote [work-mfa]"), "{out}");
    let requests = sts.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[1].contains("TokenCode=654321"),
        "the new code: {}",
        requests[1]
    );
    if ended < next_window(first_sent) {
        panic!("the second code went before the next window: {out}");
    }
    assert!(
        out.stdout
            .contains("in this 30 s window; STS takes a code once: waiting for the next code\r\n"),
        "the reason, once: {out}"
    );
    // Issue 20, bug 4: the redrawn line was ~150 characters; on an 80-column terminal it
    // wrapped, and each `\r` redraw cleared only its last row (21 copies on the screen).
    // Each redraw but the last (which clears the line for the prompt) is a countdown line.
    let redraws: Vec<&str> = out.stdout.split("\r\x1b[K").skip(1).collect();
    assert!(redraws.len() > 2, "counted down: {out}");
    for redraw in &redraws[..redraws.len() - 1] {
        assert!(redraw.starts_with("next code in "), "{redraw:?}");
        assert!(
            redraw.chars().count() < 80,
            "{redraw:?} does not fit 80 columns"
        );
    }
    assert!(
        out.stdout
            .contains("MFA code for arn:aws:iam::123456789012:mfa/alice (for [work-mfa])"),
        "{out}"
    );
}

#[test]
fn a_code_command_is_run_again_in_the_next_window_without_a_terminal() {
    if !require("setsid") {
        return;
    }
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&two_sources_one_device());
    let code_command = "echo ran >> \"$HOME/code-runs\"; echo 123456";
    early_in_a_window();
    let first =
        run(detached(&env).args(["--code-command", code_command, "--endpoint-url", &sts.url()]));
    first.assert_code(0);
    let first_sent = epoch_now();
    let second = run(detached(&env).args([
        "-s",
        "work",
        "--code-command",
        code_command,
        "--endpoint-url",
        &sts.url(),
    ]));
    second
        .assert_code(0)
        .assert_stderr_has("STS takes a code once: waiting ")
        .assert_stderr_lacks("\x1b[");
    assert!(epoch_now() >= next_window(first_sent), "{second}");
    let runs = std::fs::read_to_string(env.home().join("code-runs")).unwrap();
    assert_eq!(runs.lines().count(), 2);
    assert_eq!(sts.requests().len(), 2);
}

#[test]
fn two_credential_process_calls_at_once_make_one_sts_call_and_one_code() {
    if !require("setsid") {
        return;
    }
    let sts = CannedSts::start();
    let text = format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; sleep 1; echo 123456\n\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&text);
    let spawn = || -> Child {
        detached(&env)
            .env("AWS_ENDPOINT_URL_STS", sts.url())
            .args(["credential-process", "mfa"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outputs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    for out in &outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["AccessKeyId"], CANNED_KEY);
    }
    let waited = outputs.iter().any(|o| {
        String::from_utf8_lossy(&o.stderr)
            .contains("waiting for another mfa-profile that is using MFA device")
    });
    assert!(waited, "one waited for the other");
    assert_eq!(sts.requests().len(), 1, "one STS call");
    let runs = std::fs::read_to_string(env.home().join("code-runs")).unwrap();
    assert_eq!(runs.lines().count(), 1, "one code");
}

/// A virtual X display (Xvfb) for the dialog tests, stopped on drop.
pub(crate) struct Display {
    server: Child,
    pub(crate) name: String,
}

impl Display {
    pub(crate) fn start() -> Option<Display> {
        if !require("Xvfb") || !require("zenity") || !require("xdotool") {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let number_file = dir.path().join("display");
        let server = Command::new("sh")
            .args([
                "-c",
                &format!(
                    "exec Xvfb -displayfd 3 -nolisten tcp 3>'{}'",
                    number_file.display()
                ),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Stopped by its drop, whatever happens next.
        let mut display = Display {
            server,
            name: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let number = std::fs::read_to_string(&number_file).unwrap_or_default();
            if number.ends_with('\n') {
                display.name = format!(":{}", number.trim());
                return Some(display);
            }
            assert!(Instant::now() < deadline, "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `text` and Return into the window titled mfa-profile once it appears (or presses
    /// Escape when `text` is empty).
    pub(crate) fn answer(&self, text: &str) -> Child {
        let keys = if text.is_empty() {
            "xdotool key --window $w Escape".to_owned()
        } else {
            format!("xdotool type --window $w '{text}' && xdotool key --window $w Return")
        };
        Command::new("sh")
            .env("DISPLAY", &self.name)
            .args([
                "-c",
                &format!("w=$(xdotool search --sync --name '^mfa-profile$' | head -1) && xdotool windowfocus --sync $w && {keys}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

#[test]
fn the_desktop_dialog_is_answered_under_xvfb_and_the_refresh_completes() {
    let Some(display) = Display::start() else {
        return;
    };
    if !require("setsid") {
        return;
    }
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let mut typist = display.answer("123 456");
    let out = run(detached(&env).env("DISPLAY", &display.name).args([
        "--prompt",
        "gui",
        "--endpoint-url",
        &sts.url(),
    ]));
    let _ = typist.wait();
    out.assert_code(0).assert_stderr_has("wrote [mfa]");
    assert!(sts.requests()[0].contains("TokenCode=123456"));
}

#[test]
fn mfa_prompt_gui_in_the_profile_asks_in_a_dialog_and_cancel_says_so() {
    let Some(display) = Display::start() else {
        return;
    };
    if !require("setsid") {
        return;
    }
    let env = TestEnv::with_credentials(&format!("{}mfa_prompt = gui\n", default_source()));
    let mut typist = display.answer("");
    let out = run(detached(&env)
        .env("DISPLAY", &display.name)
        .args(["--endpoint-url", CLOSED]));
    let _ = typist.wait();
    out.assert_code(2)
        .assert_stderr_has("no MFA code was entered (the dialog was cancelled)");
}

#[test]
fn a_dialog_with_no_desktop_is_a_code_that_cannot_be_asked_for() {
    if !require("setsid") {
        return;
    }
    let env = TestEnv::with_credentials(&default_source());
    run(detached(&env).args(["--prompt", "gui", "--endpoint-url", CLOSED]))
        .assert_code(4)
        .assert_stderr_has(
            "there is no desktop to show a dialog on (DISPLAY and WAYLAND_DISPLAY are unset)",
        );
}

/// Issue 20: a code STS rejected ended the run (exit 3) even with a person at the terminal;
/// the person is asked for the next code, and nothing was recorded as spent.
#[test]
fn on_a_terminal_a_rejected_code_is_asked_for_again() {
    let aws = crate::fake_aws::FakeAws::start(AKID, "2025-01-01T00:00:00Z", &[SERIAL]);
    aws.fail(
        "GetSessionToken",
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
        1,
    );
    let env = TestEnv::with_credentials(&default_source());
    let url = aws.url();
    let Some(ran) = crate::support::pty::on_terminal(
        &env,
        &[],
        &["-t", "mfa", "--endpoint-url", &url],
        &[
            ("MFA code for", "111111\r"),
            ("enter the code the device shows now", ""),
            ("MFA code for", "222222\r"),
        ],
    ) else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(ran.transcript.contains("wrote [mfa]"), "{ran}");
    assert_eq!(aws.actions(), ["GetSessionToken", "GetSessionToken"]);
}

/// A rejected code that was piped in, with nobody to ask, still ends the run with exit 3.
#[test]
fn a_rejected_piped_code_is_not_asked_for_again() {
    let aws = crate::fake_aws::FakeAws::start(AKID, "2025-01-01T00:00:00Z", &[SERIAL]);
    aws.fail(
        "GetSessionToken",
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
        1,
    );
    let env = TestEnv::with_credentials(&default_source());
    let out = run_with_stdin(env.mfa().args(["--endpoint-url", &aws.url()]), b"111111\n");
    out.assert_code(3)
        .assert_stderr_has("STS rejected the MFA code");
    assert_eq!(aws.actions(), ["GetSessionToken"]);
}
