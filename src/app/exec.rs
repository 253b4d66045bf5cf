//! `mfa-profile exec [-- COMMAND]`: run a command (else the user's shell) with the target's
//! profile, refreshing the target first when needed.
//!
//! Invariant: the command sees `AWS_PROFILE=TARGET` (or, with `--server`, the endpoint
//! [`super::serve`] serves) and none of the variables that would shadow the profile, and
//! mfa-profile ends with the command's exit code. On Unix this process
//! becomes the command (`exec(2)`); Windows has no such call, so there mfa-profile runs the
//! command, waits for it, and exits with its code.

use super::handout::usable_session;
use crate::cli::ExecArgs;
use crate::commands::handout::{WhenStale, SHADOWING_VARIABLES};
use crate::error::Error;
use std::path::PathBuf;
use std::process::Command;

pub(super) fn run(args: &ExecArgs) -> Result<u8, Error> {
    let shell;
    let (program, rest) = match args.command.split_first() {
        Some(split) => split,
        None => {
            shell = [login_shell()?];
            (&shell[0], &[][..])
        }
    };
    if args.server {
        return super::serve::exec(args, program, rest);
    }
    let usable = usable_session(args.target.as_ref(), &args.session, WhenStale::Refresh)?;
    let mut command = Command::new(program);
    command
        .args(rest)
        .env("AWS_PROFILE", usable.target.as_str());
    for name in SHADOWING_VARIABLES {
        command.env_remove(name);
    }
    // Files given as flags must be the ones the command reads too.
    let files_from_flags: [(&str, Option<&PathBuf>); 2] = [
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            args.session
                .files
                .credentials_file
                .as_ref()
                .map(|_| &usable.files.credentials),
        ),
        (
            "AWS_CONFIG_FILE",
            args.session
                .files
                .config_file
                .as_ref()
                .map(|_| &usable.files.config),
        ),
    ];
    for (name, path) in files_from_flags {
        if let Some(path) = path {
            command.env(name, path);
        }
    }
    drop(usable.session);
    let error = become_command(command);
    let code = match error.kind() {
        std::io::ErrorKind::NotFound => 127,
        _ => 126,
    };
    Err(Error::Exec {
        command: program.to_string_lossy().into_owned(),
        reason: crate::text::plain::io_error(&error),
        code,
    })
}

/// Replaces this process with `command`; returns only when it cannot be run.
#[cfg(unix)]
fn become_command(mut command: Command) -> std::io::Error {
    std::os::unix::process::CommandExt::exec(&mut command)
}

/// Runs `command` and exits with its exit code (all 32 bits of it, as Windows has them);
/// returns only when it cannot be run. Ctrl-C reaches the command, which shares the console:
/// mfa-profile ignores it and goes on waiting, so the command decides how to stop and the shell
/// gets the command's exit code.
#[cfg(windows)]
fn become_command(mut command: Command) -> std::io::Error {
    super::terminal::interrupt::set(super::terminal::interrupt::Mode::Ignore);
    match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(error) => error,
    }
}

/// The shell `exec` starts when no command is given, as aws-vault does: `SHELL` on Unix,
/// `COMSPEC` on Windows.
fn login_shell() -> Result<std::ffi::OsString, Error> {
    let name = if cfg!(windows) { "COMSPEC" } else { "SHELL" };
    std::env::var_os(name)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| Error::Exec {
            command: format!("${name}"),
            reason: format!("no command was given and {name} names no shell to start; give the command after --"),
            code: 127,
        })
}
