//! The MFA code for a refresh, from the first source that has one: the argument, the code
//! command (`--code-command`, else the source's `mfa_process`), standard input, a prompt; and
//! what else a refresh asks of this process: a source's `credential_process` run for its keys,
//! the MFA device of a source that names none looked for in IAM.
//!
//! Invariant: a code command runs only when no code was given; a device is chosen on standard
//! input only when it is a terminal and the code would be read there too.

use super::code_command::code_from_command;
use super::terminal::prompt::{read_code, CodeInput};
use crate::error::Error;
use crate::input::{MfaCode, MfaSerial};
use crate::keys::LongTermKeys;
use crate::notice::Notice;
use crate::refresh::{CodeRequest, CodeSource, DeviceRequest, KeysRequest};

/// The code sources of this process.
pub struct ProcessCodes {
    /// The code given on the command line.
    pub argument: Option<MfaCode>,
    /// `--code-command`.
    pub command: Option<String>,
    /// Where to ask when there is neither.
    pub input: CodeInput,
}

impl CodeSource for ProcessCodes {
    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error> {
        if let Some(code) = &self.argument {
            return Ok(code.clone());
        }
        if let Some(command) = self.command.as_deref().or(request.profile_command) {
            return code_from_command(command);
        }
        let label = format!("{} (for [{}])", request.serial, request.target);
        read_code(self.input, &label)?.ok_or(Error::NoCode)
    }

    fn process_keys(&mut self, request: &KeysRequest) -> Result<LongTermKeys, Error> {
        super::key_process::keys_from_process(request)
    }

    fn find_device(&mut self, request: &DeviceRequest) -> Result<Option<MfaSerial>, Error> {
        // A plain-http STS endpoint off this machine can only have been allowed with
        // --allow-insecure-endpoint, which then covers IAM too.
        let allow_insecure = request
            .sts_endpoint
            .is_some_and(|e| e.url.is_plain_http() && !e.url.is_loopback());
        let endpoint = super::iam::refresh_endpoint(allow_insecure)?;
        super::notice(Notice::Info(format!(
            "[{}] names no MFA device (mfa_serial); looking for it in IAM",
            request.source
        )));
        let iam = super::iam::client(
            request.region,
            request.sts_endpoint.map(|e| &e.url),
            endpoint.as_ref(),
        );
        let mut choose =
            super::iam::choose_device(request.source, self.input == CodeInput::Terminal);
        crate::discover::find_device(&iam, request.keys, request.source, &mut choose).map(Some)
    }
}
