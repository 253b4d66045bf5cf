//! `mfa-profile credential-process TARGET`: the session as the JSON an SDK's
//! `credential_process` reads.

use super::handout::usable_session;
use super::print;
use crate::cli::CredentialProcessArgs;
use crate::commands::export;
use crate::commands::handout::WhenStale;
use crate::error::{Error, EXIT_OK};

pub(super) fn run(args: &CredentialProcessArgs) -> Result<u8, Error> {
    // botocore shows a credential_process's standard error only when it fails: what the
    // person must see while it runs (a code command's "Touch your YubiKey") goes to the
    // terminal.
    super::terminal::send_messages_to_terminal();
    let usable = usable_session(Some(&args.target), &args.session, WhenStale::Refresh)?;
    print(format!("{}\n", export::process_json(&usable.session)).as_bytes())?;
    Ok(EXIT_OK)
}
