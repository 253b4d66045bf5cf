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
    /// The controlling terminal (`/dev/tty`), whatever standard input is: for commands whose
    /// standard streams belong to someone else (`exec`, `credential-process`).
    ControllingTerminal,
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
        CodeInput::ControllingTerminal => {
            let Ok(tty) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")
            else {
                return Ok(None);
            };
            let mut out = &tty;
            prompt(&mut io::BufReader::new(&tty), &mut out, serial)
        }
    }
}

/// Runs `command` with `sh -c` (stdin and stderr stay the user's, so it can ask for a touch or a
/// password) and takes the first group of exactly six digits on its standard output.
pub fn code_from_command(command: &str) -> Result<String, String> {
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the MFA code command `{command}`: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("cannot read the output of the MFA code command `{command}`: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stderr = stderr.trim();
    if !output.status.success() {
        let status = match output.status.code() {
            Some(code) => format!("exit status {code}"),
            None => "a signal".to_owned(),
        };
        let said = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        return Err(format!(
            "the MFA code command `{command}` failed ({status}){said}"
        ));
    }
    first_six_digits(&String::from_utf8_lossy(&output.stdout)).ok_or_else(|| {
        format!("the MFA code command `{command}` printed no six-digit code on its standard output")
    })
}

/// The first run of exactly six ASCII digits (not part of a longer run of digits).
pub fn first_six_digits(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .map(str::to_owned)
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
    fn code_is_the_first_group_of_six_digits() {
        assert_eq!(first_six_digits("123456\n").as_deref(), Some("123456"));
        assert_eq!(
            first_six_digits("aws:alice  654321 (25 s)").as_deref(),
            Some("654321")
        );
        assert_eq!(
            first_six_digits("1234567 and 222222").as_deref(),
            Some("222222")
        );
        assert_eq!(first_six_digits("12345"), None);
        assert_eq!(first_six_digits(""), None);
    }

    #[test]
    fn code_command_output_and_failure() {
        assert_eq!(
            code_from_command("echo 'Code: 098765'"),
            Ok("098765".into())
        );
        let failed = code_from_command("echo 'no YubiKey detected' >&2; exit 4").unwrap_err();
        assert!(failed.contains("exit status 4"), "{failed}");
        assert!(failed.contains("no YubiKey detected"), "{failed}");
        let silent = code_from_command("echo nothing").unwrap_err();
        assert!(silent.contains("no six-digit code"), "{silent}");
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
