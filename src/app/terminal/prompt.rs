//! Reading the MFA code from standard input or a terminal.
//!
//! Invariant: reading never blocks when there is no terminal and nothing on standard input; a
//! code comes back only well-formed; what was typed is never echoed in a message.

use crate::error::Error;
use crate::input::MfaCode;
use std::io::{self, BufRead, IsTerminal, Read, Write};

/// Where to read the code from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeInput {
    /// Standard input is not a terminal: its first line is the code.
    Piped,
    /// Standard input is a terminal: prompt on standard error, re-ask on a malformed code.
    Terminal,
    /// The controlling terminal (`/dev/tty`; on Windows the console, `CONIN$` and `CONOUT$`),
    /// whatever standard input is: for commands whose standard streams belong to someone else
    /// (`exec`, `credential-process`).
    ControllingTerminal,
}

impl CodeInput {
    /// Whether a person can be asked here: standard input is a terminal, or the process has a
    /// controlling terminal.
    pub fn can_ask(self) -> bool {
        match self {
            CodeInput::Piped => false,
            CodeInput::Terminal => true,
            CodeInput::ControllingTerminal => open_terminal().is_some(),
        }
    }

    /// What this process's standard input is.
    pub fn detect() -> Self {
        if io::stdin().is_terminal() {
            CodeInput::Terminal
        } else {
            CodeInput::Piped
        }
    }
}

/// Reads a code, asking with `label` (the device and the target). `None` when there is none
/// to be had.
pub fn read_code(input: CodeInput, label: &str) -> Result<Option<MfaCode>, Error> {
    match input {
        CodeInput::Piped => {
            let mut first = String::new();
            io::stdin()
                .lock()
                .take(4096)
                .read_line(&mut first)
                .map_err(|e| {
                    Error::CodeInput(format!(
                        "cannot read the MFA code from standard input: {}",
                        crate::text::plain::io_error(&e)
                    ))
                })?;
            let code = first.trim();
            if code.is_empty() {
                return Ok(None);
            }
            Ok(Some(code.parse()?))
        }
        CodeInput::Terminal => prompt(&mut io::stdin().lock(), &mut io::stderr(), label),
        CodeInput::ControllingTerminal => {
            let Some((input, mut output)) = open_terminal() else {
                return Ok(None);
            };
            prompt(&mut io::BufReader::new(input), &mut output, label)
        }
    }
}

/// The controlling terminal, to read from and to write to; `None` without one.
#[cfg(unix)]
pub fn open_terminal() -> Option<(std::fs::File, std::fs::File)> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    Some((tty.try_clone().ok()?, tty))
}

/// The console's input and output buffers; `None` without a console.
#[cfg(windows)]
pub fn open_terminal() -> Option<(std::fs::File, std::fs::File)> {
    let open = |name: &str| {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name)
            .ok()
    };
    Some((open("CONIN$")?, open("CONOUT$")?))
}

/// Asks on `out` and reads from `input` until a well-formed code (at most five tries); end of
/// input (Ctrl-D) is an error saying no code was entered.
pub fn prompt(
    input: &mut impl BufRead,
    out: &mut impl Write,
    label: &str,
) -> Result<Option<MfaCode>, Error> {
    for _ in 0..5 {
        let _ = write!(out, "MFA code for {}: ", super::printable(label));
        let _ = out.flush();
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) => {
                // Ctrl-D at the prompt: the person said no, there is a terminal.
                let _ = writeln!(out);
                return Err(Error::CodeInput("no MFA code was entered".into()));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(Error::CodeInput(format!(
                    "cannot read the MFA code: {}",
                    crate::text::plain::io_error(&e)
                )))
            }
        }
        match line.trim().parse::<MfaCode>() {
            Ok(code) => return Ok(Some(code)),
            Err(e) => {
                let _ = writeln!(out, "{e}; try again (Ctrl-D to give up)");
            }
        }
    }
    Err(Error::CodeInput(
        "no well-formed MFA code after five tries".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_reasks_on_malformed_codes() {
        let mut input = io::Cursor::new("12\nabcdef\n654321\n");
        let mut out = Vec::new();
        let code = prompt(&mut input, &mut out, "GAHT12345678").unwrap();
        assert_eq!(code.unwrap().as_str(), "654321");
        let shown = String::from_utf8(out).unwrap();
        assert_eq!(shown.matches("MFA code for GAHT12345678: ").count(), 3);
        assert_eq!(shown.matches("try again").count(), 2);
        assert!(!shown.contains("abcdef"), "what was typed is not echoed");
        let ended = prompt(&mut io::Cursor::new(""), &mut Vec::new(), "x").unwrap_err();
        assert_eq!(ended.to_string(), "no MFA code was entered");
    }
}
