//! The commands, wired to the process: the environment, the clock, the terminal, standard
//! streams and the real STS. One submodule per command, plus the terminal.
//!
//! Invariant: the only module (with `main`) that reads the process environment, the clock or
//! the terminal, and that writes to standard output or standard error.

mod code_source;
mod credential_process;
mod exec;
mod export;
mod generate;
mod handout;
mod refresh;
mod status;
mod terminal;

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::input::EndpointUrl;
use crate::notice::Notice;
use crate::profile::locations::{self, FileLocations};
use std::io::Write;
use std::path::{Path, PathBuf};
use terminal::colour::{paint, Colour, Stream};

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    #[cfg(feature = "failpoints")]
    if let Some(point) = var("MFA_PROFILE_FAILPOINT") {
        crate::fsio::failpoint::arm(point);
    }
    if let Some(home) = home() {
        locations::show_home_as_tilde(&home);
    }
    match cli.command {
        Some(Command::Refresh(args)) => refresh::run(&args),
        Some(Command::Status(args)) => status::run(&args),
        Some(Command::Exec(args)) => exec::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::CredentialProcess(args)) => credential_process::run(&args),
        Some(Command::Completions(args)) => generate::completions(&args),
        Some(Command::Man) => generate::man(),
        None => refresh::run(&cli.refresh),
    }
}

/// An environment variable, `None` when unset or not Unicode.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// An environment variable, `None` when unset, empty or not Unicode.
fn non_empty_var(name: &str) -> Option<String> {
    var(name).filter(|v| !v.is_empty())
}

/// The current time, seconds since the Unix epoch.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn home() -> Option<PathBuf> {
    locations::home_dir(&var)
}

/// The shared files: the flags, else the environment, else the home directory.
fn locate(credentials: Option<&Path>, config: Option<&Path>) -> Result<FileLocations, Error> {
    Ok(locations::resolve(var, credentials, config)?)
}

/// The STS endpoint: `--endpoint-url`, else the SDKs' variables.
fn endpoint(flag: Option<&EndpointUrl>) -> Result<Option<EndpointUrl>, Error> {
    crate::sts::resolve_endpoint(flag.cloned(), var)
        .map_err(|(var, error)| Error::EnvValue { var, error })
}

/// Shows a notice on standard error.
fn notice(notice: Notice) {
    match notice {
        Notice::Info(text) => terminal::say(&format!("mfa-profile: {text}")),
        Notice::Warning(text) => terminal::say(&format!(
            "mfa-profile: {} {text}",
            paint("warning:", Colour::Yellow, Stream::Stderr)
        )),
    }
}

/// Prints the error that ended the command (nothing for a closed pipe).
pub fn report_error(error: &Error) {
    if error.is_quiet() {
        return;
    }
    terminal::say(&format!(
        "mfa-profile: {} {error}",
        paint("error:", Colour::Red, Stream::Stderr)
    ));
}

/// Writes `bytes` to standard output. A reader that closed the pipe (`| head`) ends the
/// command quietly; any other failure is an error (exit 1).
fn print(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::ClosedPipe),
        Err(e) => Err(Error::Output(e)),
    }
}
