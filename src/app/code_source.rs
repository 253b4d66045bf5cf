//! The MFA code for a refresh, from the first source that has one: the argument, the code
//! command (`--code-command`, else the source's `mfa_process`), standard input, a prompt.
//!
//! Invariant: a code command runs only when no code was given, and is reported with its exit
//! status and standard error when it fails.

use super::terminal::prompt::{read_code, CodeInput};
use crate::error::Error;
use crate::input::MfaCode;
use crate::refresh::{CodeRequest, CodeSource};
use std::process::{Command, Stdio};

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

/// Runs `command` with the system's shell (stdin and stderr stay the user's, so it can ask for
/// a touch or a password) and takes the first group of exactly six digits on its standard
/// output.
pub fn code_from_command(command: &str) -> Result<MfaCode, Error> {
    let failed = |problem: String| Error::CodeCommand {
        command: command.to_owned(),
        problem,
    };
    let child = shell(command)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot be run: {e}")))?;
    let output = child
        .wait_with_output()
        .map_err(|e| failed(format!("could not be read: {e}")))?;
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
        return Err(failed(format!("failed ({status}){said}")));
    }
    first_six_digits(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| failed("printed no six-digit code on its standard output".into()))
}

/// `sh -c COMMAND`.
#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(command);
    shell
}

/// `cmd /C COMMAND`, the command passed to cmd.exe verbatim: cmd does its own parsing, and
/// quoting it as one argument (as Rust does for ordinary programs) would change its meaning.
#[cfg(windows)]
fn shell(command: &str) -> Command {
    use std::os::windows::process::CommandExt;
    let mut shell = Command::new("cmd");
    shell.arg("/C").raw_arg(command);
    shell
}

/// The first run of exactly six ASCII digits (not part of a longer run of digits).
fn first_six_digits(text: &str) -> Option<MfaCode> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .and_then(|run| run.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn six(text: &str) -> Option<String> {
        first_six_digits(text).map(|c| c.as_str().to_owned())
    }

    #[test]
    fn code_is_the_first_group_of_six_digits() {
        assert_eq!(six("123456\n").as_deref(), Some("123456"));
        assert_eq!(six("aws:alice  654321 (25 s)").as_deref(), Some("654321"));
        assert_eq!(six("1234567 and 222222").as_deref(), Some("222222"));
        assert_eq!(six("12345"), None);
        assert_eq!(six(""), None);
    }

    /// A command that says why it failed on stderr and exits 4, in the system's shell.
    const FAILING: &str = if cfg!(windows) {
        "echo no YubiKey detected 1>&2 & exit 4"
    } else {
        "echo 'no YubiKey detected' >&2; exit 4"
    };

    #[test]
    fn code_command_output_and_failure() {
        assert_eq!(
            code_from_command("echo 'Code: 098765'").unwrap().as_str(),
            "098765"
        );
        let failed = code_from_command(FAILING).unwrap_err().to_string();
        assert!(failed.contains("exit status 4"), "{failed}");
        assert!(failed.contains("no YubiKey detected"), "{failed}");
        let silent = code_from_command("echo nothing").unwrap_err().to_string();
        assert!(silent.contains("no six-digit code"), "{silent}");
    }

    /// cmd.exe gets the command as written: its quotes, parentheses and `&&` are its own.
    #[cfg(windows)]
    #[test]
    fn cmd_gets_the_command_verbatim() {
        let command = r#"echo 111111 > NUL && if "a"=="a" (echo 654321) else (echo 000000)"#;
        assert_eq!(code_from_command(command).unwrap().as_str(), "654321");
    }
}
