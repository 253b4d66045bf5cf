//! The STS endpoint URL.

use super::{shown, InputError};
use std::fmt;
use std::str::FromStr;

/// An `http://` or `https://` URL with a host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointUrl(String);

impl EndpointUrl {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for plain `http://`: no TLS.
    pub fn is_plain_http(&self) -> bool {
        self.0
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    }
}

impl FromStr for EndpointUrl {
    type Err = InputError;

    fn from_str(url: &str) -> Result<Self, InputError> {
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(host)
                if !host.is_empty()
                    && !host.starts_with('/')
                    && !url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
            {
                Ok(EndpointUrl(url.to_owned()))
            }
            _ => Err(InputError::Endpoint(shown(url))),
        }
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_urls_with_a_host() {
        let url: EndpointUrl = "HTTP://127.0.0.1:5000".parse().unwrap();
        assert!(url.is_plain_http());
        let url: EndpointUrl = "https://sts.eu-west-1.amazonaws.com".parse().unwrap();
        assert!(!url.is_plain_http());
        for bad in [
            "ftp://x",
            "http://",
            "http:///x",
            "https://a b",
            "sts.amazonaws.com",
        ] {
            assert!(bad.parse::<EndpointUrl>().is_err(), "{bad}");
        }
    }
}
