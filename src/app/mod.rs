//! The commands, wired to the process: environment, clock, standard streams and the real STS.
//! One submodule per command family.
//!
//! Invariant: the only module that reads the process environment or writes to stdout/stderr
//! (besides `main` printing the final error).

mod refresh;
mod session;
mod shell;
mod status;
mod style;

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::fsio;
use crate::ini::Document;
use crate::paths::{self, FileLocations};
use std::path::{Path, PathBuf};

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Some(Command::Refresh(args)) => refresh::run(&args),
        Some(Command::Status(args)) => status::run(&args),
        Some(Command::Exec(args)) => session::exec(&args),
        Some(Command::Export(args)) => session::export(&args),
        Some(Command::CredentialProcess(args)) => session::credential_process(&args),
        Some(Command::Completions(args)) => shell::completions(&args),
        Some(Command::Man) => shell::man(),
        None => refresh::run(&cli.refresh),
    }
}

pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The shared files (flags, else environment, else home) and the home directory.
fn locate(
    credentials: Option<&Path>,
    config: Option<&Path>,
) -> Result<(FileLocations, Option<PathBuf>), Error> {
    let files = paths::resolve(env_var, credentials, config)?;
    Ok((files, paths::home_dir(&env_var)))
}

/// Reads and parses the credentials file (a missing file is an empty one).
fn read_credentials(files: &FileLocations, home: Option<&Path>) -> Result<Document, Error> {
    let bytes = fsio::read_optional(&files.credentials)?.unwrap_or_default();
    Document::parse_owned(bytes).map_err(|error| Error::Parse {
        path: paths::display(&files.credentials, home),
        error,
    })
}

/// Prints a notice on standard error, prefixed with the program's name; a leading
/// `warning:` is coloured on a terminal.
fn notice(message: &str) {
    match message.strip_prefix("warning:") {
        Some(rest) => eprintln!(
            "mfa-profile: {}{rest}",
            style::paint("warning:", style::Colour::Yellow, style::Stream::Stderr)
        ),
        None => eprintln!("mfa-profile: {message}"),
    }
}

/// Prints the error that ended the command.
pub fn report_error(error: &Error) {
    eprintln!(
        "mfa-profile: {} {error}",
        style::paint("error:", style::Colour::Red, style::Stream::Stderr)
    );
}
