//! `refresh --all --background`, the scheduled job's run, against the stand-in that enforces
//! AWS's rules: a derived target re-derived with no code, a code command, a dialog answered
//! for real under Xvfb (and one cancelled, not shown again), a notification to a notification
//! server of the test's own on a D-Bus session when there is no display (its command run as
//! printed), a run with nothing to do (no connection), two runs at once (one dialog), and the
//! log (one line per target, bounded, no secret).

use crate::support::hints::{hinted, run_hint};
use crate::support::standin::*;
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `[name]`, a managed session the stand-in issued (valid for `secs`), recording `more`.
fn session(aws: &StandIn, name: &str, secs: i64, more: &str) -> String {
    let s = aws.issue_session(USER, true, secs);
    format!(
        "\n[{name}]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\nmfa_source_profile = default\n{more}",
        s.key_id, s.secret, s.token, s.expiration
    )
}

/// `[admin]`, derived from `[mfa]`, valid for `secs`.
fn derived_admin(aws: &StandIn, secs: i64) -> String {
    session(
        aws,
        "admin",
        secs,
        &format!("mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n"),
    )
}

/// The background run in `env`, STS at the stand-in, with `args` after `--background`.
fn background(env: &TestEnv, aws: &StandIn, args: &[&str]) -> Test {
    aws.next_code_window();
    Test::on(env)
        .args(["refresh", "--all", "--background"])
        .args(args)
        .env("AWS_ENDPOINT_URL_STS", aws.url())
}

/// The background run as the scheduler runs it: with no controlling terminal.
fn detached_background(env: &TestEnv, aws: &StandIn) -> Test {
    Test::on(env)
        .detached()
        .args(["refresh", "--all", "--background"])
        .env("AWS_ENDPOINT_URL_STS", aws.url())
}

fn log_path(env: &TestEnv) -> PathBuf {
    env.home().join(".local/state/mfa-profile/background.log")
}

/// The background log's lines.
fn log_lines(env: &TestEnv) -> Vec<String> {
    std::fs::read_to_string(log_path(env))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The log's line for `target` (the last one).
fn log_line(env: &TestEnv, target: &str) -> String {
    let lines = log_lines(env);
    lines
        .iter()
        .rev()
        .find(|l| l.contains(&format!(" [{target}] ")))
        .cloned()
        .unwrap_or_else(|| panic!("no log line for [{target}]:\n{}", lines.join("\n")))
}

#[test]
fn a_derived_target_is_derived_again_from_its_valid_base_with_no_code() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}{}",
        default_source(),
        session(&aws, "mfa", 8 * 3600, ""),
        derived_admin(&aws, 10 * 60)
    ));
    let out = detached_background(&env, &aws).run().out;
    assert_eq!(
        out.stderr, "",
        "a background run says nothing when all is well"
    );
    assert_eq!(aws.actions(), ["AssumeRole"], "no code, no GetSessionToken");
    assert_eq!(aws.calls()[0].params.get("TokenCode"), None);
    let line = log_line(&env, "admin");
    assert!(
        line.contains(" [admin] refreshed: valid until ")
            && line.contains("; assumed with [mfa]'s session, no code"),
        "{line}"
    );
    assert!(log_line(&env, "mfa").contains(" [mfa] valid: "));
    assert_eq!(
        aws.caller_of_profile(&env.read_credentials_text(), "admin")
            .as_deref(),
        Ok("arn:aws:sts::123456789012:assumed-role/admin/mfa-profile-default")
    );
}

/// Issue 22's promise: a derived target is re-derived without a code while its base is
/// valid, even when the base is due a refresh that nobody can give a code for.
#[test]
fn a_derived_target_is_derived_from_a_base_that_needs_a_code_while_it_is_valid() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}{}",
        default_source(),
        session(&aws, "mfa", 20 * 60, ""),
        derived_admin(&aws, 5 * 60)
    ));
    background(&env, &aws, &["--min-remaining", "30m"]).run();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    assert!(log_line(&env, "mfa").contains(" [mfa] notified: needs an MFA code for "));
    assert!(log_line(&env, "admin").contains(" [admin] refreshed: "));
}

#[test]
fn a_session_whose_source_has_a_code_command_is_refreshed_through_it_and_stdin_is_not_read() {
    let aws = StandIn::start();
    let runs = "code-command-runs";
    let env = TestEnv::with_credentials(&format!(
        "{}mfa_process = echo ran >>{runs}; echo 123456\n{}",
        default_source(),
        session(&aws, "mfa", 5 * 60, "")
    ));
    // A code on standard input is never read by a background run.
    background(&env, &aws, &[]).stdin("654321\n").run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    assert_eq!(
        aws.calls()[0].params.get("TokenCode").map(String::as_str),
        Some("123456"),
        "the code command's code, not standard input's"
    );
    let ran = std::fs::read_to_string(env.home().join(runs)).unwrap();
    assert_eq!(ran.lines().count(), 1);
    assert!(log_line(&env, "mfa").contains("; the code from the code command"));
}

#[test]
fn a_code_piped_in_is_not_read_when_nobody_can_be_asked() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    background(&env, &aws, &[]).stdin("123456\n").run();
    assert!(aws.calls().is_empty(), "nothing sent");
    assert!(log_line(&env, "mfa").contains(" [mfa] notified: "));
}

#[test]
fn a_run_with_nothing_to_do_makes_no_connection_and_logs_each_target() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}{}",
        default_source(),
        session(&aws, "mfa", 8 * 3600, ""),
        derived_admin(&aws, 50 * 60)
    ));
    let out = background(&env, &aws, &[]).run().out;
    assert_eq!(out.stderr, "");
    assert_eq!(aws.connections(), 0, "no network call");
    let lines = log_lines(&env);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let pid = lines[0].split(' ').nth(1).unwrap().to_owned();
    for (line, target) in lines.iter().zip(["mfa", "admin"]) {
        let words: Vec<&str> = line.splitn(5, ' ').collect();
        assert!(epoch_of(words[0]) <= now(), "the run's time: {line}");
        assert_eq!(words[1], pid, "one run");
        assert_eq!(words[2], format!("[{target}]"));
        assert_eq!(words[3], "valid:");
        assert!(words[4].ends_with("left): nothing to do"), "{line}");
    }
}

#[test]
fn the_log_is_bounded_and_holds_no_secret() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}mfa_process = echo 123456\n{}",
        default_source(),
        session(&aws, "mfa", 5 * 60, "")
    ));
    let log = log_path(&env);
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let old = "2025-01-01T00:00:00Z 1 [old] valid: an old line\n".repeat(6000);
    assert!(old.len() > 256 * 1024);
    std::fs::write(&log, &old).unwrap();
    background(&env, &aws, &[]).run();
    let moved = std::fs::read_to_string(log.with_extension("log.1")).unwrap();
    assert_eq!(moved, old, "the full log moved aside whole");
    let lines = log_lines(&env);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains(" [mfa] refreshed: "));
    let credentials = env.read_credentials_text();
    let secret = sdk_value(&credentials, "mfa", "aws_secret_access_key").unwrap();
    let token = sdk_value(&credentials, "mfa", "aws_session_token").unwrap();
    for text in [SECRET, secret.as_str(), token.as_str()] {
        assert!(
            !lines[0].contains(text),
            "a secret in the log: {}",
            lines[0]
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&log).unwrap().mode() & 0o777, 0o600);
    }
}

// ---------------------------------------------------------------------------------------
// Nobody at a terminal: a dialog, or a notification.

#[test]
fn a_session_that_needs_a_typed_code_asks_in_a_dialog_under_xvfb() {
    let Some(display) = crate::support::display::Display::start() else {
        return;
    };
    require!("setsid");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    aws.next_code_window();
    let mut typist = display.answer("123456");
    detached_background(&env, &aws)
        .env("DISPLAY", &display.name)
        .run();
    let _ = typist.wait();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    assert_eq!(
        aws.calls()[0].params.get("TokenCode").map(String::as_str),
        Some("123456")
    );
    assert!(log_line(&env, "mfa").contains("; the code typed in a dialog"));
}

#[test]
fn a_cancelled_dialog_is_not_shown_again_before_the_next_run() {
    let Some(display) = crate::support::display::Display::start() else {
        return;
    };
    require!("setsid");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    let mut typist = display.answer("");
    detached_background(&env, &aws)
        .env("DISPLAY", &display.name)
        .run();
    let _ = typist.wait();
    let line = log_line(&env, "mfa");
    assert!(
        line.contains(" [mfa] declined: no MFA code was entered (the dialog was cancelled); arn:aws:iam::123456789012:mfa/alice is not asked again before "),
        "{line}"
    );
    // The next run within --every shows no dialog (one would wait 120 s for an answer).
    let started = Instant::now();
    let mut second = detached_background(&env, &aws)
        .env("DISPLAY", &display.name)
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let finished = loop {
        if let Ok(Some(status)) = second.try_wait() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = second.kill();
            let _ = second.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        finished.is_some_and(|s| s.success()),
        "a dialog was shown again"
    );
    let line = log_line(&env, "mfa");
    assert!(
        line.contains(" [mfa] quiet: needs an MFA code for arn:aws:iam::123456789012:mfa/alice, and its dialog was cancelled at "),
        "{line}"
    );
    assert!(aws.calls().is_empty());
}

/// A Python with D-Bus and GLib bindings (Debian's python3-dbus and python3-gi), for the
/// notification server; under CI its absence fails the test.
fn dbus_python() -> Option<String> {
    if !require("dbus-run-session") {
        return None;
    }
    let found = ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import dbus, dbus.mainloop.glib, gi.repository.GLib"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        skipped(
            &current_test(),
            "python3-dbus and python3-gi missing (scripts/tools.sh installs them)",
        );
    }
    found.map(str::to_owned)
}

/// Runs the background run in a D-Bus session of its own where tests/cli/support/notifications.py
/// serves org.freedesktop.Notifications; `path` is the run's PATH. The notifications it got.
fn notified(
    env: &TestEnv,
    aws: &StandIn,
    python: &str,
    path: &str,
) -> (Run, Vec<serde_json::Value>) {
    let out_file = env.home().join("notifications.jsonl");
    let ready = env.home().join("server-ready");
    let _ = std::fs::remove_file(&out_file);
    let _ = std::fs::remove_file(&ready);
    aws.next_code_window();
    let script = "\"$PYTHON\" \"$SERVER\" \"$OUT\" \"$READY\" &
server=$!
i=0
while [ ! -s \"$READY\" ]; do i=$((i + 1)); [ $i -gt 200 ] && exit 90; sleep 0.05; done
PATH=\"$RUN_PATH\" \"$BIN\" refresh --all --background --min-remaining 30m; code=$?
kill $server
exit $code
";
    let out = run(env
        .command("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .env("PYTHON", python)
        .env(
            "SERVER",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/support/notifications.py"),
        )
        .env("OUT", &out_file)
        .env("READY", &ready)
        .env("RUN_PATH", path)
        .env("BIN", BIN)
        .env("AWS_ENDPOINT_URL_STS", aws.url()));
    let notifications = std::fs::read_to_string(&out_file)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out, notifications)
}

#[test]
fn with_no_display_the_desktop_is_notified_and_its_command_works_as_printed() {
    let Some(python) = dbus_python() else {
        return;
    };
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", 20 * 60, "")
    ));
    let path = std::env::var("PATH").unwrap_or_default();
    let (out, notifications) = notified(&env, &aws, &python, &path);
    out.assert_code(0);
    assert_eq!(notifications.len(), 1, "{out}");
    let note = &notifications[0];
    assert_eq!(note["app"], "mfa-profile");
    assert_eq!(note["summary"], "mfa-profile: [mfa] needs an MFA code");
    let body = note["body"].as_str().unwrap();
    assert!(
        body.starts_with("[mfa] expires at ")
            && body.contains("(in 20m). Its refresh needs a code for arn:aws:iam::123456789012:mfa/alice: run `mfa-profile -t mfa --min-remaining 30m` in a terminal."),
        "{body}"
    );
    assert!(log_line(&env, "mfa").contains(" [mfa] notified: needs an MFA code for arn:aws:iam::123456789012:mfa/alice: the desktop was notified (notify-send)"));
    assert!(aws.calls().is_empty());

    // The command the notification gives, run as printed with a code, refreshes [mfa].
    aws.next_code_window();
    env.next_code_window();
    run_hint(
        &env,
        &hinted(body, "mfa-profile -t mfa"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_stderr_has("wrote [mfa]");
    assert_eq!(aws.actions(), ["GetSessionToken"]);
}

#[test]
fn without_notify_send_the_notification_goes_through_gdbus() {
    let Some(python) = dbus_python() else {
        return;
    };
    require!("gdbus");
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    let only_gdbus = env.home().join("only-gdbus");
    std::fs::create_dir_all(&only_gdbus).unwrap();
    let gdbus = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v gdbus"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(gdbus.trim(), only_gdbus.join("gdbus")).unwrap();
    let (out, notifications) = notified(&env, &aws, &python, &only_gdbus.display().to_string());
    out.assert_code(0);
    assert_eq!(notifications.len(), 1, "{out}");
    assert!(notifications[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("[mfa] expired at "));
    assert!(log_line(&env, "mfa")
        .contains("the desktop was notified (gdbus (org.freedesktop.Notifications))"));
}

// ---------------------------------------------------------------------------------------
// Two runs at once

/// A `zenity` stand-in: logs that it was asked, waits two seconds (the other run meanwhile
/// waits for the device), then answers `$ANSWER` (a code), or cancels when it is empty.
const ZENITY: &str = "#!/bin/sh
echo asked >>\"$DIALOG_LOG\"
sleep 2
[ -n \"$ANSWER\" ] || exit 1
echo \"$ANSWER\"
";

/// Two background runs started together, a dialog stand-in answering `answer`; the dialog's
/// log.
fn two_at_once(env: &TestEnv, aws: &StandIn, answer: &str) -> String {
    let bin_dir = env.home().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let zenity = bin_dir.join("zenity");
    std::fs::write(&zenity, ZENITY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dialog_log = env.home().join("dialogs");
    let children: Vec<_> = (0..2)
        .map(|_| {
            background(env, aws, &[])
                .env("PATH", &path)
                .env("DISPLAY", ":99")
                .env("DIALOG_LOG", &dialog_log)
                .env("ANSWER", answer)
                .command()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    std::fs::read_to_string(dialog_log).unwrap_or_default()
}

#[test]
fn two_runs_at_once_show_one_dialog_and_refresh_once() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    let dialogs = two_at_once(&env, &aws, "123456");
    assert_eq!(dialogs.lines().count(), 1, "one dialog");
    assert_eq!(aws.actions(), ["GetSessionToken"], "one refresh");
    let lines = log_lines(&env);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains(" [mfa] refreshed: "))
            .count(),
        1
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("(refreshed meanwhile by another mfa-profile)"))
            .count(),
        1,
        "{lines:?}"
    );
}

#[test]
fn two_runs_at_once_with_a_cancelled_dialog_show_it_once() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    let dialogs = two_at_once(&env, &aws, "");
    assert_eq!(dialogs.lines().count(), 1, "one dialog");
    assert!(aws.calls().is_empty());
    let lines = log_lines(&env);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains(" [mfa] declined: "))
            .count(),
        1,
        "{lines:?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains(" [mfa] quiet: "))
            .count(),
        1,
        "{lines:?}"
    );
}

/// Run by hand in a terminal, it says its lines there too, and asks nothing: a target that
/// needs a typed code is not asked for on the terminal.
#[test]
fn run_by_hand_in_a_terminal_it_says_its_lines_and_asks_nothing_there() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        session(&aws, "mfa", -60, "")
    ));
    let url = aws.url();
    let Some(ran) = crate::support::pty::on_terminal(
        &env,
        &[("AWS_ENDPOINT_URL_STS", &url)],
        &["refresh", "--all", "--background"],
        &[],
    ) else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(
        ran.transcript
            .contains(" [mfa] notified: needs an MFA code"),
        "{ran}"
    );
    assert!(
        !ran.transcript.contains("(for [mfa]):"),
        "asked on the terminal: {ran}"
    );
    assert!(aws.calls().is_empty());
}
