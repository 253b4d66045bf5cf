//! The STS endpoint URL.
//!
//! Invariant: the host an [`EndpointUrl`] names is exactly the text between `://` and the
//! first `/`, `?` or `#`, less a port: no user info, no backslash, no percent-encoding, so
//! every URL parser (ours, the SDK's, a browser's) agrees on where the request goes, and
//! [`EndpointUrl::is_loopback`] and [`EndpointUrl::is_aws_host`] judge that host.

use super::{shown, InputError};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An `http://` or `https://` URL with a host (a name, an IPv4 address or a bracketed IPv6
/// address) and an optional port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointUrl {
    url: String,
    /// The host, lower-case, without brackets or a trailing dot.
    host: String,
}

/// The domains of AWS's own endpoints: the DNS suffix and the dual-stack DNS suffix of every
/// partition the AWS SDK knows (aws-sdk-sts's partition data: aws, aws-cn, aws-eusc, aws-iso,
/// aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov).
const AWS_DOMAINS: [&str; 14] = [
    ".amazonaws.com",
    ".api.aws",
    ".amazonaws.com.cn",
    ".api.amazonwebservices.com.cn",
    ".amazonaws.eu",
    ".api.amazonwebservices.eu",
    ".c2s.ic.gov",
    ".api.aws.ic.gov",
    ".sc2s.sgov.gov",
    ".api.aws.scloud",
    ".cloud.adc-e.uk",
    ".api.cloud-aws.adc-e.uk",
    ".csp.hci.ic.gov",
    ".api.aws.hci.ic.gov",
];

impl EndpointUrl {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The host, lower-case, without the brackets of an IPv6 address.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// True for plain `http://`: no TLS.
    pub fn is_plain_http(&self) -> bool {
        self.url
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    }

    /// True when the host is this machine: `localhost`, 127.0.0.0/8 or `::1`.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.as_str();
        host == "localhost"
            || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
            || host.parse::<Ipv6Addr>().is_ok_and(|ip| {
                ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            })
    }

    /// True when the host is one of AWS's: under a domain of a partition the SDK knows
    /// (`*.amazonaws.com`, `*.api.aws`, `*.amazonaws.com.cn`, `*.amazonaws.eu`, ...).
    pub fn is_aws_host(&self) -> bool {
        AWS_DOMAINS
            .iter()
            .any(|domain| self.host.len() > domain.len() && self.host.ends_with(domain))
    }
}

impl FromStr for EndpointUrl {
    type Err = InputError;

    fn from_str(url: &str) -> Result<Self, InputError> {
        let bad = || InputError::Endpoint(shown(url));
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host_of(authority).ok_or_else(bad)?;
        Ok(EndpointUrl {
            url: url.to_owned(),
            host,
        })
    }
}

/// The host of `host[:port]`, or `None` when the authority is anything else (user info,
/// percent-encoding, a backslash, an empty or non-numeric port).
fn host_of(authority: &str) -> Option<String> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (inside, after) = bracketed.split_once(']')?;
            inside.parse::<Ipv6Addr>().ok()?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (inside, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if let Some(port) = port {
        port.parse::<u16>()
            .ok()
            .filter(|p| *p > 0 && port.bytes().all(|b| b.is_ascii_digit()))?;
    }
    let name_ok = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':'));
    if host.is_empty() || !name_ok || (host.contains(':') && !authority.starts_with('[')) {
        return None;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    (!host.is_empty()).then(|| host.to_owned())
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> EndpointUrl {
        text.parse().unwrap()
    }

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

    #[test]
    fn hosts_that_parsers_could_read_differently_are_refused() {
        for bad in [
            "http://127.0.0.1@evil.example",
            "http://user:pw@127.0.0.1/",
            "http://evil.example\\@127.0.0.1/",
            "http://127.0.0.1%2eevil.example/",
            "http://127.0.0.1:/",
            "http://127.0.0.1:99999/",
            "http://127.0.0.1:+80/",
            "http://[::1/",
            "http://[::1]x/",
            "http://::1/",
            "http://[not-ip]/",
        ] {
            assert!(bad.parse::<EndpointUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for loopback in [
            "http://127.0.0.1:5000",
            "http://127.9.8.7/",
            "http://LOCALHOST:4566",
            "http://localhost.",
            "http://[::1]:5000/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert!(url(loopback).is_loopback(), "{loopback}");
        }
        for remote in [
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://localhost.example",
            "http://127.0.0.1.nip.io",
            "http://0177.0.0.1",
            "http://[::2]",
            "https://sts.amazonaws.com",
        ] {
            assert!(!url(remote).is_loopback(), "{remote}");
        }
        assert_eq!(url("http://[::1]:5000/x?y#z").host(), "::1");
        assert_eq!(url("https://STS.Example.COM./a").host(), "sts.example.com");
    }

    #[test]
    fn aws_hosts() {
        for aws in [
            "https://sts.amazonaws.com",
            "https://sts.eu-west-1.amazonaws.com/",
            "https://sts.cn-north-1.amazonaws.com.cn",
            "https://sts.us-east-1.api.aws",
            "https://vpce-1.sts.us-east-1.vpce.amazonaws.com",
            "https://sts.eusc-de-east-1.amazonaws.eu",
        ] {
            assert!(url(aws).is_aws_host(), "{aws}");
        }
        for other in [
            "https://amazonaws.com",
            "https://evilamazonaws.com",
            "https://sts.amazonaws.com.evil.example",
            "http://127.0.0.1:5000",
            "https://api.aws",
            "https://amazonaws.eu",
            "https://sts.amazonaws.eu.evil.example",
        ] {
            assert!(!url(other).is_aws_host(), "{other}");
        }
    }

    /// Pins the finding "`--endpoint-url https://sts.eusc-de-east-1.amazonaws.eu` is called
    /// 'not an AWS host'": every host the SDK's resolvers give for STS and IAM, in a region of
    /// each partition, FIPS and dual-stack or not, is an AWS host.
    #[test]
    fn every_host_the_sdk_resolves_is_an_aws_host() {
        use crate::aws::{iam_url, sts_url, CallOptions};
        let regions = [
            "us-east-1",
            "cn-north-1",
            "eusc-de-east-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "us-gov-west-1",
            "aws-global",
        ];
        for region in regions {
            let region = region.parse().unwrap();
            for (use_fips, use_dual_stack) in
                [(false, false), (true, false), (false, true), (true, true)]
            {
                let options = CallOptions {
                    use_fips,
                    use_dual_stack,
                    app_id: None,
                };
                for resolved in [sts_url(&region, &options), iam_url(&region, &options)] {
                    assert!(url(&resolved).is_aws_host(), "{resolved}");
                }
            }
        }
    }
}
