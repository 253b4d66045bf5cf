//! The HTTP clients STS and IAM calls go through: the rustls-ring connector of
//! `aws-smithy-http-client`, with the proxies the environment names, the certificates the user
//! trusts, and a bound on what an answer may hold.
//!
//! Invariant: TLS is rustls with ring, never aws-lc (docs/performance.md: seeding aws-lc's
//! random generator costs 40–50 ms of CPU a run), its key exchange offering X25519 first
//! whatever order rustls's default has (one P-384 key share costs about 11 M instructions more
//! per handshake); a TLS client trusts exactly the certificates it is given, set up once; a
//! plain `http://` endpoint gets a client without TLS, which loads no certificate and never
//! goes through a proxy (plain http is for this machine: a proxy would carry the MFA code in
//! clear text); an `https://` request goes through the proxy [`Proxies`] names unless
//! `NO_PROXY` excludes its host; no answer is read past [`MAX_ANSWER_BYTES`]; connecting takes
//! at most [`CONNECT_TIMEOUT`](super::CONNECT_TIMEOUT); no thread is started for a host-name
//! lookup.

use crate::aws::sts::TrustRoots;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_http_client::Connector;
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use http_body_util::{BodyExt, Limited};
use std::net::{IpAddr, ToSocketAddrs};

/// The largest answer read: a GetSessionToken answer is about 1 KiB, an error 300 bytes.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The proxies the environment names, as the AWS CLI reads them (`https_proxy` or
/// `HTTPS_PROXY`, else `ALL_PROXY`; `NO_PROXY`), for `https://` endpoints: a plain `http://`
/// endpoint is reached directly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proxies {
    /// The proxy for `https://` endpoints (a URL; `host:port` alone is taken as
    /// `http://host:port`, as the AWS CLI takes it), and where it was named.
    pub https: Option<(String, &'static str)>,
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
        let https =
            first(&["https_proxy", "HTTPS_PROXY"]).or_else(|| first(&["all_proxy", "ALL_PROXY"]));
        Proxies {
            https: https.map(|(url, origin)| (with_scheme(url), origin)),
            no_proxy: first(&["no_proxy", "NO_PROXY"]).map(|(value, _)| value),
        }
    }

    /// What to add to "cannot reach" for an endpoint: the proxy the request went through,
    /// unless `NO_PROXY` sent it straight. Nothing for a plain `http://` endpoint.
    pub fn hint(&self, plain_http: bool) -> Option<String> {
        if plain_http {
            return None;
        }
        let (url, origin) = self.https.as_ref()?;
        let url = without_password(url);
        Some(match &self.no_proxy {
            Some(rules) => format!(
                "the request goes through the proxy {url} that {origin} names, unless NO_PROXY ({rules}) names the host"
            ),
            None => format!("the request goes through the proxy {url} that {origin} names"),
        })
    }

    /// The connector's proxy setting for `https://` endpoints; `None`: no proxy.
    fn config(&self) -> Result<Option<ProxyConfig>, String> {
        let Some((url, origin)) = &self.https else {
            return Ok(None);
        };
        let config = ProxyConfig::https(url.as_str()).map_err(|e| {
            let url = without_password(url);
            format!("the proxy {origin} names ({url}) cannot be used: {e}")
        })?;
        Ok(Some(match &self.no_proxy {
            Some(rules) => config.no_proxy(rules),
            None => config,
        }))
    }
}

/// `url`, with `http://` in front when it names no scheme (`proxy.example:3128`).
fn with_scheme(url: String) -> String {
    if url.contains("://") {
        url
    } else {
        format!("http://{url}")
    }
}

/// A proxy URL as a message shows it: a password in it (`http://user:password@host`) as `***`.
/// The user part ends at the last `@`, whatever comes before it (a password may hold `/`, `?`
/// or `#`, which end the authority in a URL's grammar).
fn without_password(url: &str) -> String {
    let (prefix, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let Some((user_info, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    let (user, password) = match user_info.split_once(':') {
        Some((user, _)) => (user, ":***"),
        None => (user_info, ""),
    };
    // A user part with `/`, `?` or `#` before its `:` is no user name either.
    let user = if user.contains(['/', '?', '#']) {
        "***"
    } else {
        user
    };
    format!("{prefix}{user}{password}@{host}")
}

/// The client for plain `http://` endpoints: no TLS, no proxy.
pub(super) fn plain_client() -> SharedHttpClient {
    fixed(plain_connector())
}

/// The client for `https://` endpoints, trusting `roots`, through the proxy `proxies` names.
pub(super) fn tls_client(
    roots: &TrustRoots,
    proxies: &Proxies,
) -> Result<SharedHttpClient, String> {
    tls_connector(roots, proxies).map(fixed)
}

/// The connector of the clients above, for a request made without an SDK client (the
/// console's sign-in token): plain http, or TLS trusting `roots` through the proxy `proxies`
/// names; behind the answer bound.
pub(crate) fn connector(
    plain_http: bool,
    roots: &TrustRoots,
    proxies: &Proxies,
) -> Result<SharedHttpConnector, String> {
    if plain_http {
        Ok(plain_connector())
    } else {
        tls_connector(roots, proxies)
    }
}

fn plain_connector() -> SharedHttpConnector {
    let connector = Connector::builder()
        .connector_settings(settings())
        .build_http();
    SharedHttpConnector::new(Bounded(SharedHttpConnector::new(connector)))
}

fn tls_connector(roots: &TrustRoots, proxies: &Proxies) -> Result<SharedHttpConnector, String> {
    let mut builder = Connector::builder().connector_settings(settings());
    builder.set_proxy_config(proxies.config()?);
    let connector = builder
        .tls_provider(tls::Provider::Rustls(crypto_mode()))
        .tls_context(tls_context(roots)?)
        .build_with_resolver(InThread);
    Ok(SharedHttpConnector::new(Bounded(SharedHttpConnector::new(
        connector,
    ))))
}

/// `client`'s connectors behind the answer bound.
#[cfg(any(test, feature = "fuzzing"))]
pub(super) fn bounded_client(client: SharedHttpClient) -> SharedHttpClient {
    use aws_smithy_runtime_api::client::http::HttpClient;
    http_client_fn(move |settings, components| {
        SharedHttpConnector::new(Bounded(client.http_connector(settings, components)))
    })
}

/// The client an SDK client is built with before a call chooses one: it sends nothing (every
/// call names its own).
pub(super) fn unchosen_client() -> SharedHttpClient {
    #[derive(Debug)]
    struct Unchosen;
    impl HttpConnector for Unchosen {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            HttpConnectorFuture::ready(Err(ConnectorError::user(
                "no HTTP client was chosen for this call".into(),
            )))
        }
    }
    fixed(SharedHttpConnector::new(Unchosen))
}

/// A client that always hands out `connector` (built with its settings already).
fn fixed(connector: SharedHttpConnector) -> SharedHttpClient {
    http_client_fn(move |_, _| connector.clone())
}

fn settings() -> HttpConnectorSettings {
    HttpConnectorSettings::builder()
        .connect_timeout(super::CONNECT_TIMEOUT)
        .build()
}

/// Our CryptoProvider: ring's, the key exchange offering X25519 first (rustls 0.23.48 put
/// P-384 first for ring), and the cipher suites `aws-smithy-http-client` keeps for its own
/// modes (it keeps none of a custom provider's choices for it).
pub fn crypto_provider() -> rustls::crypto::CryptoProvider {
    use rustls::crypto::ring::{self, kx_group};
    use rustls::CipherSuite;
    // Deprecated since rustls 0.23.48 for lacking post-quantum key exchange, which we leave
    // out on purpose (docs/performance.md); it is the only way to ring's random source.
    #[allow(deprecated)]
    let base = ring::default_provider();
    let suites = [
        CipherSuite::TLS13_AES_256_GCM_SHA384,
        CipherSuite::TLS13_AES_128_GCM_SHA256,
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];
    let cipher_suites = suites
        .iter()
        .filter_map(|suite| {
            base.cipher_suites
                .iter()
                .find(|s| s.suite() == *suite)
                .copied()
        })
        .collect();
    rustls::crypto::CryptoProvider {
        cipher_suites,
        kx_groups: vec![kx_group::X25519, kx_group::SECP256R1, kx_group::SECP384R1],
        ..base
    }
}

/// The connector's TLS mode: our provider where `aws-smithy-http-client` takes one (behind
/// `--cfg aws_sdk_unstable`, which .cargo/config.toml sets), else ring's default provider.
#[cfg(aws_sdk_unstable)]
fn crypto_mode() -> CryptoMode {
    CryptoMode::Custom(crypto_provider())
}

#[cfg(not(aws_sdk_unstable))]
fn crypto_mode() -> CryptoMode {
    CryptoMode::Ring
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

/// A connector whose answers are read at most [`MAX_ANSWER_BYTES`] far: a body that goes on
/// (or announces it will) fails with [`TooLarge`] there.
#[derive(Debug)]
struct Bounded(SharedHttpConnector);

impl HttpConnector for Bounded {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let answer = self.0.call(request);
        HttpConnectorFuture::new(async move {
            let mut answer = answer.await?;
            let announced = answer
                .headers()
                .get("content-length")
                .and_then(|length| length.trim().parse::<u64>().ok());
            let body = answer.take_body();
            *answer.body_mut() = if announced.is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
                SdkBody::from_body_1_x(FailsAtOnce)
            } else {
                SdkBody::from_body_1_x(Limited::new(body, MAX_ANSWER_BYTES).map_err(|error| {
                    if error.is::<http_body_util::LengthLimitError>() {
                        Box::new(TooLarge) as Box<dyn std::error::Error + Send + Sync>
                    } else {
                        error
                    }
                }))
            };
            Ok(answer)
        })
    }
}

/// A body that fails at once with [`TooLarge`]: its length announced more.
struct FailsAtOnce;

impl http_body::Body for FailsAtOnce {
    type Data = bytes::Bytes;
    type Error = TooLarge;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, TooLarge>>> {
        std::task::Poll::Ready(Some(Err(TooLarge)))
    }
}

/// An answer longer than [`MAX_ANSWER_BYTES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("it is larger than 1 MiB, which no STS or IAM answer is")]
pub struct TooLarge;

/// Looks host names up in the calling thread. The SDK's default hands each lookup to a thread
/// of tokio's blocking pool, started for it: a third of a millisecond of CPU here, for a
/// program that makes one request at a time and can do nothing else meanwhile.
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
    fn https_takes_its_own_variable_then_all_proxy_and_http_takes_none() {
        let found = proxies(&[
            ("HTTPS_PROXY", "http://secure.example:3128"),
            ("http_proxy", "http://plain.example:3128"),
            ("NO_PROXY", "localhost,.internal"),
        ]);
        assert_eq!(
            found.https,
            Some(("http://secure.example:3128".into(), "HTTPS_PROXY"))
        );
        assert_eq!(found.no_proxy.as_deref(), Some("localhost,.internal"));
        assert_eq!(found.hint(true), None, "plain http is never proxied");
        let all = proxies(&[
            ("ALL_PROXY", "http://all.example:8080"),
            ("https_proxy", " "),
        ]);
        assert_eq!(
            all.https,
            Some(("http://all.example:8080".into(), "ALL_PROXY"))
        );
        assert_eq!(proxies(&[]), Proxies::default());
    }

    /// Pins the finding "`HTTPS_PROXY=host:port` (no scheme, which the AWS CLI accepts) is
    /// refused": it is `http://host:port`.
    #[test]
    fn a_proxy_without_a_scheme_is_plain_http() {
        let found = proxies(&[("HTTPS_PROXY", "proxy.example:3128")]);
        assert_eq!(
            found.https,
            Some(("http://proxy.example:3128".into(), "HTTPS_PROXY"))
        );
        assert!(found.config().unwrap().is_some());
    }

    /// Pins the finding "a proxy password holding `/`, `?` or `#` is printed in the error".
    #[test]
    fn a_proxys_password_is_never_shown() {
        for password in [
            "s3cret", "s3/cret", "s3?cret", "s3#cret", "s3@cret", "s3:cret",
        ] {
            let url = format!("http://alice:{password}@proxy.example:3128/");
            let with = proxies(&[("HTTPS_PROXY", &url)]);
            let hint = with.hint(false).unwrap();
            assert!(
                hint.contains("http://alice:***@proxy.example:3128/"),
                "{hint}"
            );
            assert!(!hint.contains(password), "{hint}");
            if let Err(why) = with.config() {
                assert!(!why.contains(password), "{why}");
            }
        }
        let bad = proxies(&[("HTTPS_PROXY", "http://alice:s3cret@[not a host")]);
        let why = bad.config().unwrap_err();
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
        let why = bad.config().unwrap_err();
        assert!(
            why.contains("HTTPS_PROXY") && why.contains("cannot be used"),
            "{why}"
        );
    }

    /// The key exchange offers X25519 first whatever rustls's default order (0.23.48 put
    /// P-384 first for ring, and one P-384 key share costs ~11 M instructions), and the
    /// connector is given this provider (the build has `--cfg aws_sdk_unstable`).
    #[test]
    fn the_key_exchange_offers_x25519_first() {
        use rustls::NamedGroup;
        let groups: Vec<NamedGroup> = crypto_provider()
            .kx_groups
            .iter()
            .map(|g| g.name())
            .collect();
        assert_eq!(
            groups,
            [
                NamedGroup::X25519,
                NamedGroup::secp256r1,
                NamedGroup::secp384r1
            ]
        );
        #[cfg(aws_sdk_unstable)]
        assert!(matches!(crypto_mode(), CryptoMode::Custom(_)));
        #[cfg(not(aws_sdk_unstable))]
        panic!("built without --cfg aws_sdk_unstable (.cargo/config.toml; RUSTFLAGS replaces it): the connector falls back to rustls's default key-exchange order");
        assert!(!crypto_provider().cipher_suites.is_empty());
    }
}
