//! The MFA code for a refresh, from the first source that has one: the argument, the code
//! command (`--code-command`, else the source's `mfa_process`), standard input, a prompt on
//! the terminal or in a desktop dialog (`--prompt`, else the source's `mfa_prompt`); and what
//! else a refresh asks of this process: a source's `credential_process` run for its keys, the
//! MFA device of a source that names none looked for in IAM.
//!
//! Invariant: a code command runs only when no code was given; nobody is asked with
//! `--no-input`, and when a code is needed and nothing can give one the error says what to
//! run (exit 4); a code of a 30 s window the device already used is never handed on: the next
//! window is waited for where a new code can then be had (a code command, a prompt), and
//! refused at once where it cannot (a code given on the command line or piped in, with nobody
//! to ask); a device is chosen on standard input only when it is a terminal and the code would
//! be read there too.

use super::code_command::code_from_command;
use super::terminal::columns;
use super::terminal::countdown::{wait_until, Watcher};
use super::terminal::prompt::{open_terminal, read_code, CodeInput};
use crate::error::Error;
use crate::input::{MfaCode, PromptKind};
use crate::refresh::{CodeRequest, CodeSource};
use crate::text::time;
use std::io::IsTerminal;

/// The code sources of this process.
pub struct ProcessCodes {
    /// The code given on the command line (used once).
    pub argument: Option<MfaCode>,
    /// `--code-command`.
    pub command: Option<String>,
    /// Where a code comes from when there is neither.
    pub input: CodeInput,
    /// `--prompt`; else the source's `mfa_prompt`, else the terminal.
    pub prompt: Option<PromptKind>,
    /// `--no-input`: ask nobody.
    pub no_input: bool,
    /// The last code was the argument or typed at a prompt: a person is at hand.
    pub typed: bool,
}

impl ProcessCodes {
    /// The codes of a command whose standard input belongs to another program (`exec`,
    /// `credential-process`): asked for on the controlling terminal.
    pub fn for_handout(
        command: Option<String>,
        prompt: Option<PromptKind>,
        no_input: bool,
    ) -> Self {
        ProcessCodes {
            argument: None,
            command,
            input: CodeInput::ControllingTerminal,
            prompt,
            no_input,
            typed: false,
        }
    }

    /// Where a person would be asked, when one can be.
    fn asker(&self, request: &CodeRequest) -> Result<PromptKind, &'static str> {
        if self.no_input {
            return Err("--no-input forbids asking for it");
        }
        match self
            .prompt
            .or(request.profile_prompt)
            .unwrap_or(PromptKind::Terminal)
        {
            PromptKind::Gui => match super::desktop_prompt::unavailable(&super::var) {
                None => Ok(PromptKind::Gui),
                Some(why) => Err(why),
            },
            PromptKind::Terminal if self.input.can_ask() => Ok(PromptKind::Terminal),
            PromptKind::Terminal => Err("there is no terminal to ask for it on"),
        }
    }

    fn ask(&mut self, request: &CodeRequest, asker: PromptKind) -> Result<MfaCode, Error> {
        self.typed = true;
        let label = format!("{} (for [{}])", request.serial, request.target);
        match asker {
            PromptKind::Gui => super::desktop_prompt::ask(&label, &super::var),
            PromptKind::Terminal => read_code(self.input, &label)?
                .ok_or_else(|| needs_code(request, "no code was typed")),
        }
    }

    /// Waits for the device's next code window, counting down where the person who will be
    /// asked (or who ran the command) can see it.
    fn wait_for_next_window(&self, request: &CodeRequest, at: i64) {
        let why = match request.code_sent_at {
            Some(sent) => format!(
                "MFA device {} sent a code at {}, in this 30 s window",
                request.serial,
                time::time_of_day(sent)
            ),
            None => format!(
                "MFA device {} sent a code in this 30 s window",
                request.serial
            ),
        };
        if self.input == CodeInput::ControllingTerminal {
            if let Some((_, mut tty)) = open_terminal() {
                let columns = columns(&tty);
                return wait_until(at, super::now, &why, Watcher::Terminal(&mut tty, columns));
            }
        }
        let mut stderr = std::io::stderr();
        if stderr.is_terminal() && super::terminal::colour::escapes_work() {
            let columns = columns(&stderr);
            wait_until(
                at,
                super::now,
                &why,
                Watcher::Terminal(&mut stderr, columns),
            );
        } else {
            wait_until(at, super::now, &why, Watcher::Log(&mut stderr));
        }
    }
}

impl CodeSource for ProcessCodes {
    fn can_ask_again(&self, request: &CodeRequest) -> bool {
        let command = self.command.is_some() || request.profile_command.is_some();
        self.typed && !command && self.asker(request).is_ok()
    }

    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error> {
        self.typed = false;
        let next_window = request.next_code_at.filter(|at| *at > super::now());
        let asker = self.asker(request);
        if let Some(code) = self.argument.take() {
            match (next_window, asker) {
                (None, _) => {
                    self.typed = true;
                    return Ok(code);
                }
                // The code given is the used window's: a person can give the next one.
                (Some(at), Ok(asker)) => {
                    self.wait_for_next_window(request, at);
                    return self.ask(request, asker);
                }
                (Some(at), Err(_)) => return Err(window_used(request, at)),
            }
        }
        if let Some(command) = self
            .command
            .clone()
            .or(request.profile_command.map(str::to_owned))
        {
            if let Some(at) = next_window {
                self.wait_for_next_window(request, at);
            }
            return code_from_command(&command);
        }
        if self.input == CodeInput::Piped {
            if let Some(code) = read_code(CodeInput::Piped, "")? {
                return match next_window {
                    None => Ok(code),
                    Some(at) => Err(window_used(request, at)),
                };
            }
        }
        let asker = asker.map_err(|why| needs_code(request, why))?;
        if let Some(at) = next_window {
            self.wait_for_next_window(request, at);
        }
        self.ask(request, asker)
    }

    fn choose_device(
        &mut self,
        source: &crate::profile::ProfileName,
        user: &str,
        devices: &[String],
    ) -> Result<usize, Error> {
        super::iam::choose_device(source, self.input == CodeInput::Terminal)(user, devices)
    }
}

fn needs_code(request: &CodeRequest, why: &'static str) -> Error {
    Error::NeedsCode {
        target: request.target.to_string(),
        rerun: request.rerun.to_owned(),
        serial: request.serial.to_string(),
        why,
    }
}

fn window_used(request: &CodeRequest, next_at: i64) -> Error {
    Error::CodeWindowUsed {
        serial: request.serial.to_string(),
        used_at: request.code_sent_at.map_or_else(
            || "a moment ago".to_owned(),
            |at| format!("at {}", time::time_of_day(at)),
        ),
        wait: (next_at - super::now()).max(1),
    }
}
