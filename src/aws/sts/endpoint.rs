//! The STS endpoint a refresh talks to, chosen from `--endpoint-url` and the environment.
//!
//! Invariant: pure (the environment is passed in as a function); a plain-http endpoint on
//! another machine is refused unless explicitly allowed, so the MFA code and the session never
//! cross the network in clear text by accident; the general `AWS_ENDPOINT_URL` is never used.

use crate::input::{EndpointUrl, InputError};
use crate::text::notice::Notice;

/// Where an STS endpoint other than STS's own came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointOrigin {
    /// `--endpoint-url`.
    Flag,
    /// `AWS_ENDPOINT_URL_STS`.
    StsVariable,
    /// The source profile's `[services NAME]` section (`sts` `endpoint_url`).
    ProfileServices,
    /// The source profile's `endpoint_url`.
    ProfileEndpointUrl,
}

impl EndpointOrigin {
    /// The flag or variable, as the user would type it.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointOrigin::Flag => "--endpoint-url",
            EndpointOrigin::StsVariable => "AWS_ENDPOINT_URL_STS",
            EndpointOrigin::ProfileServices => "the source profile's services section",
            EndpointOrigin::ProfileEndpointUrl => "the source profile's endpoint_url",
        }
    }
}

/// An STS endpoint the user chose instead of STS's own regional one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomEndpoint {
    /// The URL.
    pub url: EndpointUrl,
    /// Where it was given.
    pub origin: EndpointOrigin,
}

impl CustomEndpoint {
    /// Refuses a plain-http endpoint that is not this machine unless `allow_insecure`.
    pub fn check(&self, allow_insecure: bool) -> Result<(), EndpointError> {
        if self.url.is_plain_http() && !self.url.is_loopback() && !allow_insecure {
            return Err(EndpointError::Insecure(self.clone()));
        }
        Ok(())
    }

    /// What to tell the user before an MFA code goes there, if anything: an endpoint that is
    /// not an AWS host is named, a plain-http one allowed with `--allow-insecure-endpoint`
    /// is warned about.
    pub fn notice(&self) -> Option<Notice> {
        let (url, origin) = (&self.url, self.origin.as_str());
        if self.url.is_plain_http() && !self.url.is_loopback() {
            return Some(Notice::Warning(format!(
                "sending the MFA code to {url} (from {origin}) over plain http, as --allow-insecure-endpoint allows: the code and the session cross the network in clear text"
            )));
        }
        (!self.url.is_aws_host()).then(|| {
            Notice::Info(format!(
                "using STS endpoint {url} (from {origin}), which is not an AWS host"
            ))
        })
    }
}

/// The STS endpoint a refresh uses, as [`resolve_endpoint`] chose it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointChoice {
    /// `None`: STS's regional https endpoint.
    pub endpoint: Option<CustomEndpoint>,
    /// `AWS_ENDPOINT_URL` was set, and is not used for STS.
    pub ignored_general_variable: bool,
}

/// Why no endpoint could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    /// A variable does not hold an http(s) URL.
    Malformed(&'static str, InputError),
    /// A plain-http endpoint that is not this machine, without `--allow-insecure-endpoint`.
    Insecure(CustomEndpoint),
}

/// Whether a setting (`ignore_configured_endpoint_urls`, its variable) says `true`, as the
/// AWS CLI takes it: any case, blanks around it ignored.
pub fn setting_is_true(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

/// Whether `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, read through `var`, turns configured
/// endpoints off: the service variables (`AWS_ENDPOINT_URL_STS`, `_IAM`) and the profiles'.
pub fn configured_endpoints_ignored(var: impl Fn(&str) -> Option<String>) -> bool {
    var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| setting_is_true(&v))
}

/// The endpoint STS calls go to: `flag` (`--endpoint-url`), else `AWS_ENDPOINT_URL_STS`
/// (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), read through `var`; else STS's
/// own, as the SDK resolves it for the region (and FIPS, dual-stack).
///
/// The AWS SDKs also send STS calls to the general `AWS_ENDPOINT_URL`; mfa-profile does not:
/// that variable is often left set for LocalStack or another tool, and this one request
/// carries an MFA code and brings back a session. A plain-http endpoint is refused unless it
/// is this machine (`localhost`, 127.0.0.0/8, `::1`) or `allow_insecure` is set.
pub fn resolve_endpoint(
    flag: Option<EndpointUrl>,
    allow_insecure: bool,
    var: impl Fn(&str) -> Option<String>,
) -> Result<EndpointChoice, EndpointError> {
    let ignore_configured = configured_endpoints_ignored(&var);
    let var = |name| var(name).filter(|v| !v.is_empty());
    let endpoint = match flag {
        Some(url) => Some(CustomEndpoint {
            url,
            origin: EndpointOrigin::Flag,
        }),
        None if ignore_configured => None,
        None => match var("AWS_ENDPOINT_URL_STS") {
            Some(text) => Some(CustomEndpoint {
                url: text
                    .parse()
                    .map_err(|e| EndpointError::Malformed("AWS_ENDPOINT_URL_STS", e))?,
                origin: EndpointOrigin::StsVariable,
            }),
            None => None,
        },
    };
    if let Some(endpoint) = &endpoint {
        endpoint.check(allow_insecure)?;
    }
    Ok(EndpointChoice {
        ignored_general_variable: endpoint.is_none()
            && !ignore_configured
            && var("AWS_ENDPOINT_URL").is_some(),
        endpoint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn choice(
        flag: Option<&str>,
        allow_insecure: bool,
        vars: &'static [(&'static str, &'static str)],
    ) -> Result<EndpointChoice, EndpointError> {
        resolve_endpoint(flag.map(|f| f.parse().unwrap()), allow_insecure, env(vars))
    }

    fn resolved(
        flag: Option<&str>,
        vars: &'static [(&'static str, &'static str)],
    ) -> Option<String> {
        choice(flag, true, vars)
            .unwrap()
            .endpoint
            .map(|e| e.url.to_string())
    }

    #[test]
    fn endpoint_flag_beats_the_sts_variable_and_the_general_variable_is_not_used() {
        let both: &[(&str, &str)] = &[
            ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
            ("AWS_ENDPOINT_URL", "http://all.local"),
        ];
        assert_eq!(
            resolved(Some("https://flag.example"), both).as_deref(),
            Some("https://flag.example")
        );
        assert_eq!(resolved(None, both).as_deref(), Some("http://sts.local"));
        let global: &[(&str, &str)] = &[
            ("AWS_ENDPOINT_URL_STS", ""),
            ("AWS_ENDPOINT_URL", "http://all.local"),
        ];
        assert_eq!(resolved(None, global), None);
        assert!(
            choice(None, false, global)
                .unwrap()
                .ignored_general_variable
        );
        assert!(
            !choice(Some("https://flag.example"), false, global)
                .unwrap()
                .ignored_general_variable
        );
        let ignored: &[(&str, &str)] = &[
            ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
            ("AWS_ENDPOINT_URL", "http://all.local"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
        ];
        assert_eq!(resolved(None, ignored), None);
        assert!(
            !choice(None, false, ignored)
                .unwrap()
                .ignored_general_variable
        );
        assert_eq!(resolved(None, &[]), None);
        let bad: &[(&str, &str)] = &[("AWS_ENDPOINT_URL_STS", "ftp://x")];
        assert!(matches!(
            choice(None, false, bad),
            Err(EndpointError::Malformed("AWS_ENDPOINT_URL_STS", _))
        ));
    }

    #[test]
    fn plain_http_is_refused_unless_loopback_or_allowed() {
        let remote: &[(&str, &str)] = &[("AWS_ENDPOINT_URL_STS", "http://sts.example:80")];
        assert!(matches!(
            choice(None, false, remote),
            Err(EndpointError::Insecure(CustomEndpoint {
                origin: EndpointOrigin::StsVariable,
                ..
            }))
        ));
        assert!(matches!(
            choice(Some("http://10.1.2.3"), false, &[]),
            Err(EndpointError::Insecure(CustomEndpoint {
                origin: EndpointOrigin::Flag,
                ..
            }))
        ));
        let allowed = choice(Some("http://10.1.2.3"), true, &[]).unwrap();
        assert!(matches!(
            allowed.endpoint.unwrap().notice(),
            Some(Notice::Warning(w)) if w.contains("clear text")
        ));
        for fine in [
            "http://127.0.0.1:5000",
            "http://localhost:4566",
            "http://[::1]:5000",
            "https://sts.example",
        ] {
            assert!(choice(Some(fine), false, &[]).is_ok(), "{fine}");
        }
        let shown = |url: &str| {
            choice(Some(url), false, &[])
                .unwrap()
                .endpoint
                .unwrap()
                .notice()
        };
        assert!(matches!(
            shown("http://127.0.0.1:5000"),
            Some(Notice::Info(i)) if i.contains("http://127.0.0.1:5000 (from --endpoint-url), which is not an AWS host")
        ));
        assert_eq!(shown("https://sts.eu-west-1.amazonaws.com"), None);
    }
}
