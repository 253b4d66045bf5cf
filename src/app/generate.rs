//! `completions` and `man`: generated from the command-line definition, so they never drift
//! from it.

use super::print;
use crate::cli::{self, CompletionsArgs, ManArgs};
use crate::error::{Error, EXIT_OK};
use crate::fsio;
use crate::text::shown::Shown;

pub(super) fn completions(args: &CompletionsArgs) -> Result<u8, Error> {
    print(&cli::completions(args.shell))?;
    Ok(EXIT_OK)
}

pub(super) fn man(args: &ManArgs) -> Result<u8, Error> {
    let pages = cli::man_pages().map_err(Error::Man)?;
    let Some(dir) = &args.dir else {
        print(&pages[0].1)?;
        return Ok(EXIT_OK);
    };
    for (name, page) in &pages {
        fsio::write_file(&dir.join(name), page)?;
    }
    super::terminal::say(&format!(
        "wrote {} man pages into {}: {}",
        pages.len(),
        Shown(dir),
        pages
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(EXIT_OK)
}
