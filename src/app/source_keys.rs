//! `mfa-profile source-keys PROFILE`: the long-term keys `setup --keychain` stored, printed as
//! credential_process JSON for the source profile's `credential_process` (and so for the
//! refresh, which runs it).
//!
//! Invariant: prints only keys that are well formed long-term keys; standard output is the
//! caller's, every message goes to standard error.

use super::print;
use crate::cli::SourceKeysArgs;
use crate::error::{Error, EXIT_OK};
use zeroize::Zeroizing;

pub(super) fn run(args: &SourceKeysArgs) -> Result<u8, Error> {
    let keys = super::keychain::lookup(&args.profile)?;
    let json = Zeroizing::new(crate::profile::process_keys::long_term_process_json(&keys) + "\n");
    print(json.as_bytes())?;
    Ok(EXIT_OK)
}
