//! The MFA code.

use super::InputError;
use std::fmt;
use std::str::FromStr;

/// A one-time code: exactly six ASCII digits. It is read as authenticator apps show it too:
/// `123 456` or `123-456`, with white space around. `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaCode(String);

impl MfaCode {
    /// The six digits, as sent to STS.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for MfaCode {
    type Err = InputError;

    fn from_str(text: &str) -> Result<Self, InputError> {
        let text = text.trim();
        // One space or dash between the two groups of three, as the apps show it.
        let digits: String = match text.as_bytes() {
            [a @ .., b' ' | b'-', _, _, _] if a.len() == 3 => text.replacen([' ', '-'], "", 1),
            _ => text.to_owned(),
        };
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(MfaCode(digits))
        } else {
            Err(InputError::Code)
        }
    }
}

impl fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaCode(******)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_ascii_digits_only() {
        assert_eq!("123456".parse::<MfaCode>().unwrap().as_str(), "123456");
        for good in [" 123456", "123456\n", "123 456", "123-456", "\t123 456 "] {
            assert_eq!(
                good.parse::<MfaCode>().unwrap().as_str(),
                "123456",
                "{good:?}"
            );
        }
        for bad in [
            "12345",
            "1234567",
            "12345a",
            "12 3456",
            "123  456",
            "123--456",
            "１２３４５６",
            "",
        ] {
            assert_eq!(bad.parse::<MfaCode>(), Err(InputError::Code), "{bad}");
        }
    }

    #[test]
    fn neither_debug_nor_the_error_shows_the_text() {
        let code: MfaCode = "123456".parse().unwrap();
        assert!(!format!("{code:?}").contains("123456"));
        let error = "wJalrXUtnFEMI".parse::<MfaCode>().unwrap_err().to_string();
        assert!(!error.contains("wJalr"), "{error}");
    }
}
