//! How a refresh gets its code, and one code a day: as an argument or on standard input (spaced
//! or dashed as devices show it), from a code command (its stderr shown as it runs, bounded,
//! in the platform's shell), on a terminal (Ctrl-D, a rejected code asked again), in a desktop
//! dialog under Xvfb, or not at all (`--no-input` exits 4); a device never sends a code twice
//! in a 30 s window (STS refuses the second, the tool waits for the next or refuses at once),
//! and one process at a time uses a device.

use crate::support::display::Display;
use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CODE: &str = "123456";

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

/// The work profile's key: alice's second access key, on her one device.
const WORK_KEY: &str = "AKIAWORKEXAMPLE";

/// `[default]` (with `mfa_serial`) and `[work]` on the same device: two access keys of one IAM
/// user (the stand-in given the second).
fn two_sources_one_device(aws: &StandIn) -> String {
    aws.add_key(USER, WORK_KEY, "w", true);
    format!(
        "{}\n[work]\naws_access_key_id = {WORK_KEY}\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n",
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
    require!("script");
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
    require!("script");
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
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&two_sources_one_device(&aws));
    early_in_a_window();
    Test::on(&env)
        .args([CODE, "--endpoint-url", &aws.url()])
        .run();
    let before = env.read_credentials();
    let started = Instant::now();
    Test::on(&env)
        .args(["-s", "work", CODE, "--endpoint-url", &aws.url()])
        .status(3)
        .stderr_has(&format!(
            "MFA device {SERIAL} already sent the code of this 30 s window (at "
        ))
        .stderr_has("and STS refuses a code twice; wait ")
        .run();
    assert!(started.elapsed() < Duration::from_secs(5), "at once");
    assert_eq!(aws.calls().len(), 1, "the code was not sent again");
    env.assert_credentials(&before);
}

#[test]
fn on_a_terminal_the_next_window_is_counted_down_and_then_asked_for() {
    require!("script");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&two_sources_one_device(&aws));
    early_in_a_window();
    Test::on(&env)
        .args([CODE, "--endpoint-url", &aws.url()])
        .run();
    let first_sent = epoch_now();
    let out = run(&mut on_a_terminal(
        &env,
        &format!(
            "stty cols 80 rows 24; {BIN} -s work 123456 --endpoint-url {}",
            aws.url()
        ),
        "654321\\n",
    ));
    let ended = epoch_now();
    assert!(out.stdout.contains("wrote [work-mfa]"), "{out}");
    let calls = aws.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        param(&calls[1], "TokenCode"),
        Some("654321"),
        "the new code: {:?}",
        calls[1]
    );
    assert_eq!(calls[1].status, 200, "STS took it: {:?}", calls[1]);
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
    require!("setsid");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&two_sources_one_device(&aws));
    let code_command = "echo ran >> \"$HOME/code-runs\"; echo 123456";
    early_in_a_window();
    Test::on(&env)
        .detached()
        .args(["--code-command", code_command, "--endpoint-url", &aws.url()])
        .run();
    let first_sent = epoch_now();
    let second = Test::on(&env)
        .detached()
        .args(["-s", "work", "--code-command", code_command])
        .args(["--endpoint-url", &aws.url()])
        .stderr_has("STS takes a code once: waiting ")
        .stderr_lacks("\x1b[")
        .run();
    assert!(epoch_now() >= next_window(first_sent), "{}", second.out);
    let runs = std::fs::read_to_string(env.home().join("code-runs")).unwrap();
    assert_eq!(runs.lines().count(), 2);
    assert_eq!(aws.calls().len(), 2);
    assert!(
        aws.calls().iter().all(|c| c.status == 200),
        "{:?}",
        aws.calls()
    );
}

#[test]
fn two_credential_process_calls_at_once_make_one_sts_call_and_one_code() {
    require!("setsid");
    let aws = StandIn::start();
    let text = format!(
        "{}mfa_process = echo ran >> \"$HOME/code-runs\"; sleep 1; echo 123456\n\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&text);
    let spawn = || -> Child {
        Test::on(&env)
            .detached()
            .env("AWS_ENDPOINT_URL_STS", aws.url())
            .args(["credential-process", "mfa"])
            .command()
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
        assert_eq!(json["AccessKeyId"], session_key_id(1));
    }
    let waited = outputs.iter().any(|o| {
        String::from_utf8_lossy(&o.stderr)
            .contains("waiting for another mfa-profile that is using MFA device")
    });
    assert!(waited, "one waited for the other");
    assert_eq!(aws.calls().len(), 1, "one STS call");
    let runs = std::fs::read_to_string(env.home().join("code-runs")).unwrap();
    assert_eq!(runs.lines().count(), 1, "one code");
}

#[test]
fn the_desktop_dialog_is_answered_under_xvfb_and_the_refresh_completes() {
    let Some(display) = Display::start() else {
        return;
    };
    require!("setsid");
    let aws = StandIn::start();
    let mut typist = display.answer("123 456");
    let ran = Test::new()
        .credentials(default_source())
        .detached()
        .env("DISPLAY", &display.name)
        .args(["--prompt", "gui", "--endpoint-url", &aws.url()])
        .stderr_has("wrote [mfa]")
        .run();
    let _ = typist.wait();
    drop(ran);
    assert_eq!(param(&aws.calls()[0], "TokenCode"), Some(CODE));
}

#[test]
fn mfa_prompt_gui_in_the_profile_asks_in_a_dialog_and_cancel_says_so() {
    let Some(display) = Display::start() else {
        return;
    };
    require!("setsid");
    let mut typist = display.answer("");
    Test::new()
        .credentials(format!("{}mfa_prompt = gui\n", default_source()))
        .detached()
        .env("DISPLAY", &display.name)
        .args(["--endpoint-url", CLOSED])
        .status(2)
        .stderr_has("no MFA code was entered (the dialog was cancelled)")
        .run();
    let _ = typist.wait();
}

#[test]
fn a_dialog_with_no_desktop_is_a_code_that_cannot_be_asked_for() {
    require!("setsid");
    Test::new()
        .credentials(default_source())
        .detached()
        .args(["--prompt", "gui", "--endpoint-url", CLOSED])
        .status(4)
        .stderr_has(
            "there is no desktop to show a dialog on (DISPLAY and WAYLAND_DISPLAY are unset)",
        )
        .run();
}

/// STS's refusal of a code that is not the device's.
fn rejected_code() -> Fault {
    Fault::error(
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
    )
}

/// Issue 20: a code STS rejected ended the run (exit 3) even with a person at the terminal;
/// the person is asked for the next code, and nothing was recorded as spent.
#[test]
fn on_a_terminal_a_rejected_code_is_asked_for_again() {
    let aws = StandIn::start();
    aws.fault("GetSessionToken", rejected_code());
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
    let aws = StandIn::start();
    aws.fault("GetSessionToken", rejected_code());
    Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &aws.url()])
        .stdin("111111\n")
        .status(3)
        .stderr_has("STS rejected the MFA code")
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
}

#[test]
fn codes_shown_with_a_space_or_a_dash_are_accepted_as_argument_and_on_stdin() {
    let aws = StandIn::start();
    for (arg, stdin) in [
        (Some("123 456"), None),
        (Some(" 123456 "), None),
        (None, Some("123-456\n")),
    ] {
        aws.next_code_window();
        let mut test = Test::new()
            .credentials(default_source())
            .args(["--endpoint-url", &aws.url()])
            .stderr_has("wrote [mfa]");
        if let Some(arg) = arg {
            test = test.arg(arg);
        }
        if let Some(stdin) = stdin {
            test = test.stdin(stdin);
        }
        test.run();
    }
    let sent = aws.calls();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|call| param(call, "TokenCode") == Some(CODE)),
        "{sent:?}"
    );
}

#[test]
fn a_mistyped_command_is_not_taken_for_a_code_even_when_the_target_is_valid() {
    let valid = format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    );
    for (typed, meant) in [("stauts", "status"), ("expot", "export"), ("exce", "exec")] {
        Test::new()
            .credentials(&valid)
            .arg(typed)
            .status(2)
            .stderr_has(&format!(
                "`{typed}` is neither a command nor an MFA code; did you mean `{meant}`?"
            ))
            .run();
    }
    Test::new()
        .credentials(&valid)
        .arg("12345")
        .status(2)
        .stderr_has("the MFA code is not six digits")
        .stderr_lacks("still valid")
        .run();
}

#[test]
fn ctrl_d_at_the_prompt_says_no_code_was_entered() {
    require!("script");
    let env = TestEnv::with_credentials(&default_source());
    let out = run(&mut on_a_terminal(
        &env,
        &format!("{BIN} --endpoint-url {CLOSED}"),
        "\\004",
    ));
    assert!(out.stdout.contains("no MFA code was entered"), "{out}");
    assert!(!out.stdout.contains("run in a terminal"), "{out}");
}

#[test]
fn a_code_sts_already_took_in_this_window_is_refused_with_exit_3() {
    let aws = StandIn::start();
    let ran = against(&aws).arg(CODE).run();
    // The tool's own record of the window is forgotten (Test::in_env), the stand-in's is not:
    // STS itself refuses the code the second time.
    let before = ran.env.read_credentials();
    let again = Test::in_env(ran.env)
        .args(["-f", "--endpoint-url", &aws.url(), CODE])
        .status(3)
        .run();
    assert_eq!(again.env.read_credentials(), before, "nothing written");
    assert_eq!(
        aws.calls()[1].code.as_deref(),
        Some("AccessDenied"),
        "{}",
        again.out
    );
}

/// Pins the finding "a connection dropped after the request was sent is reported as 'cannot
/// reach STS', the code window is not recorded, and an immediate second run sends a second
/// code": the stand-in reads the request (and takes the code) then hangs up; the tool says
/// STS may have used the code, sends nothing again, records the window, and the next run with
/// the same code is refused before anything is sent.
#[test]
fn a_connection_dropped_after_the_request_records_the_code_window() {
    let aws = StandIn::start();
    aws.fault("GetSessionToken", Fault::drop_connection());
    let first = at(&aws, Test::new().credentials(default_source()))
        .arg(CODE)
        .status(1)
        .stderr_has("broke after the request was sent")
        .stderr_has("STS may have used the code, so wait for the next code before running again")
        .stderr_lacks("cannot reach STS")
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"], "not sent again");
    // The same code, at once: the tool's own record refuses it (Test::in_env would forget the
    // record, as if the next window had come; Test::on keeps it).
    Test::on(&first.env)
        .arg(CODE)
        .envs(aws.endpoint_vars())
        .status(3)
        .stderr_has("already sent the code of this 30 s window")
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"], "no second code sent");
    assert_eq!(first.env.read_credentials_text(), default_source());
}

/// The same script for the platform's shell: `sh -c` on Unix, `cmd /C` for the Windows exe.
fn shell_command(unix: &str, windows: &str) -> String {
    if testing_windows_exe() {
        windows.to_owned()
    } else {
        unix.to_owned()
    }
}

/// What every platform shares (scripts/test-windows.sh runs it against the Windows exe). Also
/// stands for daily's `code_command_failure_is_reported_with_its_stderr` (merged here: the
/// same failure, message and untouched file).
#[test]
fn a_code_command_runs_in_the_platforms_shell_and_its_failure_is_reported() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let failing = shell_command(
        "echo 'ykman: no YubiKey detected' >&2; exit 3",
        "echo ykman: no YubiKey detected 1>&2 & exit 3",
    );
    Test::on(&env)
        .args(["--code-command", &failing, "--endpoint-url", &aws.url()])
        .status(1)
        .stderr_has("failed (exit status 3): ykman: no YubiKey detected")
        .run();
    assert_eq!(env.read_credentials_text(), default_source());
    assert!(aws.calls().is_empty(), "no code, no call");

    let printing = shell_command("echo 'aws: 123456'", "echo aws: 123456");
    Test::on(&env)
        .args(["--code-command", &printing, "--endpoint-url", &aws.url()])
        .run();
    assert!(sdk_value(&env.read_credentials_text(), "mfa", "aws_session_token").is_some());
    assert_eq!(param(&aws.calls()[0], "TokenCode"), Some(CODE));
}

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
    let mut child = Test::on(&env)
        .args([
            "--code-command",
            "echo 'Touch your YubiKey...' >&2; sleep 2; echo 123456",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .command()
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
    let mut child = Test::on(&env)
        .args([
            "--code-command",
            "yes 1234567",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .command()
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
    for args in [&["--help"][..], &["exec", "--help"]] {
        let help = Test::new().args(args).run().out.stdout;
        let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains(
                "Its stderr is shown as it comes; it is stopped after 120 s or 64 KiB of output"
            ),
            "{args:?}: {help}"
        );
    }
}

/// A person who types five answers that are not six digits is not asked forever: the run ends
/// with exit 2 and the reason, nothing is sent to STS, and the terminal echoes again.
#[test]
fn on_a_terminal_five_malformed_codes_end_the_run_without_a_call() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let url = aws.url();
    let Some(ran) = crate::support::pty::on_terminal(
        &env,
        &[],
        &["-t", "mfa", "--endpoint-url", &url],
        &[
            ("MFA code for", "12345\r"),
            ("MFA code for", "abcdef\r"),
            ("MFA code for", "1234567\r"),
            ("MFA code for", "12 34\r"),
            ("MFA code for", "x\r"),
        ],
    ) else {
        return;
    };
    assert_eq!(ran.code, 2, "{ran}");
    assert!(
        ran.transcript
            .contains("no well-formed MFA code after five tries"),
        "{ran}"
    );
    assert!(ran.echo, "the terminal echoes again\n{ran}");
    assert!(aws.calls().is_empty(), "{:?}", aws.calls());
    env.assert_credentials(default_source().as_bytes());
}
