//! `schedule install|remove|status`: each kind's job checked by the real thing that reads it
//! (Debian's `crontab` and `cron` in a mount namespace with a spool of the test's own,
//! `systemd-analyze verify`, Python's `plistlib`, an XML parser and the C runtime's argument
//! rules), run as that thing would run it, and put in and taken out without touching the
//! machine's crontab or the user's systemd (a `systemctl` stand-in on PATH).

use crate::support::hints::hinted;
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory name that every kind must quote: a space, `'`, `"`, `%`, `$`, `\`.
const ODD: &str = "it's 100% \"odd\" $x \\ dir";
/// [`ODD`] without the backslash, which crons read differently (refused for cron).
const CRON_ODD: &str = "it's 100% \"odd\" $x dir";
/// [`ODD`] without quotes and backslash, which systemd refuses in a program's path.
const SYSTEMD_ODD: &str = "100% $x dir";

/// Targets valid for hours: a background run of them has nothing to do but log.
fn valid_targets() -> String {
    let later = mfa_profile::rfc3339(now() + 8 * 3600);
    format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", &later)
    )
}

/// The sections of `--dry-run`'s output: each `==> HEADER <==` and the exact text under it.
fn sections(output: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for line in output.split_inclusive('\n') {
        let header = line
            .trim_end()
            .strip_prefix("==> ")
            .and_then(|rest| rest.strip_suffix(" <=="));
        match (header, found.last_mut()) {
            (Some(header), _) => found.push((header.to_owned(), String::new())),
            (None, Some((_, text))) => text.push_str(line),
            (None, None) => {}
        }
    }
    found
}

/// The text of the section whose header starts with `start`.
fn section(output: &str, start: &str) -> String {
    sections(output)
        .into_iter()
        .find(|(header, _)| header.starts_with(start))
        .unwrap_or_else(|| panic!("no section {start:?} in:\n{output}"))
        .1
}

/// An odd place: the credentials and config files in a directory named `files`, the binary
/// hard-linked into one named `exe` (so the job names it by that path), the state directory
/// beside the files: (the environment, the files' directory, the binary, the state
/// directory).
fn odd_place(files: &str, exe: &str) -> (TestEnv, PathBuf, PathBuf, PathBuf) {
    let env = TestEnv::new();
    let dir = env.home().join(files);
    let exe_dir = env.home().join("bin").join(exe);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&exe_dir).unwrap();
    let bin = exe_dir.join("mfa-profile");
    if std::fs::hard_link(BIN, &bin).is_err() {
        std::fs::copy(BIN, &bin).unwrap();
    }
    std::fs::write(dir.join("credentials"), valid_targets()).unwrap();
    std::fs::write(dir.join("config"), "[default]\nregion = eu-west-1\n").unwrap();
    let state = dir.join("state");
    (env, dir, bin, state)
}

/// The binary at `bin` in `env`, with the files of `dir` and the state directory `state` in
/// force.
fn odd_command(env: &TestEnv, dir: &Path, bin: &Path, state: &Path) -> Command {
    let mut cmd = env.command(bin);
    cmd.env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("XDG_STATE_HOME", state);
    cmd
}

/// The log of the background runs in the state directory `state` (XDG_STATE_HOME).
fn log_in(state: &Path) -> String {
    std::fs::read_to_string(state.join("mfa-profile/background.log")).unwrap_or_default()
}

/// Asserts that the log of `state` holds one run of the odd credentials file: its `[mfa]`
/// valid, nothing to do.
fn assert_ran_for_odd_files(state: &Path) {
    let log = log_in(state);
    let line = log
        .lines()
        .last()
        .unwrap_or_else(|| panic!("the job did not run: no log in {}", state.display()));
    assert!(
        line.contains(" [mfa] valid: valid until ") && line.ends_with("nothing to do"),
        "{log}"
    );
}

// ---------------------------------------------------------------------------------------
// cron

/// Whether this process may make a mount namespace (`unshare -m`: root); under CI its absence
/// fails the test.
fn mount_namespace() -> bool {
    if !require("unshare") || !require("crontab") {
        return false;
    }
    let works = Command::new("unshare")
        .args(["-m", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        assert!(
            !in_ci(),
            "unshare -m fails: the crontab tests need root (a mount namespace)"
        );
        skipped(&current_test(), "unshare -m needs root");
    }
    works
}

/// Runs `script` with `sh` in a mount namespace where Debian's crontab spool
/// (/var/spool/cron/crontabs) is the empty directory `spool`: `crontab` there edits the
/// test's own crontab, never the machine's.
fn in_own_spool(env: &TestEnv, spool: &Path, script: &str) -> Command {
    std::fs::create_dir_all(spool).unwrap();
    let mut cmd = env.command("unshare");
    cmd.args([
        "-m",
        "sh",
        "-c",
        &format!("mount --bind \"$SPOOL\" /var/spool/cron/crontabs || exit 90\n{script}"),
    ])
    .env("SPOOL", spool);
    cmd
}

#[test]
fn cron_install_twice_then_remove_gives_back_the_crontab_byte_for_byte() {
    if !mount_namespace() {
        return;
    }
    let env = TestEnv::with_credentials(&valid_targets());
    let original =
        "# my jobs\nMAILTO=\"\"\n\n0 5 * * *   echo 'hi %' >/dev/null   # spaced\n\t# tab\n";
    std::fs::write(env.home().join("original"), original).unwrap();
    let out = run(in_own_spool(
        &env,
        &env.home().join("spool"),
        "crontab original || exit 91
\"$BIN\" schedule install --using cron && \"$BIN\" schedule install --using cron || exit 92
crontab -l >installed || exit 93
\"$BIN\" schedule status >status || exit 94
\"$BIN\" schedule remove || exit 95
crontab -l >removed || exit 96
\"$BIN\" schedule remove >again 2>&1 || exit 97
",
    )
    .env("BIN", BIN));
    out.assert_code(0)
        .assert_stderr_has("installed a line in your crontab:");
    let read = |name: &str| std::fs::read_to_string(env.home().join(name)).unwrap();
    let installed = read("installed");
    assert_eq!(
        installed.matches("# mfa-profile schedule: begin").count(),
        1,
        "installed once:\n{installed}"
    );
    assert!(installed.ends_with(original), "{installed}");
    let line = installed.lines().nth(1).unwrap();
    assert!(line.starts_with("*/10 * * * * "), "{line}");
    assert!(
        line.contains(&format!(
            " {BIN} refresh --all --background --every 10m --min-remaining 30m --credentials-file {} --config-file {}",
            env.credentials().display(),
            env.config().display()
        )),
        "{line}"
    );
    assert_eq!(read("removed"), original, "the exact original back");
    assert!(read("again").contains("not installed: nothing to remove"));
    let status = read("status");
    assert!(
        status.starts_with("schedule: a line in your crontab"),
        "{status}"
    );
    assert!(status.contains("\nnext run: "), "{status}");
}

#[test]
fn cron_remove_of_the_only_lines_leaves_no_crontab() {
    if !mount_namespace() {
        return;
    }
    let env = TestEnv::with_credentials(&valid_targets());
    let out = run(in_own_spool(
        &env,
        &env.home().join("spool"),
        "\"$BIN\" schedule install --using cron --every 2h --ahead 3h || exit 91
crontab -l | grep -q '^0 \\*/2 \\* \\* \\* ' || exit 92
\"$BIN\" schedule remove || exit 93
crontab -l; echo \"exit $?\"
",
    )
    .env("BIN", BIN));
    out.assert_code(0)
        .assert_stdout_has("exit 1")
        .assert_stderr_has("no crontab for");
}

/// The real cron (Debian's, in a namespace with its own spool, /etc/crontab and /etc/cron.d
/// empty, its own /run) runs the job's line at the next minute: the odd paths survive cron's
/// `%` rule and the shell's quoting, and the run logs its targets.
#[test]
fn the_real_cron_runs_the_job_line_with_odd_paths() {
    if !mount_namespace() || !require("cron") {
        return;
    }
    let (env, dir, bin, state) = odd_place(CRON_ODD, CRON_ODD);
    let spool = env.home().join("spool");
    let empty = env.home().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(env.home().join("crontab"), "").unwrap();
    let mut cmd = in_own_spool(
        &env,
        &spool,
        "mount -t tmpfs tmpfs /run && mount --bind \"$EMPTY\" /etc/cron.d && mount --bind \"$NO_CRONTAB\" /etc/crontab || exit 91
\"$ODD_BIN\" schedule install --using cron --every 1m --ahead 1m || exit 92
exec cron -f
",
    );
    cmd.env("ODD_BIN", &bin)
        .env("EMPTY", &empty)
        .env("NO_CRONTAB", env.home().join("crontab"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("XDG_STATE_HOME", &state)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut cron = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(100);
    while log_in(&state).is_empty() && std::time::Instant::now() < deadline {
        if let Ok(Some(status)) = cron.try_wait() {
            panic!("cron's namespace ended early: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let _ = cron.kill();
    let _ = cron.wait();
    assert_ran_for_odd_files(&state);
}

// ---------------------------------------------------------------------------------------
// systemd

/// Verifies the units of `--dry-run` with `systemd-analyze verify` (as user units); its exit
/// code and output.
fn verify_units(env: &TestEnv, service: &str, timer: &str) -> Run {
    let dir = env.home().join("units");
    let runtime = env.home().join("runtime");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::write(dir.join("mfa-profile-refresh.service"), service).unwrap();
    std::fs::write(dir.join("mfa-profile-refresh.timer"), timer).unwrap();
    run(env
        .command("systemd-analyze")
        .args(["--user", "verify"])
        .arg(dir.join("mfa-profile-refresh.timer"))
        .arg(dir.join("mfa-profile-refresh.service"))
        .env("XDG_RUNTIME_DIR", &runtime))
}

/// The words of an `ExecStart=` line as systemd splits them (systemd.service, "Command
/// lines": double-quoted words, C escapes, `%%`, and `$$` in the arguments), for a unit we
/// wrote.
fn exec_start_words(service: &str) -> Vec<String> {
    let line = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap();
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            assert_eq!(c, ' ', "every word is quoted: {line}");
            continue;
        }
        let mut word = String::new();
        loop {
            match chars.next().unwrap() {
                '"' => break,
                '\\' | '%' => word.push(chars.next().unwrap()),
                '$' if !words.is_empty() && chars.peek() == Some(&'$') => {
                    word.push(chars.next().unwrap())
                }
                c => word.push(c),
            }
        }
        words.push(word);
    }
    words
}

#[test]
fn the_systemd_units_verify_and_name_the_binary_and_files() {
    require!("systemd-analyze");
    let (env, dir, bin, state) = odd_place(ODD, SYSTEMD_ODD);
    let out = run(odd_command(&env, &dir, &bin, &state).args([
        "schedule",
        "install",
        "--using",
        "systemd",
        "--dry-run",
    ]));
    out.assert_code(0);
    let service = section(
        &out.stdout,
        &format!(
            "{}/.config/systemd/user/mfa-profile-refresh.service",
            env.home().display()
        ),
    );
    let timer = section(
        &out.stdout,
        &format!(
            "{}/.config/systemd/user/mfa-profile-refresh.timer",
            env.home().display()
        ),
    );
    let verified = verify_units(&env, &service, &timer);
    assert_eq!(verified.code, 0, "{verified}\n{service}");
    assert!(verified.stderr.is_empty(), "{verified}");
    let odd = dir.clone();
    assert_eq!(
        exec_start_words(&service),
        [
            bin.display().to_string(),
            "refresh".into(),
            "--all".into(),
            "--background".into(),
            "--every".into(),
            "10m".into(),
            "--min-remaining".into(),
            "30m".into(),
            "--credentials-file".into(),
            odd.join("credentials").display().to_string(),
            "--config-file".into(),
            odd.join("config").display().to_string(),
        ]
    );
    // The control: the same unit with the binary's path unquoted is refused, so verify does
    // read where the binary is.
    let words = exec_start_words(&service);
    let unquoted: String = service
        .lines()
        .map(|line| match line.starts_with("ExecStart=") {
            true => format!("ExecStart={}\n", words.join(" ")),
            false => format!("{line}\n"),
        })
        .collect();
    assert_ne!(unquoted, service);
    assert_ne!(verify_units(&env, &unquoted, &timer).code, 0);
    // The run the unit starts, run as it names it, logs the odd files' target.
    let ran = run(env
        .command(&words[0])
        .args(&words[1..])
        .env("XDG_STATE_HOME", &state));
    ran.assert_code(0);
    assert_ran_for_odd_files(&state);
}

/// A `systemctl` that answers as the user's systemd would, logging its arguments to
/// `$SYSTEMCTL_LOG`.
const SYSTEMCTL: &str = "#!/bin/sh
echo \"$*\" >>\"$SYSTEMCTL_LOG\"
case \"$*\" in
  *list-timers*)
    echo 'NEXT                        LEFT          LAST PASSED UNIT                      ACTIVATES'
    echo 'Mon 2030-06-03 10:10:00 UTC 4min 1s left  n/a  n/a    mfa-profile-refresh.timer mfa-profile-refresh.service'
    echo
    echo '1 timers listed.' ;;
esac
exit 0
";

/// `env` with the `systemctl` stand-in first on PATH and XDG_CONFIG_HOME in its home; the
/// stand-in's log.
fn with_systemctl(env: &TestEnv) -> (String, PathBuf) {
    let bin_dir = env.home().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let systemctl = bin_dir.join("systemctl");
    std::fs::write(&systemctl, SYSTEMCTL).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&systemctl, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (path, env.home().join("systemctl.log"))
}

/// A run on `env` with the systemctl stand-in of `path` in force, its calls logged to `log`.
fn mfa_with_systemctl(env: &TestEnv, path: &str, log: &Path) -> Test {
    Test::on(env)
        .env("PATH", path)
        .env("SYSTEMCTL_LOG", log)
        .env("XDG_CONFIG_HOME", env.home().join("config-home"))
}

#[test]
fn systemd_install_status_and_remove_through_systemctl() {
    let env = TestEnv::with_credentials(&valid_targets());
    // Private, so that what doctor finds is about the schedule alone (its exit code: 0).
    std::fs::set_permissions(
        env.credentials(),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let (path, log) = with_systemctl(&env);
    let units = env.home().join("config-home/systemd/user");
    let mfa = || mfa_with_systemctl(&env, &path, &log);

    // Not installed: status and doctor say how to install it, and that command works.
    let status = mfa().arg("status").run().out;
    status.assert_code(0).assert_stderr_has("schedule: none;");
    let hint = hinted(&status.stderr, "mfa-profile schedule install");
    let doctor = mfa().arg("doctor").run().out;
    assert_eq!(
        hinted(&doctor.stdout, "mfa-profile schedule install"),
        hint,
        "doctor gives the same command"
    );
    let installed = run_hint_with(&env, &hint, &path, &log);
    installed
        .assert_code(0)
        .assert_stderr_has("installed a systemd user timer:");
    let doctor = mfa().arg("doctor").run().out;
    assert!(
        doctor
            .stdout
            .contains("ok schedule: a systemd user timer runs every 10m"),
        "{doctor}"
    );

    assert!(units.join("mfa-profile-refresh.service").is_file());
    let timer = std::fs::read_to_string(units.join("mfa-profile-refresh.timer")).unwrap();
    assert!(timer.contains("OnUnitActiveSec=10m"), "{timer}");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls,
        "--user show --property=Version\n--user daemon-reload\n--user enable --now mfa-profile-refresh.timer\n"
    );

    // Installed twice is installed once: the same units.
    let service = std::fs::read(units.join("mfa-profile-refresh.service")).unwrap();
    mfa().args(["schedule", "install"]).run().out.assert_code(0);
    assert_eq!(
        std::fs::read(units.join("mfa-profile-refresh.service")).unwrap(),
        service
    );

    let status = run_hint_with(
        &env,
        &hinted(&installed.stderr, "mfa-profile schedule status"),
        &path,
        &log,
    );
    status
        .assert_code(0)
        .assert_stdout_has("schedule: a systemd user timer")
        .assert_stdout_has("next run: Mon 2030-06-03 10:10:00 UTC (4min 1s left)")
        .assert_stdout_has("last run: none yet");

    // A run (the job's command, as the message names it): status and doctor say its outcome.
    run_hint_with(
        &env,
        &hinted(&installed.stderr, "mfa-profile refresh --all --background"),
        &path,
        &log,
    )
    .assert_code(0);
    let status = mfa().arg("status").run().out;
    assert!(
        status.stderr.contains("schedule: a systemd user timer every 10m, refreshing what expires within 30m in ~/.aws/credentials; last run ")
            && status.stderr.contains("ago): [mfa] valid"),
        "{status}"
    );
    let doctor = mfa().arg("doctor").run().out;
    assert!(
        doctor.stdout.contains("ok schedule: its last run, at "),
        "{doctor}"
    );

    // The timer's file gone (removed by hand): status says so, and how to put it back.
    std::fs::remove_file(units.join("mfa-profile-refresh.timer")).unwrap();
    let gone = mfa().args(["schedule", "status"]).run().out;
    gone.assert_code(0).assert_stdout_has("is gone; `mfa-profile schedule install --using systemd --every 10m --ahead 30m --credentials-file ");
    run_hint_with(
        &env,
        &hinted(&gone.stdout, "mfa-profile schedule install"),
        &path,
        &log,
    )
    .assert_code(0);
    assert_eq!(
        std::fs::read_to_string(units.join("mfa-profile-refresh.timer")).unwrap(),
        timer
    );

    removed_then_installed_again_as_status_says(&env, &path, &log, &units);
}

/// `schedule remove` takes the units away; `schedule status` then says so, and the command it
/// names, as printed, installs the job again.
fn removed_then_installed_again_as_status_says(
    env: &TestEnv,
    path: &str,
    log: &Path,
    units: &Path,
) {
    let mfa = || mfa_with_systemctl(env, path, log);
    std::fs::write(log, "").unwrap();
    mfa()
        .args(["schedule", "remove"])
        .run()
        .out
        .assert_code(0)
        .assert_stderr_has("removed a systemd user timer");
    assert!(!units.join("mfa-profile-refresh.service").exists());
    assert!(!units.join("mfa-profile-refresh.timer").exists());
    assert_eq!(
        std::fs::read_to_string(log).unwrap(),
        "--user disable --now mfa-profile-refresh.timer\n--user daemon-reload\n"
    );
    let none = mfa().args(["schedule", "status"]).run().out;
    none.assert_code(0)
        .assert_stdout_has("no schedule is installed");
    run_hint_with(
        env,
        &hinted(&none.stdout, "mfa-profile schedule install"),
        path,
        log,
    )
    .assert_code(0);
    assert!(units.join("mfa-profile-refresh.timer").exists());
}

/// Runs a hinted command with the systemctl stand-in in force.
fn run_hint_with(env: &TestEnv, command: &str, path: &str, log: &Path) -> Run {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "mfa-profile");
    mfa_with_systemctl(env, path, log)
        .args(&words[1..])
        .run()
        .out
}

/// A job that stopped running (the record says it was installed a day ago, the last run was
/// hours ago): doctor says so, and its hint `mfa-profile schedule status` shows what the
/// system says.
#[test]
fn doctor_says_when_the_job_stopped_running_and_its_hint_works() {
    let env = TestEnv::with_credentials(&valid_targets());
    let (path, log) = with_systemctl(&env);
    mfa_with_systemctl(&env, &path, &log)
        .args(["schedule", "install"])
        .run()
        .out
        .assert_code(0);
    let state = env.home().join(".local/state/mfa-profile");
    let record = std::fs::read_to_string(state.join("schedule.json")).unwrap();
    let long_ago = mfa_profile::rfc3339(now() - 86_400);
    let record = serde_json::from_str::<serde_json::Value>(&record).unwrap();
    let mut record = record.as_object().unwrap().clone();
    record.insert("installed_at".into(), long_ago.into());
    std::fs::write(
        state.join("schedule.json"),
        serde_json::Value::Object(record).to_string(),
    )
    .unwrap();
    let doctor = mfa_with_systemctl(&env, &path, &log)
        .arg("doctor")
        .status(1)
        .run()
        .out;
    doctor.assert_stdout_has("has not run since, though it runs every 10m");
    let status = run_hint_with(
        &env,
        &hinted(&doctor.stdout, "mfa-profile schedule status"),
        &path,
        &log,
    );
    status
        .assert_code(0)
        .assert_stdout_has("next run: Mon 2030-06-03 10:10:00 UTC");
}

// ---------------------------------------------------------------------------------------
// launchd and Task Scheduler, on any machine through --dry-run

/// Python with the standard library's plistlib and ElementTree.
fn python() -> Option<&'static str> {
    require("python3").then_some("python3")
}

#[test]
fn the_launch_agent_plist_parses_and_runs_the_job() {
    let Some(python) = python() else {
        return;
    };
    let (env, dir, bin, state) = odd_place(ODD, ODD);
    let out = run(odd_command(&env, &dir, &bin, &state).args([
        "schedule",
        "install",
        "--using",
        "launchd",
        "--dry-run",
        "--every",
        "15m",
        "--ahead",
        "45m",
    ]));
    out.assert_code(0);
    let plist = section(
        &out.stdout,
        &format!(
            "{}/Library/LaunchAgents/io.github.mfa-profile.refresh.plist",
            env.home().display()
        ),
    );
    let parsed = run_with_stdin(
        env.command(python).args([
            "-c",
            "import json, plistlib, sys; p = plistlib.loads(sys.stdin.buffer.read()); print(json.dumps(p))",
        ]),
        plist.as_bytes(),
    );
    parsed.assert_code(0);
    let plist = parsed.json();
    assert_eq!(plist["Label"], "io.github.mfa-profile.refresh");
    assert_eq!(plist["StartInterval"], 900);
    assert_eq!(plist["RunAtLoad"], true);
    let odd = dir.clone();
    let argv: Vec<String> = plist["ProgramArguments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(argv[0], bin.display().to_string());
    assert_eq!(
        argv[1..].join(" "),
        format!(
            "refresh --all --background --every 15m --min-remaining 45m --credentials-file {} --config-file {}",
            odd.join("credentials").display(),
            odd.join("config").display()
        )
    );
    assert_eq!(
        plist["EnvironmentVariables"]["XDG_STATE_HOME"],
        state.display().to_string()
    );
    // launchd runs ProgramArguments with EnvironmentVariables: so does the test.
    let mut job = env.command(&argv[0]);
    job.args(&argv[1..]);
    for (name, value) in plist["EnvironmentVariables"].as_object().unwrap() {
        job.env(name, value.as_str().unwrap());
    }
    run(&mut job).assert_code(0);
    assert_ran_for_odd_files(&state);
}

/// The Microsoft C runtime's reading of a command line into arguments ("Parsing C++
/// command-line arguments": a backslash run before `"` halves, an odd one leaves a literal
/// `"`; quotes group), in Python.
const SPLIT_WINDOWS_COMMAND_LINE: &str = r#"
import json, subprocess, sys
import xml.etree.ElementTree as ET
def split(line):
    args, word, quoted, in_word, i = [], [], False, False, 0
    while i < len(line):
        c = line[i]
        if c == '\\':
            n = 0
            while i < len(line) and line[i] == '\\':
                n += 1; i += 1
            if i < len(line) and line[i] == '"':
                word.append('\\' * (n // 2))
                if n % 2:
                    word.append('"'); i += 1
            else:
                word.append('\\' * n)
            in_word = True
            continue
        if c == '"':
            quoted = not quoted; in_word = True
        elif c in ' \t' and not quoted:
            if in_word:
                args.append(''.join(word)); word = []; in_word = False
        else:
            word.append(c); in_word = True
        i += 1
    if in_word:
        args.append(''.join(word))
    return args
ns = {'t': 'http://schemas.microsoft.com/windows/2004/02/mit/task'}
task = ET.fromstring(sys.stdin.read().encode('utf-16'))
command = task.find('t:Actions/t:Exec/t:Command', ns).text
arguments = task.find('t:Actions/t:Exec/t:Arguments', ns).text
args = split(arguments)
print(json.dumps({
    'command': command,
    'args': args,
    'list2cmdline': subprocess.list2cmdline(args) == arguments,
    'interval': task.find('t:Triggers/t:TimeTrigger/t:Repetition/t:Interval', ns).text,
    'logon': task.find('t:Principals/t:Principal/t:LogonType', ns).text,
}))
"#;

#[test]
fn the_task_xml_parses_and_runs_the_job() {
    let Some(python) = python() else {
        return;
    };
    let (env, dir, bin, state) = odd_place(ODD, ODD);
    let out = run(odd_command(&env, &dir, &bin, &state).args([
        "schedule",
        "install",
        "--using",
        "task-scheduler",
        "--dry-run",
    ]));
    out.assert_code(0);
    let xml = section(
        &out.stdout,
        &state.join("mfa-profile").display().to_string(),
    );
    let parsed = run_with_stdin(
        env.command(python).args(["-c", SPLIT_WINDOWS_COMMAND_LINE]),
        xml.as_bytes(),
    );
    parsed.assert_code(0);
    let task = parsed.json();
    assert_eq!(task["interval"], "PT10M");
    assert_eq!(task["logon"], "InteractiveToken");
    assert_eq!(task["list2cmdline"], true, "{task}");
    assert_eq!(task["command"], bin.display().to_string());
    let args: Vec<String> = task["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    let odd = dir.clone();
    assert_eq!(args[8], odd.join("credentials").display().to_string());
    assert_eq!(args[10], odd.join("config").display().to_string());
    // Task Scheduler starts Command with Arguments (a Windows task gets the user's
    // environment: the state directory is given as the job's run would find it).
    run(env
        .command(task["command"].as_str().unwrap())
        .args(&args)
        .env("XDG_STATE_HOME", &state))
    .assert_code(0);
    assert_ran_for_odd_files(&state);
}

#[test]
fn dry_run_changes_nothing_and_a_kind_of_another_system_is_refused() {
    let env = TestEnv::with_credentials(&valid_targets());
    // A crontab that only lists: the machine's is never read, and a write would show.
    let bin_dir = env.home().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::fs::write(
        bin_dir.join("crontab"),
        "#!/bin/sh\n[ \"$1\" = -l ] || exit 99\necho \"no crontab for test\" >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            bin_dir.join("crontab"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let before = tree(env.home());
    for kind in ["systemd", "cron", "launchd", "task-scheduler"] {
        Test::on(&env)
            .env("PATH", &path)
            .args(["schedule", "install", "--dry-run", "--using", kind])
            .run();
        Test::on(&env)
            .env("PATH", &path)
            .args(["schedule", "remove", "--dry-run", "--using", kind])
            .run()
            .out
            .assert_stdout_has("is not installed; nothing would be removed");
    }
    assert_eq!(tree(env.home()), before, "nothing written");
    let refused = Test::in_env(env)
        .args(["schedule", "install", "--using", "launchd"])
        .status(2)
        .stderr_has("launchd jobs are not kept on this system (a LaunchAgent); `mfa-profile schedule install --using launchd --dry-run` shows what would be installed")
        .run();
    let shown = crate::support::hints::run_hint(
        &refused.env,
        &hinted(&refused.out.stderr, "mfa-profile schedule install"),
        NO_ARGS,
    );
    shown
        .assert_code(0)
        .assert_stdout_has("# a LaunchAgent would be installed; nothing was changed (--dry-run)");
}

/// What a kind cannot carry is refused with the way out, before anything is written.
#[test]
fn a_path_a_kind_cannot_carry_is_refused() {
    let (env, dir, bin, state) = odd_place(ODD, ODD);
    let cron = run(odd_command(&env, &dir, &bin, &state).args([
        "schedule",
        "install",
        "--using",
        "cron",
        "--dry-run",
    ]));
    cron.assert_code(2)
        .assert_stderr_has("holds a backslash, which crons read differently");
    let systemd = run(odd_command(&env, &dir, &bin, &state).args([
        "schedule",
        "install",
        "--using",
        "systemd",
        "--dry-run",
    ]));
    systemd.assert_code(2).assert_stderr_has(
        "holds a quote or a backslash, which systemd refuses in a program's path",
    );
}

#[test]
fn an_every_cron_cannot_keep_and_an_ahead_shorter_than_every_are_refused() {
    Test::new()
        .args([
            "schedule",
            "install",
            "--using",
            "cron",
            "--dry-run",
            "--every",
            "7m",
        ])
        .status(2)
        .stderr_has("--every 7m: cron runs a job at an even pace only when it divides an hour")
        .run();
    Test::new()
        .args([
            "schedule",
            "install",
            "--dry-run",
            "--every",
            "30m",
            "--ahead",
            "10m",
        ])
        .status(2)
        .stderr_has("--ahead 10m is shorter than --every 30m")
        .run();
}

/// Every file under `dir`, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    found.sort();
    found
}

/// The job's definition is a file other programs read: a proxy variable holding a password is
/// left out of it (and the user warned), never printed, while a proxy without one and
/// `NO_PROXY` are carried to the job.
#[test]
fn a_proxy_password_is_left_out_of_the_job_and_never_shown() {
    let env = TestEnv::with_credentials(&valid_targets());
    let before = tree(env.home());
    let ran = Test::in_env(env)
        .env("HTTPS_PROXY", "http://bob:s3cretPassw0rd@proxy.example:3128")
        .env("http_proxy", "http://plain.example:3128")
        .env("NO_PROXY", "localhost")
        .args(["schedule", "install", "--dry-run", "--using", "systemd"])
        .stderr_has("HTTPS_PROXY holds a password, which the job would keep in a file: it is left out, so the job's refreshes go without that proxy")
        .stdout_has("\"http_proxy=http://plain.example:3128\"")
        .stdout_has("\"NO_PROXY=localhost\"")
        .run();
    assert!(!ran.out.stdout.contains("HTTPS_PROXY"), "{}", ran.out);
    ran.out.assert_silent_about("s3cretPassw0rd");
    assert_eq!(tree(ran.env.home()), before, "nothing written");
}
