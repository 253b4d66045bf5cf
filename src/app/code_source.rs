//! The MFA code for a refresh, from the first source that has one: the argument, the code
//! command (`--code-command`, else the source's `mfa_process`), standard input, a prompt.
//!
//! Invariant: a code command runs only when no code was given.

use super::code_command::code_from_command;
use super::terminal::prompt::{read_code, CodeInput};
use crate::error::Error;
use crate::input::MfaCode;
use crate::refresh::{CodeRequest, CodeSource};

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
}
