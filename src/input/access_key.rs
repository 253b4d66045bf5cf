//! Long-term access keys as a person pastes them, a credential process prints them or IAM
//! returns them.
//!
//! Invariant: an [`AccessKeyId`] is an IAM user's long-term key id (`AKIA` and 12 to 124 more
//! of `A-Z 0-9`); a secret passing [`check_secret`] is 1 to 128 base64 characters. Both can
//! be written into a shared file and sent to AWS as they are; no message repeats the secret.

use super::{shown, InputError};
use std::fmt;
use std::str::FromStr;

/// The longest secret access key accepted (40 characters today).
pub const MAX_SECRET_LEN: usize = 128;

/// An IAM user's long-term access key id, like `AKIAIOSFODNN7EXAMPLE`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccessKeyId(String);

impl AccessKeyId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AccessKeyId {
    type Err = InputError;

    fn from_str(id: &str) -> Result<Self, InputError> {
        let id = id.trim_matches([' ', '\t']);
        let well_formed = (16..=128).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !well_formed {
            return Err(InputError::AccessKeyId(shown(id)));
        }
        if id.starts_with("ASIA") {
            return Err(InputError::SessionKeyId(id.to_owned()));
        }
        if !id.starts_with("AKIA") {
            return Err(InputError::AccessKeyId(id.to_owned()));
        }
        Ok(AccessKeyId(id.to_owned()))
    }
}

impl fmt::Display for AccessKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a secret access key: 1 to [`MAX_SECRET_LEN`] of `A-Z a-z 0-9 + / =`. The error
/// never repeats it.
pub fn check_secret(secret: &str) -> Result<(), InputError> {
    let ok = !secret.is_empty()
        && secret.len() <= MAX_SECRET_LEN
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if ok {
        Ok(())
    } else {
        Err(InputError::Secret {
            length: secret.chars().count(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_term_key_ids_only() {
        assert_eq!(
            " AKIAIOSFODNN7EXAMPLE"
                .parse::<AccessKeyId>()
                .unwrap()
                .as_str(),
            "AKIAIOSFODNN7EXAMPLE"
        );
        let session = "ASIAIOSFODNN7EXAMPLE".parse::<AccessKeyId>().unwrap_err();
        assert!(session.to_string().contains("session"), "{session}");
        for bad in [
            "AKIA",
            "akiaiosfodnn7example",
            "AKIAIOSFODNN7EXAMPLE;x",
            "AIDAIOSFODNN7EXAMPLE",
        ] {
            assert!(bad.parse::<AccessKeyId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_checked_without_being_repeated() {
        assert!(check_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_ok());
        for bad in ["", "has space in it", "quote'd", &"a".repeat(129)] {
            let error = check_secret(bad).unwrap_err().to_string();
            assert!(bad.is_empty() || !error.contains(bad), "{error}");
        }
    }
}
