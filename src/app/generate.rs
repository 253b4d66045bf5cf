//! `completions` and `man`: generated from the command-line definition, so they never drift
//! from it.

use super::print;
use crate::cli::{self, CompletionsArgs};
use crate::error::{Error, EXIT_OK};

pub(super) fn completions(args: &CompletionsArgs) -> Result<u8, Error> {
    print(&cli::completions(args.shell))?;
    Ok(EXIT_OK)
}

pub(super) fn man() -> Result<u8, Error> {
    print(&cli::man_page().map_err(Error::Man)?)?;
    Ok(EXIT_OK)
}
