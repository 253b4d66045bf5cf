//! The region whose STS endpoint is called.

use super::{shown, InputError};
use std::fmt;
use std::str::FromStr;

/// A region name like `us-east-1`: lower-case letters and digits in dash-separated parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `us-east-1`, STS's home region, used when nothing names one.
    pub fn us_east_1() -> Region {
        Region("us-east-1".to_owned())
    }
}

impl FromStr for Region {
    type Err = InputError;

    fn from_str(region: &str) -> Result<Self, InputError> {
        let ok = !region.is_empty()
            && region.len() <= 64
            && region.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(Region(region.to_owned()))
        } else {
            Err(InputError::Region(shown(region)))
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for good in ["us-east-1", "eu-central-2", "cn-north-1", "us-gov-west-1"] {
            assert!(good.parse::<Region>().is_ok(), "{good}");
        }
        for bad in ["", "US East", "us-east-1\n", "us--east", "eu-west-1\x1b[2J"] {
            assert!(bad.parse::<Region>().is_err(), "{bad:?}");
        }
        let error = "a\nb".parse::<Region>().unwrap_err().to_string();
        assert!(
            !error.contains('\n'),
            "control characters are escaped: {error}"
        );
    }
}
