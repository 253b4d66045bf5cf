//! Profile names.

use std::fmt;
use std::str::FromStr;

/// A profile name that every reader sees the same way: 1 to 128 of `A-Z a-z 0-9 _ - / . % @ :
/// +`, and neither `DEFAULT` (botocore's defaults) nor `__proto__` (the JavaScript SDK's
/// parser throws on it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileName(String);

/// Why a string is not a usable profile name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Empty.
    #[error("a profile name cannot be empty")]
    Empty,
    /// Longer than 128 characters.
    #[error("profile name `{0}` is longer than 128 characters")]
    TooLong(String),
    /// A character outside `[A-Za-z0-9_-/.%@:+]`.
    #[error("profile name `{0}` has a character outside A-Z a-z 0-9 and _ - / . % @ : + (the AWS SDKs ignore such profiles)")]
    BadChar(String),
    /// `DEFAULT`, which botocore merges into every section.
    #[error("profile name `DEFAULT` is special to the AWS CLI (its keys leak into every profile); use another name")]
    UpperDefault,
    /// `__proto__`, which makes the JavaScript SDK read the whole file as empty.
    #[error("profile name `__proto__` makes the AWS SDK for JavaScript read the whole file as empty; use another name")]
    Proto,
}

impl ProfileName {
    /// Validates a profile name.
    pub fn new(name: &str) -> Result<Self, NameError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c);
        if name.is_empty() {
            Err(NameError::Empty)
        } else if name.len() > 128 {
            Err(NameError::TooLong(
                name.chars()
                    .take(40)
                    .collect::<String>()
                    .escape_debug()
                    .to_string()
                    + "...",
            ))
        } else if !name.chars().all(allowed) {
            Err(NameError::BadChar(name.escape_debug().to_string()))
        } else if name == "DEFAULT" {
            Err(NameError::UpperDefault)
        } else if name == "__proto__" {
            Err(NameError::Proto)
        } else {
            Ok(ProfileName(name.to_owned()))
        }
    }

    /// `default`.
    pub fn default_profile() -> ProfileName {
        ProfileName("default".to_owned())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ProfileName {
    type Err = NameError;

    fn from_str(name: &str) -> Result<Self, NameError> {
        ProfileName::new(name)
    }
}

impl fmt::Display for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for ProfileName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(ProfileName::new("work-mfa").is_ok());
        assert!(ProfileName::new("a/b.c%d@e:f+g_h").is_ok());
        assert_eq!(ProfileName::new(""), Err(NameError::Empty));
        for bad in ["my profile", "a]b", "prodé", "x\x1b[2J"] {
            assert!(
                matches!(ProfileName::new(bad), Err(NameError::BadChar(_))),
                "{bad}"
            );
        }
        assert_eq!(ProfileName::new("DEFAULT"), Err(NameError::UpperDefault));
        assert_eq!(ProfileName::new("__proto__"), Err(NameError::Proto));
        assert!(matches!(
            ProfileName::new(&"a".repeat(129)),
            Err(NameError::TooLong(_))
        ));
    }
}
