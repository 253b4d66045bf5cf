//! The HTTP connector STS and IAM calls go through.
//!
//! Invariant: TLS is rustls with ring, never aws-lc (README, Performance: seeding aws-lc's
//! random generator costs 40–50 ms of CPU a run); a connector trusts exactly the certificates
//! it is given; an `http://` endpoint gets one without TLS, which loads no certificate; the
//! TLS set-up (certificates parsed, rustls configured) runs once, for the request; connecting
//! takes at most [`CONNECT_TIMEOUT`](super::CONNECT_TIMEOUT) and waiting for an answer at most
//! [`ATTEMPT_TIMEOUT`](super::ATTEMPT_TIMEOUT); a request goes through the proxy [`Proxies`]
//! names for its scheme unless `NO_PROXY` excludes its host; no thread is started for an
//! `https://` endpoint (the host name is looked up in the calling thread).

use super::trust::TrustRoots;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_http_client::Connector;
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use aws_smithy_runtime_api::client::http::{HttpConnectorSettings, SharedHttpConnector};
use std::net::{IpAddr, ToSocketAddrs};

/// The proxies the environment names, as the AWS CLI reads them (`https_proxy` or
/// `HTTPS_PROXY`, `http_proxy` or `HTTP_PROXY`, `ALL_PROXY` for either, `NO_PROXY`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proxies {
    /// The proxy for `https://` endpoints, and where it was named.
    pub https: Option<(String, &'static str)>,
    /// The proxy for `http://` endpoints, and where it was named.
    pub http: Option<(String, &'static str)>,
    /// Hosts (and domains, `.example.com`, and `*`) reached directly.
    pub no_proxy: Option<String>,
}

impl Proxies {
    /// The proxies `var` names (`var` reads the environment).
    pub fn from(var: impl Fn(&str) -> Option<String>) -> Proxies {
        let first = |names: &[&'static str]| {
            names.iter().find_map(|name| {
                var(name)
                    .filter(|value| !value.trim().is_empty())
                    .map(|value| (value.trim().to_owned(), *name))
            })
        };
        let all = ["all_proxy", "ALL_PROXY"];
        Proxies {
            https: first(&["https_proxy", "HTTPS_PROXY"]).or_else(|| first(&all)),
            http: first(&["http_proxy", "HTTP_PROXY"]).or_else(|| first(&all)),
            no_proxy: first(&["no_proxy", "NO_PROXY"]).map(|(value, _)| value),
        }
    }

    /// What to add to "cannot reach" for an endpoint of the scheme given: the proxy the
    /// request went through, unless `NO_PROXY` sent it straight.
    pub fn hint(&self, plain_http: bool) -> Option<String> {
        let (url, origin) = if plain_http { &self.http } else { &self.https }.as_ref()?;
        let url = without_password(url);
        Some(match &self.no_proxy {
            Some(rules) => format!(
                "the request goes through the proxy {url} that {origin} names, unless NO_PROXY ({rules}) names the host"
            ),
            None => format!("the request goes through the proxy {url} that {origin} names"),
        })
    }

    /// The connector's proxy setting for an endpoint of the scheme given; `None`: no proxy.
    fn config(&self, plain_http: bool) -> Result<Option<ProxyConfig>, String> {
        let chosen = if plain_http { &self.http } else { &self.https };
        let Some((url, origin)) = chosen else {
            return Ok(None);
        };
        let config = if plain_http {
            ProxyConfig::http(url.as_str())
        } else {
            ProxyConfig::https(url.as_str())
        }
        .map_err(|e| {
            let url = without_password(url);
            format!("the proxy {origin} names ({url}) cannot be used: {e}")
        })?;
        Ok(Some(match &self.no_proxy {
            Some(rules) => config.no_proxy(rules),
            None => config,
        }))
    }
}

/// A proxy URL as a message shows it: a password in it (`http://user:password@host`) as `***`.
fn without_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = user_info.split(':').next().unwrap_or_default();
    let prefix = if scheme.is_empty() {
        String::new()
    } else {
        format!("{scheme}://")
    };
    let password = if user_info.contains(':') { ":***" } else { "" };
    format!("{prefix}{user}{password}@{host}{path}")
}

/// The connector for an endpoint: plain HTTP for an `http://` one, else TLS trusting `roots`;
/// through the proxy `proxies` names for the scheme.
pub fn connector(
    plain_http: bool,
    roots: &TrustRoots,
    proxies: &Proxies,
) -> Result<SharedHttpConnector, String> {
    let settings = HttpConnectorSettings::builder()
        .connect_timeout(super::CONNECT_TIMEOUT)
        .read_timeout(super::ATTEMPT_TIMEOUT)
        .build();
    let mut builder = Connector::builder().connector_settings(settings);
    builder.set_proxy_config(proxies.config(plain_http)?);
    if plain_http {
        return Ok(SharedHttpConnector::new(builder.build_http()));
    }
    let connector = builder
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(tls_context(roots)?)
        .build_with_resolver(InThread);
    Ok(SharedHttpConnector::new(connector))
}

fn tls_context(roots: &TrustRoots) -> Result<TlsContext, String> {
    let trust_store = match roots {
        TrustRoots::Pem(pem) => TrustStore::empty().with_pem_certificate(pem.to_vec()),
        TrustRoots::Platform => TrustStore::default(),
    };
    TlsContext::builder()
        .with_trust_store(trust_store)
        .build()
        .map_err(|e| format!("cannot set up TLS: {e}"))
}

/// Looks host names up in the calling thread. The SDK's default hands each lookup to a thread
/// of tokio's blocking pool, started for it: a third of a millisecond of CPU here, for a
/// program that makes one request and can do nothing else meanwhile. (A lookup that hangs
/// delays the error either way: the runtime waits for its blocking threads before it exits.)
#[derive(Clone, Debug)]
struct InThread;

impl ResolveDns for InThread {
    fn resolve_dns<'a>(&'a self, name: &'a str) -> DnsFuture<'a> {
        let found = (name, 0)
            .to_socket_addrs()
            .map(|addresses| addresses.map(|a| a.ip()).collect::<Vec<IpAddr>>())
            .map_err(ResolveDnsError::new);
        DnsFuture::ready(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(vars: &[(&str, &str)]) -> Proxies {
        Proxies::from(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn each_scheme_takes_its_own_variable_then_all_proxy() {
        let found = proxies(&[
            ("HTTPS_PROXY", "http://secure.example:3128"),
            ("http_proxy", "http://plain.example:3128"),
            ("HTTP_PROXY", "http://ignored.example:3128"),
            ("NO_PROXY", "localhost,.internal"),
        ]);
        assert_eq!(
            found.https,
            Some(("http://secure.example:3128".into(), "HTTPS_PROXY"))
        );
        assert_eq!(
            found.http,
            Some(("http://plain.example:3128".into(), "http_proxy"))
        );
        assert_eq!(found.no_proxy.as_deref(), Some("localhost,.internal"));
        let all = proxies(&[
            ("ALL_PROXY", "http://all.example:8080"),
            ("https_proxy", " "),
        ]);
        assert_eq!(
            all.https,
            Some(("http://all.example:8080".into(), "ALL_PROXY"))
        );
        assert_eq!(all.http, all.https);
        assert_eq!(proxies(&[]), Proxies::default());
    }

    #[test]
    fn a_proxys_password_is_never_shown() {
        let with = proxies(&[("HTTPS_PROXY", "http://alice:s3cret@proxy.example:3128/")]);
        let hint = with.hint(false).unwrap();
        assert!(
            hint.contains("http://alice:***@proxy.example:3128/"),
            "{hint}"
        );
        assert!(!hint.contains("s3cret"), "{hint}");
        let bad = proxies(&[("HTTPS_PROXY", "http://alice:s3cret@[not a host")]);
        let why = bad.config(false).unwrap_err();
        assert!(!why.contains("s3cret"), "{why}");
        assert_eq!(without_password("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(
            without_password("http://bob@proxy:3128"),
            "http://bob@proxy:3128"
        );
        assert_eq!(without_password("carol:pw@proxy"), "carol:***@proxy");
    }

    #[test]
    fn a_proxy_that_is_not_a_url_is_named_in_the_error() {
        let bad = proxies(&[("HTTPS_PROXY", "http://[not a host")]);
        let why = bad.config(false).unwrap_err();
        assert!(
            why.contains("HTTPS_PROXY") && why.contains("cannot be used"),
            "{why}"
        );
        assert!(
            bad.config(true).is_ok(),
            "http endpoints do not use HTTPS_PROXY"
        );
    }
}
