//! `completions` and `man`: generated from the clap definition, so they never drift from it.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, EXIT_OK};
use clap::CommandFactory;
use std::io::Write;

pub(super) fn completions(args: &CompletionsArgs) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "mfa-profile", &mut out);
    write_stdout(&out)
}

pub(super) fn man() -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::BadInput(format!("cannot render the man page: {e}")))?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> Result<u8, Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(EXIT_OK),
        // `mfa-profile man | head`: a closed pipe is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(Error::BadInput(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}
