//! AssumeRole's inputs: the role ARN, the role session name, the external ID.

use super::{shown, InputError};
use std::fmt;
use std::str::FromStr;

/// `arn:PARTITION:iam::ACCOUNT_ID:role/NAME`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleArn(String);

/// A role session name: 2 to 64 of `A-Z a-z 0-9 + = , . @ - _` (shown in CloudTrail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSessionName(String);

/// An external ID: 2 to 1224 of `A-Z a-z 0-9 + = , . @ : / - _`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalId(String);

impl RoleArn {
    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl RoleSessionName {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A valid session name made from `text`: characters STS does not take become `-`, and it
    /// is cut to 64 characters (and padded to 2).
    pub fn sanitized(text: &str) -> RoleSessionName {
        let mut name: String = text
            .chars()
            .map(|c| if session_name_char(c) { c } else { '-' })
            .take(64)
            .collect();
        while name.len() < 2 {
            name.push('-');
        }
        RoleSessionName(name)
    }
}

impl ExternalId {
    /// The ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn session_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@-_".contains(c)
}

impl FromStr for RoleArn {
    type Err = InputError;

    fn from_str(arn: &str) -> Result<Self, InputError> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let ok = parts.len() == 6
            && parts[0] == "arn"
            && parts[1].starts_with("aws")
            && parts[2] == "iam"
            && parts[4].len() == 12
            && parts[4].bytes().all(|b| b.is_ascii_digit())
            && parts[5].starts_with("role/")
            && parts[5].len() > 5
            && arn.len() <= 2048
            && arn.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(RoleArn(arn.to_owned()))
        } else {
            Err(InputError::RoleArn(shown(arn)))
        }
    }
}

impl FromStr for RoleSessionName {
    type Err = InputError;

    fn from_str(name: &str) -> Result<Self, InputError> {
        if (2..=64).contains(&name.len()) && name.chars().all(session_name_char) {
            Ok(RoleSessionName(name.to_owned()))
        } else {
            Err(InputError::RoleSessionName(shown(name)))
        }
    }
}

impl FromStr for ExternalId {
    type Err = InputError;

    fn from_str(id: &str) -> Result<Self, InputError> {
        let ok = (2..=1224).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c));
        if ok {
            Ok(ExternalId(id.to_owned()))
        } else {
            Err(InputError::ExternalId(shown(id)))
        }
    }
}

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert!("arn:aws:iam::123456789012:role/admin"
            .parse::<RoleArn>()
            .is_ok());
        assert!("arn:aws-cn:iam::123456789012:role/path/x"
            .parse::<RoleArn>()
            .is_ok());
        for bad in [
            "arn:aws:iam::123456789012:user/bob",
            "arn:aws:iam::1234:role/x",
            "arn:aws:iam::123456789012:role/",
            "role/admin",
        ] {
            assert!(bad.parse::<RoleArn>().is_err(), "{bad}");
        }
    }

    #[test]
    fn session_names_and_external_ids() {
        assert!("mfa-profile-work".parse::<RoleSessionName>().is_ok());
        assert!("a/b".parse::<RoleSessionName>().is_err());
        assert_eq!(
            RoleSessionName::sanitized("mfa-profile-a/b%c").as_str(),
            "mfa-profile-a-b-c"
        );
        assert_eq!(
            RoleSessionName::sanitized(&"x".repeat(99)).as_str().len(),
            64
        );
        assert!("partner-42".parse::<ExternalId>().is_ok());
        let error = "has space".parse::<ExternalId>().unwrap_err().to_string();
        assert!(
            error.contains("external ID `has space` is not 2 to 1224"),
            "{error}"
        );
    }
}
