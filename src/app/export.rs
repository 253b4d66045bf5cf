//! `mfa-profile export`: the target's session as shell variables (or credential_process JSON).

use super::handout::usable_session;
use super::print;
use crate::cli::ExportArgs;
use crate::commands::export;
use crate::commands::handout::WhenStale;
use crate::error::{Error, EXIT_OK};

pub(super) fn run(args: &ExportArgs) -> Result<u8, Error> {
    let when_stale = if args.refresh {
        WhenStale::Refresh
    } else {
        WhenStale::Refuse
    };
    let usable = usable_session(args.target.as_ref(), &args.session, when_stale)?;
    let text = export::render(args.format, &usable.session).map_err(Error::Export)?;
    print(text.as_bytes())?;
    Ok(EXIT_OK)
}
