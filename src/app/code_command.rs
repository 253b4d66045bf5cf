//! The code command: a command the user configured (`--code-command`, `mfa_process`) that
//! prints the MFA code, run bounded.
//!
//! Invariant: a code command is given at most [`CODE_COMMAND_TIMEOUT`] and
//! [`CODE_COMMAND_MAX_OUTPUT`], its standard error is shown as it comes, and a failure is
//! reported with its exit status and last lines of standard error.

use super::terminal::prompt::open_terminal;
use crate::error::Error;
use crate::input::MfaCode;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a code command may run (a touch, a password, an unlock prompt) before mfa-profile
/// gives up on it and stops it.
pub const CODE_COMMAND_TIMEOUT: Duration = Duration::from_secs(120);
/// The most a code command may print on standard output: a code is six digits, a list of
/// accounts with codes a few KiB.
pub const CODE_COMMAND_MAX_OUTPUT: usize = 64 * 1024;
/// How much of a code command's standard error is kept for the message when it fails.
const STDERR_TAIL: usize = 2048;

/// The bounds on one run of a code command.
#[derive(Clone, Copy, Debug)]
struct Limits {
    timeout: Duration,
    max_output: usize,
}

impl Limits {
    const DOCUMENTED: Limits = Limits {
        timeout: CODE_COMMAND_TIMEOUT,
        max_output: CODE_COMMAND_MAX_OUTPUT,
    };
}

/// Runs `command` with `sh -c` and takes the first group of exactly six digits on its standard
/// output. Its standard input is the user's, and its standard error is shown as it comes (so
/// "Touch your YubiKey" appears), its last lines kept for the message if it fails. It is
/// stopped after [`CODE_COMMAND_TIMEOUT`] or past [`CODE_COMMAND_MAX_OUTPUT`] of output.
pub fn code_from_command(command: &str) -> Result<MfaCode, Error> {
    // Without a controlling terminal the command gets a process group of its own, so that
    // stopping it stops what it started too; with one, it stays in ours, or reading the
    // terminal (a password prompt) would stop it, and Ctrl-C reaches it anyway.
    run_code_command(command, Limits::DOCUMENTED, open_terminal().is_none())
}

/// Runs `command` as [`code_from_command`] does, for a background run: its standard input
/// closed (a background run reads none) and a process group of its own.
pub(super) fn code_from_command_unattended(command: &str) -> Result<MfaCode, Error> {
    run_code_command_with(command, Limits::DOCUMENTED, true, Stdio::null())
}

fn run_code_command(command: &str, limits: Limits, own_group: bool) -> Result<MfaCode, Error> {
    run_code_command_with(command, limits, own_group, Stdio::inherit())
}

fn run_code_command_with(
    command: &str,
    limits: Limits,
    own_group: bool,
    stdin: Stdio,
) -> Result<MfaCode, Error> {
    let failed = |problem: String| Error::CodeCommand {
        command: command.to_owned(),
        problem,
    };
    let output = run_bounded(command, limits, own_group, stdin).map_err(failed)?;
    first_six_digits(&String::from_utf8_lossy(&output))
        .ok_or_else(|| failed("printed no six-digit code on its standard output".into()))
}

/// Runs `command` (a command the user configured) with `sh -c`, as the code command is run:
/// `stdin` for its standard input, its standard error shown as it comes, stopped past the
/// limits. Its standard output, or what went wrong (a phrase to follow the command's name).
pub(super) fn run_user_command(command: &str, stdin: Stdio) -> Result<Vec<u8>, String> {
    run_bounded(
        command,
        Limits::DOCUMENTED,
        open_terminal().is_none(),
        stdin,
    )
}

fn run_bounded(
    command: &str,
    limits: Limits,
    own_group: bool,
    stdin: Stdio,
) -> Result<Vec<u8>, String> {
    let mut child = spawn(command, own_group, stdin)
        .map_err(|e| format!("cannot be run: {}", crate::text::plain::io_error(&e)))?;
    let deadline = Instant::now() + limits.timeout;
    let stdout = read_bounded(child.stdout.take(), limits.max_output);
    let stderr = Tee::start(child.stderr.take());
    let output = match stdout.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Some(output)) => output,
        Ok(None) => {
            stop(&mut child);
            return Err(format!(
                "printed more than {} KiB on its standard output and was stopped",
                limits.max_output >> 10
            ));
        }
        Err(_) => {
            stop(&mut child);
            return Err(timed_out(limits.timeout));
        }
    };
    let Some(status) = wait_until(&mut child, deadline) else {
        stop(&mut child);
        return Err(timed_out(limits.timeout));
    };
    let said = stderr.tail();
    if !status.success() {
        let status = match status.code() {
            Some(code) => format!("exit status {code}"),
            None => "a signal".to_owned(),
        };
        let said = if said.is_empty() {
            String::new()
        } else {
            format!(": {said}")
        };
        return Err(format!("failed ({status}){said}"));
    }
    Ok(output)
}

fn timed_out(timeout: Duration) -> String {
    format!(
        "did not finish within {} s and was stopped",
        timeout.as_secs()
    )
}

/// Starts `sh -c command`, in a process group of its own if `own_group`.
#[cfg(unix)]
fn spawn(command: &str, own_group: bool, stdin: Stdio) -> std::io::Result<Child> {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if own_group {
        cmd.process_group(0);
    }
    cmd.spawn()
}

/// Starts `cmd /C command`, the command passed to cmd.exe verbatim: cmd does its own parsing,
/// and quoting it as one argument (as Rust does for ordinary programs) would change its
/// meaning.
#[cfg(windows)]
fn spawn(command: &str, _own_group: bool, stdin: Stdio) -> std::io::Result<Child> {
    use std::os::windows::process::CommandExt;
    Command::new("cmd")
        .arg("/C")
        .raw_arg(command)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// Stops the command.
#[cfg(windows)]
pub(super) fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Stops the command: its process group when it has its own, else the process itself. Its
/// pipes are not waited for: something it started may hold them open.
#[cfg(unix)]
pub(super) fn stop(child: &mut Child) {
    let pid = rustix::process::Pid::from_child(child);
    let own_group = rustix::process::getpgid(Some(pid)).is_ok_and(|group| group == pid);
    if own_group {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The child's exit status, or `None` once `deadline` has passed.
pub(super) fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) | Err(_) => return None,
        }
    }
}

/// Reads `pipe` to its end on a thread: `Some(bytes)`, or `None` past `max` bytes.
pub(super) fn read_bounded(
    pipe: Option<impl Read + Send + 'static>,
    max: usize,
) -> mpsc::Receiver<Option<Vec<u8>>> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(pipe) = pipe {
            let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
            if pipe.take(limit).read_to_end(&mut bytes).is_err() {
                bytes.clear();
            }
        }
        let _ = send.send((bytes.len() <= max).then_some(bytes));
    });
    receive
}

/// A code command's standard error, copied where messages go as it comes, its last [`STDERR_TAIL`]
/// bytes kept.
struct Tee {
    tail: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Tee {
    fn start(pipe: Option<impl Read + Send + 'static>) -> Tee {
        let tail = Arc::new(Mutex::new(Vec::new()));
        let (send, done) = mpsc::channel();
        let kept = Arc::clone(&tail);
        std::thread::spawn(move || {
            if let Some(mut pipe) = pipe {
                let mut buffer = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                    super::terminal::write_message(&buffer[..n]);
                    let mut tail = kept.lock().unwrap_or_else(|e| e.into_inner());
                    tail.extend_from_slice(&buffer[..n]);
                    let excess = tail.len().saturating_sub(STDERR_TAIL);
                    tail.drain(..excess);
                }
            }
            let _ = send.send(());
        });
        Tee { tail, done }
    }

    /// The last lines said, once the command has ended (waiting briefly for the pipe to
    /// close), trimmed, at most three of them.
    fn tail(&self) -> String {
        let _ = self.done.recv_timeout(Duration::from_millis(200));
        let tail = self.tail.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&tail);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines[lines.len().saturating_sub(3)..].join("; ")
    }
}

/// The first run of exactly six ASCII digits (not part of a longer run of digits).
fn first_six_digits(text: &str) -> Option<MfaCode> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .and_then(|run| run.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn six(text: &str) -> Option<String> {
        first_six_digits(text).map(|c| c.as_str().to_owned())
    }

    #[test]
    fn code_is_the_first_group_of_six_digits() {
        assert_eq!(six("123456\n").as_deref(), Some("123456"));
        assert_eq!(six("aws:alice  654321 (25 s)").as_deref(), Some("654321"));
        assert_eq!(six("1234567 and 222222").as_deref(), Some("222222"));
        assert_eq!(six("12345"), None);
        assert_eq!(six(""), None);
    }

    #[cfg(unix)]
    #[test]
    fn code_command_output_and_failure() {
        assert_eq!(
            code_from_command("echo 'Code: 098765'").unwrap().as_str(),
            "098765"
        );
        let failed = code_from_command("echo 'no YubiKey detected' >&2; exit 4")
            .unwrap_err()
            .to_string();
        assert!(failed.contains("exit status 4"), "{failed}");
        assert!(failed.contains("no YubiKey detected"), "{failed}");
        let silent = code_from_command("echo nothing").unwrap_err().to_string();
        assert!(silent.contains("no six-digit code"), "{silent}");
    }

    #[test]
    fn the_help_states_the_bounds() {
        use clap::CommandFactory;
        let help = crate::cli::Cli::command().render_long_help().to_string();
        let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let bounds = format!(
            "stopped after {} s or {} KiB of output",
            CODE_COMMAND_TIMEOUT.as_secs(),
            CODE_COMMAND_MAX_OUTPUT >> 10
        );
        assert!(words.contains(&bounds), "{help}");
    }

    // The tests that use it run `sh`.
    #[cfg(unix)]
    const QUICK: Limits = Limits {
        timeout: Duration::from_secs(1),
        max_output: CODE_COMMAND_MAX_OUTPUT,
    };

    #[cfg(unix)]
    #[test]
    fn endless_output_is_cut_at_the_bound() {
        let started = Instant::now();
        let error = run_code_command("yes 1234567", Limits::DOCUMENTED, true)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("printed more than 64 KiB on its standard output and was stopped"),
            "{error}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[cfg(unix)]
    #[test]
    fn a_command_that_never_ends_is_stopped_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let command = format!("sleep 1000 & echo $! > {}; wait", pid_file.display());
        let started = Instant::now();
        let error = run_code_command(&command, QUICK, true)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("did not finish within 1 s and was stopped"),
            "{error}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        let sleeper = std::fs::read_to_string(&pid_file).unwrap();
        let stat = format!("/proc/{}/stat", sleeper.trim());
        let deadline = Instant::now() + Duration::from_secs(2);
        // Gone, or a zombie waiting for its reaper.
        while std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z ")) {
            assert!(Instant::now() < deadline, "sleep 1000 is still running");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[cfg(unix)]
    #[test]
    fn in_our_process_group_a_command_is_still_given_up_on_in_time() {
        let started = Instant::now();
        let error = run_code_command("exec sleep 1000", QUICK, false)
            .unwrap_err()
            .to_string();
        assert!(error.contains("did not finish within 1 s"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[cfg(unix)]
    #[test]
    fn failure_quotes_the_last_lines_of_stderr() {
        let error = run_code_command(
            "for i in 1 2 3 4 5; do echo line $i >&2; done; exit 7",
            QUICK,
            true,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.ends_with("failed (exit status 7): line 3; line 4; line 5"),
            "{error}"
        );
    }

    /// cmd.exe gets the command as written: its quotes, parentheses and `&&` are its own.
    #[cfg(windows)]
    #[test]
    fn cmd_gets_the_command_verbatim_and_its_failure_is_reported() {
        let command = r#"echo 111111 > NUL && if "a"=="a" (echo 654321) else (echo 000000)"#;
        assert_eq!(code_from_command(command).unwrap().as_str(), "654321");
        let failed = code_from_command("echo no YubiKey detected 1>&2 & exit 4")
            .unwrap_err()
            .to_string();
        assert!(failed.contains("exit status 4"), "{failed}");
        assert!(failed.contains("no YubiKey detected"), "{failed}");
    }
}
