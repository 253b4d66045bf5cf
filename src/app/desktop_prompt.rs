//! The MFA code asked for in a desktop dialog, for sessions started where there is no
//! terminal (an IDE, an agent, a launcher): zenity or kdialog on Linux and the BSDs, osascript
//! on macOS, PowerShell on Windows.
//!
//! Invariant: the dialog program is run directly, never through a shell, with the question as
//! one argument (or an environment variable), so a profile name cannot become a command; it is
//! given at most [`DIALOG_TIMEOUT`]; what was typed is never echoed in a message.

use super::code_command::{read_bounded, stop, wait_until};
use super::terminal::printable;
use crate::commands::schedule::background::Declined;
use crate::error::Error;
use crate::input::MfaCode;
use std::ffi::OsString;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a dialog may stay open before mfa-profile gives up and closes it.
pub const DIALOG_TIMEOUT: Duration = Duration::from_secs(120);
const TITLE: &str = "mfa-profile";

/// A dialog program found on this machine.
struct Dialog {
    program: OsString,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zenity,
    Kdialog,
    Osascript,
    PowerShell,
}

/// Why no dialog can be shown, for the "needs a code" message.
pub fn unavailable(var: &dyn Fn(&str) -> Option<String>) -> Option<&'static str> {
    find(var).err()
}

fn find(var: &dyn Fn(&str) -> Option<String>) -> Result<Dialog, &'static str> {
    let path = var("PATH").unwrap_or_default();
    let on_path = |name: &str| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
            .map(OsString::from)
    };
    if cfg!(windows) {
        return Ok(Dialog {
            program: on_path("powershell.exe").unwrap_or_else(|| "powershell.exe".into()),
            kind: Kind::PowerShell,
        });
    }
    if cfg!(target_os = "macos") {
        return Ok(Dialog {
            program: "/usr/bin/osascript".into(),
            kind: Kind::Osascript,
        });
    }
    let desktop = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| var(name).is_some_and(|v| !v.is_empty()));
    if !desktop {
        return Err(
            "there is no desktop to show a dialog on (DISPLAY and WAYLAND_DISPLAY are unset)",
        );
    }
    if let Some(program) = on_path("zenity") {
        return Ok(Dialog {
            program,
            kind: Kind::Zenity,
        });
    }
    match on_path("kdialog") {
        Some(program) => Ok(Dialog {
            program,
            kind: Kind::Kdialog,
        }),
        None => Err("no dialog program is installed (zenity or kdialog)"),
    }
}

/// Asks for a code with `label` (the device and the target) until a well-formed one is typed
/// (three tries); cancelling the dialog ends it.
pub fn ask(label: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<MfaCode, Error> {
    match ask_in_dialog(label, var)? {
        Asked::Code(code) => Ok(code),
        Asked::Declined { said, .. } => Err(Error::CodeInput(said)),
    }
}

/// How a dialog ended.
pub enum Asked {
    /// A well-formed code was typed.
    Code(MfaCode),
    /// No code: cancelled, not answered in time, or three malformed codes.
    Declined {
        /// Which.
        how: Declined,
        /// What to say of it.
        said: String,
    },
}

/// Asks for a code with `label` as [`ask`] does, saying how a dialog that gave no code ended;
/// an error only when no dialog could be shown.
pub fn ask_in_dialog(label: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<Asked, Error> {
    let dialog = find(var).map_err(|why| {
        Error::CodeInput(format!("cannot ask for the MFA code in a dialog: {why}"))
    })?;
    let mut question = format!("MFA code for {}:", printable(label));
    for _ in 0..3 {
        let answer = match run(&dialog, &question)? {
            Reply::Text(answer) => answer,
            Reply::Cancelled => {
                return Ok(Asked::Declined {
                    how: Declined::Cancelled,
                    said: "no MFA code was entered (the dialog was cancelled)".into(),
                })
            }
            Reply::TimedOut(said) => {
                return Ok(Asked::Declined {
                    how: Declined::Unanswered,
                    said,
                })
            }
        };
        match answer.trim().parse::<MfaCode>() {
            Ok(code) => return Ok(Asked::Code(code)),
            Err(error) => {
                question = format!("{error}; try again.\nMFA code for {}:", printable(label))
            }
        }
    }
    Ok(Asked::Declined {
        how: Declined::Cancelled,
        said: "no well-formed MFA code after three tries".into(),
    })
}

/// What a dialog gave.
enum Reply {
    /// What was typed.
    Text(String),
    /// Cancelled.
    Cancelled,
    /// Not answered in time, and closed: what to say of it.
    TimedOut(String),
}

/// What the dialog gave.
fn run(dialog: &Dialog, question: &str) -> Result<Reply, Error> {
    let failed = |problem: String| {
        Error::CodeInput(format!(
            "the dialog ({}) {problem}",
            std::path::Path::new(&dialog.program).display()
        ))
    };
    let mut command = Command::new(&dialog.program);
    match dialog.kind {
        Kind::Zenity => command.args(["--entry", "--title", TITLE, "--text", question]),
        Kind::Kdialog => command.args(["--title", TITLE, "--inputbox", question]),
        Kind::Osascript => command.args([
            "-e",
            "on run argv",
            "-e",
            "text returned of (display dialog (item 1 of argv) default answer \"\" with title \"mfa-profile\")",
            "-e",
            "end run",
            question,
        ]),
        Kind::PowerShell => command
            .args([
                "-NoProfile",
                "-NonInteractive",
                "-Command",
                "Add-Type -AssemblyName Microsoft.VisualBasic; [Microsoft.VisualBasic.Interaction]::InputBox($env:MFA_PROFILE_QUESTION, 'mfa-profile')",
            ])
            .env("MFA_PROFILE_QUESTION", question),
    };
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // A desktop toolkit's warnings are noise here; the exit status says what happened.
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            failed(format!(
                "cannot be run: {}",
                crate::text::plain::io_error(&e)
            ))
        })?;
    let deadline = Instant::now() + DIALOG_TIMEOUT;
    let stdout = read_bounded(child.stdout.take(), 4096);
    let output = match stdout.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Some(output)) => output,
        Ok(None) => {
            stop(&mut child);
            return Err(failed("printed more than a code".into()));
        }
        Err(_) => {
            stop(&mut child);
            return Ok(Reply::TimedOut(
                failed(format!(
                    "was not answered within {} s and was closed",
                    DIALOG_TIMEOUT.as_secs()
                ))
                .to_string(),
            ));
        }
    };
    let Some(status) = wait_until(&mut child, deadline) else {
        stop(&mut child);
        return Ok(Reply::TimedOut(failed("did not close".into()).to_string()));
    };
    let text = String::from_utf8_lossy(&output).into_owned();
    // zenity and kdialog exit 1 on Cancel, osascript with an error; PowerShell's InputBox
    // returns an empty string.
    if !status.success() || text.trim().is_empty() {
        return Ok(Reply::Cancelled);
    }
    Ok(Reply::Text(text))
}
