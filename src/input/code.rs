//! The MFA code.

use super::InputError;
use std::fmt;
use std::str::FromStr;

/// A one-time code: exactly six ASCII digits. `Debug` does not show it.
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
        if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(MfaCode(text.to_owned()))
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
        for bad in ["12345", "1234567", "12345a", " 123456", "１２３４５６", ""] {
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
