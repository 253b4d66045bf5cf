//! A source's `credential_process`, run as the AWS SDK for Rust runs it (`sh -c`, standard
//! input closed) within the code command's bounds, for the long-term keys it prints.
//!
//! Invariant: what the process printed is zeroed once read; its keys go to the refresh and
//! nowhere else.

use super::code_command::run_user_command;
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::input::keys::LongTermKeys;
use crate::profile::process_keys::long_term_keys;
use crate::refresh::{KeySource, KeysRequest};
use std::process::Stdio;
use zeroize::Zeroizing;

/// The source's `credential_process`, run for a refresh.
pub(super) struct RunProcess;

impl KeySource for RunProcess {
    fn process_keys(&mut self, request: &KeysRequest) -> Result<LongTermKeys, Error> {
        keys_from_process(request)
    }
}

/// The long-term keys the source's credential process prints.
pub(super) fn keys_from_process(request: &KeysRequest) -> Result<LongTermKeys, Error> {
    let output =
        run_user_command(request.command, Stdio::null()).map_err(|problem| KeyError::Process {
            profile: request.source.to_string(),
            command: request.command.to_owned(),
            problem,
        })?;
    let output = Zeroizing::new(output);
    long_term_keys(&output).map_err(|problem| {
        KeyError::ProcessOutput {
            profile: request.source.to_string(),
            command: request.command.to_owned(),
            problem,
        }
        .into()
    })
}
