//! The IAM endpoint, chosen from `--iam-endpoint-url` and the environment, by the same policy
//! as STS's (`sts::resolve_endpoint`).
//!
//! Invariant: pure (the environment is passed in as a function); a plain-http endpoint on
//! another machine is refused unless explicitly allowed, so session credentials and new secret
//! keys never cross the network in clear text by accident; the general `AWS_ENDPOINT_URL` is
//! never used.

use crate::input::{EndpointUrl, InputError};
use crate::text::notice::Notice;

/// An IAM endpoint the user chose instead of IAM's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IamEndpoint {
    /// The URL.
    pub url: EndpointUrl,
    /// `--iam-endpoint-url` or `AWS_ENDPOINT_URL_IAM`.
    pub origin: &'static str,
}

impl IamEndpoint {
    /// What to tell the user before keys go there, if anything.
    pub fn notice(&self) -> Option<Notice> {
        let (url, origin) = (&self.url, self.origin);
        if url.is_plain_http() && !url.is_loopback() {
            return Some(Notice::Warning(format!(
                "sending IAM requests to {url} (from {origin}) over plain http, as --allow-insecure-endpoint allows: sessions and new secret keys cross the network in clear text"
            )));
        }
        (!url.is_aws_host()).then(|| {
            Notice::Info(format!(
                "using IAM endpoint {url} (from {origin}), which is not an AWS host"
            ))
        })
    }
}

/// The IAM endpoint as [`resolve_iam_endpoint`] chose it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IamEndpointChoice {
    /// `None`: IAM's own https endpoint for the region's partition.
    pub endpoint: Option<IamEndpoint>,
    /// `AWS_ENDPOINT_URL` was set, and is not used for IAM.
    pub ignored_general_variable: bool,
}

/// Why no IAM endpoint could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IamEndpointError {
    /// `AWS_ENDPOINT_URL_IAM` does not hold an http(s) URL.
    Malformed(InputError),
    /// A plain-http endpoint that is not this machine, without `--allow-insecure-endpoint`.
    Insecure(IamEndpoint),
}

/// The endpoint IAM calls go to: `flag` (`--iam-endpoint-url`), else `AWS_ENDPOINT_URL_IAM`
/// (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), else IAM's own. Plain http only to
/// this machine unless `allow_insecure`.
pub fn resolve_iam_endpoint(
    flag: Option<EndpointUrl>,
    allow_insecure: bool,
    var: impl Fn(&str) -> Option<String>,
) -> Result<IamEndpointChoice, IamEndpointError> {
    let ignore_configured = crate::aws::sts::configured_endpoints_ignored(&var);
    let var = |name| var(name).filter(|v| !v.is_empty());
    let endpoint = match flag {
        Some(url) => Some(IamEndpoint {
            url,
            origin: "--iam-endpoint-url",
        }),
        None if ignore_configured => None,
        None => var("AWS_ENDPOINT_URL_IAM")
            .map(|text| {
                text.parse()
                    .map(|url| IamEndpoint {
                        url,
                        origin: "AWS_ENDPOINT_URL_IAM",
                    })
                    .map_err(IamEndpointError::Malformed)
            })
            .transpose()?,
    };
    if let Some(endpoint) = &endpoint {
        if endpoint.url.is_plain_http() && !endpoint.url.is_loopback() && !allow_insecure {
            return Err(IamEndpointError::Insecure(endpoint.clone()));
        }
    }
    Ok(IamEndpointChoice {
        ignored_general_variable: endpoint.is_none()
            && !ignore_configured
            && var("AWS_ENDPOINT_URL").is_some(),
        endpoint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(
        flag: Option<&str>,
        allow: bool,
        vars: &'static [(&'static str, &'static str)],
    ) -> Result<IamEndpointChoice, IamEndpointError> {
        resolve_iam_endpoint(flag.map(|f| f.parse().unwrap()), allow, |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn flag_then_variable_never_the_general_one() {
        let both: &[(&str, &str)] = &[
            ("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:5000"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ];
        let chosen = choose(Some("https://iam.example"), false, both).unwrap();
        assert_eq!(chosen.endpoint.unwrap().origin, "--iam-endpoint-url");
        let chosen = choose(None, false, both).unwrap();
        assert_eq!(
            chosen.endpoint.unwrap().url.as_str(),
            "http://127.0.0.1:5000"
        );
        let general: &[(&str, &str)] = &[("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")];
        let chosen = choose(None, false, general).unwrap();
        assert!(chosen.endpoint.is_none() && chosen.ignored_general_variable);
        let ignored: &[(&str, &str)] = &[
            ("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:5000"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ];
        assert!(choose(None, false, ignored).unwrap().endpoint.is_none());
        let bad: &[(&str, &str)] = &[("AWS_ENDPOINT_URL_IAM", "ftp://x")];
        assert!(matches!(
            choose(None, false, bad),
            Err(IamEndpointError::Malformed(_))
        ));
    }

    #[test]
    fn plain_http_only_to_this_machine_unless_allowed() {
        assert!(matches!(
            choose(Some("http://10.0.0.1"), false, &[]),
            Err(IamEndpointError::Insecure(_))
        ));
        let allowed = choose(Some("http://10.0.0.1"), true, &[]).unwrap();
        assert!(matches!(
            allowed.endpoint.unwrap().notice(),
            Some(Notice::Warning(w)) if w.contains("clear text")
        ));
        let local = choose(Some("http://127.0.0.1:5000"), false, &[]).unwrap();
        assert!(matches!(
            local.endpoint.unwrap().notice(),
            Some(Notice::Info(i)) if i.contains("not an AWS host")
        ));
        let aws = choose(Some("https://iam.amazonaws.com"), false, &[]).unwrap();
        assert_eq!(aws.endpoint.unwrap().notice(), None);
    }
}
