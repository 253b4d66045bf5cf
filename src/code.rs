//! The MFA code and the device serial: where they come from and what shape they must have.
//!
//! Invariant: a code reaches STS only as exactly six ASCII digits; reading one never blocks
//! when there is no terminal and nothing on standard input.

use std::io::{self, BufRead, IsTerminal, Read, Write};

/// Checks an MFA code: exactly six ASCII digits.
pub fn check_code(code: &str) -> Result<(), String> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "MFA code `{}` is not six digits",
            code.chars().take(16).collect::<String>().escape_debug()
        ))
    }
}

/// Checks a device serial the way STS does (9 to 256 of `[\w+=/:,.@-]`): a virtual device ARN
/// like `arn:aws:iam::123456789012:mfa/alice` or a hardware serial like `GAHT12345678`.
pub fn check_serial(serial: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=/:,.@-".contains(c);
    if !(9..=256).contains(&serial.len()) || !serial.chars().all(allowed) {
        return Err(format!(
            "MFA device `{}` is not a device ARN (arn:aws:iam::ACCOUNT:mfa/NAME) or a hardware serial",
            serial.escape_debug()
        ));
    }
    if serial.starts_with("arn:") && !serial.contains(":mfa/") {
        let hint = if serial.contains(":user/") {
            " (that is the user's ARN; the device's ARN has :mfa/ where the user's has :user/)"
        } else {
            ""
        };
        return Err(format!(
            "MFA device `{serial}` is an ARN but not of an MFA device{hint}"
        ));
    }
    Ok(())
}

/// Where the code came from, when it was not on the command line.
pub enum CodeInput {
    /// Standard input is not a terminal: its first line is the code.
    Piped,
    /// Standard input is a terminal: prompt on standard error, re-ask on a malformed code.
    Terminal,
}

impl CodeInput {
    /// What this process's standard input is.
    pub fn detect() -> Self {
        if io::stdin().is_terminal() {
            CodeInput::Terminal
        } else {
            CodeInput::Piped
        }
    }
}

/// Reads a code from standard input or the terminal. `None` when there is none to be had.
pub fn read_code(input: CodeInput, serial: &str) -> Result<Option<String>, String> {
    match input {
        CodeInput::Piped => {
            let mut first = String::new();
            io::stdin()
                .lock()
                .take(4096)
                .read_line(&mut first)
                .map_err(|e| format!("cannot read the MFA code from standard input: {e}"))?;
            let code = first.trim();
            if code.is_empty() {
                return Ok(None);
            }
            check_code(code)?;
            Ok(Some(code.to_owned()))
        }
        CodeInput::Terminal => prompt(&mut io::stdin().lock(), &mut io::stderr(), serial),
    }
}

/// Asks on `out` and reads from `input` until a well-formed code or end of input (at most five
/// tries).
pub fn prompt(
    input: &mut impl BufRead,
    out: &mut impl Write,
    serial: &str,
) -> Result<Option<String>, String> {
    for _ in 0..5 {
        let _ = write!(out, "MFA code for {serial}: ");
        let _ = out.flush();
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) => {
                let _ = writeln!(out);
                return Ok(None);
            }
            Ok(_) => {}
            Err(e) => return Err(format!("cannot read the MFA code: {e}")),
        }
        let code = line.trim();
        match check_code(code) {
            Ok(()) => return Ok(Some(code.to_owned())),
            Err(e) => {
                let _ = writeln!(out, "{e}; try again (Ctrl-D to give up)");
            }
        }
    }
    Err("no well-formed MFA code after five tries".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(check_code("123456").is_ok());
        for bad in ["12345", "1234567", "12345a", " 123456", "１２３４５６", ""] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serials() {
        assert!(check_serial("arn:aws:iam::123456789012:mfa/alice").is_ok());
        assert!(check_serial("arn:aws-us-gov:iam::123456789012:mfa/a.b@c").is_ok());
        assert!(check_serial("GAHT12345678").is_ok());
        assert!(check_serial("short").is_err());
        assert!(check_serial("has space in it").is_err());
        assert!(check_serial("arn:aws:iam::123456789012:user/alice")
            .unwrap_err()
            .contains(":user/"));
    }

    #[test]
    fn prompt_reasks_on_malformed_codes() {
        let mut input = io::Cursor::new("12\nabcdef\n654321\n");
        let mut out = Vec::new();
        assert_eq!(
            prompt(&mut input, &mut out, "GAHT12345678"),
            Ok(Some("654321".into()))
        );
        let shown = String::from_utf8(out).unwrap();
        assert_eq!(shown.matches("MFA code for GAHT12345678: ").count(), 3);
        assert_eq!(shown.matches("try again").count(), 2);
        assert_eq!(
            prompt(&mut io::Cursor::new(""), &mut Vec::new(), "x"),
            Ok(None)
        );
    }
}
