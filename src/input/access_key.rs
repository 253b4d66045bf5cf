//! Long-term access keys as a person pastes them, a credential process prints them or IAM
//! returns them.
//!
//! Invariant: an [`AccessKeyId`] is an IAM user's long-term key id (`AKIA` and 12 to 124 more
//! of `A-Z 0-9`); a secret passing [`check_secret`] is 1 to 128 base64 characters. Both can
//! be written into a shared file and sent to AWS as they are; no message repeats the secret.

use super::{shown, InputError};
use std::fmt;
use std::str::FromStr;

/// Access key ids are 16 to 128 characters (STS's API model; 20 today).
pub const ACCESS_KEY_ID_LEN: std::ops::RangeInclusive<usize> = 16..=128;
/// The longest secret access key accepted (40 characters today).
pub const MAX_SECRET_LEN: usize = 128;

/// Whether `id` has the form of an access key id, long-term or session: [`ACCESS_KEY_ID_LEN`]
/// of `A-Z 0-9`.
pub fn is_key_id_form(id: &str) -> bool {
    ACCESS_KEY_ID_LEN.contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Whether `value` holds base64 characters only (`A-Z a-z 0-9 + / =`).
pub fn is_base64(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// An IAM user's long-term access key id, like `AKIAIOSFODNN7EXAMPLE`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccessKeyId(String);

impl AccessKeyId {
    /// The id.
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AccessKeyId {
    type Err = InputError;

    fn from_str(id: &str) -> Result<Self, InputError> {
        let id = id.trim_matches([' ', '\t']);
        if !is_key_id_form(id) {
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
    let ok = !secret.is_empty() && secret.len() <= MAX_SECRET_LEN && is_base64(secret);
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
