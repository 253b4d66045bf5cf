//! How to ask for an MFA code when one must be asked for: on the terminal, or in a desktop
//! dialog.
//!
//! Invariant: only the two documented names parse, case-insensitively.

use super::InputError;
use std::fmt;
use std::str::FromStr;

/// Where a code is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// The terminal (standard input, or `/dev/tty` for commands whose input is not ours).
    Terminal,
    /// A desktop dialog: zenity or kdialog on Linux, osascript on macOS, PowerShell on
    /// Windows.
    Gui,
}

impl PromptKind {
    /// The names `--prompt` and `mfa_prompt` take.
    pub const NAMES: [&'static str; 2] = ["terminal", "gui"];
}

impl FromStr for PromptKind {
    type Err = InputError;

    fn from_str(text: &str) -> Result<Self, InputError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "terminal" => Ok(PromptKind::Terminal),
            "gui" => Ok(PromptKind::Gui),
            _ => Err(InputError::Prompt(super::shown(text))),
        }
    }
}

impl fmt::Display for PromptKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PromptKind::Terminal => "terminal",
            PromptKind::Gui => "gui",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_names_parse_and_nothing_else() {
        assert_eq!("gui".parse(), Ok(PromptKind::Gui));
        assert_eq!(" Terminal ".parse(), Ok(PromptKind::Terminal));
        assert_eq!(
            "zenity".parse::<PromptKind>().unwrap_err().to_string(),
            "prompt `zenity` is not terminal or gui"
        );
    }
}
