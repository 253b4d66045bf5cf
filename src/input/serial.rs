//! The MFA device serial.

use super::{shown, InputError};
use std::fmt;
use std::str::FromStr;

/// An MFA device as STS takes it (9 to 256 of `[\w+=/:,.@-]`): a virtual device ARN like
/// `arn:aws:iam::123456789012:mfa/alice` or a hardware serial like `GAHT12345678`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MfaSerial(String);

impl MfaSerial {
    /// The serial, as sent to STS.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for MfaSerial {
    type Err = InputError;

    fn from_str(serial: &str) -> Result<Self, InputError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=/:,.@-".contains(c);
        if !(9..=256).contains(&serial.len()) || !serial.chars().all(allowed) {
            return Err(InputError::Serial(shown(serial)));
        }
        if serial.starts_with("arn:") && !serial.contains(":mfa/") {
            let hint = if serial.contains(":user/") {
                " (that is the user's ARN; the device's ARN has :mfa/ where the user's has :user/)"
            } else {
                ""
            };
            return Err(InputError::SerialNotDevice {
                serial: serial.to_owned(),
                hint,
            });
        }
        Ok(MfaSerial(serial.to_owned()))
    }
}

impl fmt::Display for MfaSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_arns_and_hardware_serials() {
        for good in [
            "arn:aws:iam::123456789012:mfa/alice",
            "arn:aws-us-gov:iam::123456789012:mfa/a.b@c",
            "GAHT12345678",
        ] {
            assert_eq!(good.parse::<MfaSerial>().unwrap().as_str(), good);
        }
        assert!("short".parse::<MfaSerial>().is_err());
        assert!("has space in it".parse::<MfaSerial>().is_err());
        let user = "arn:aws:iam::123456789012:user/alice"
            .parse::<MfaSerial>()
            .unwrap_err();
        assert!(user.to_string().contains(":user/"), "{user}");
    }
}
