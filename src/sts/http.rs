//! The HTTP connector STS is called through, and the HTTP client of every AWS SDK client
//! mfa-profile builds (IAM), with the same settings.
//!
//! Invariant: TLS is rustls with ring, never aws-lc (README, Performance: seeding aws-lc's
//! random generator costs 40–50 ms of CPU a run); a connector trusts exactly the certificates
//! it is given; an `http://` endpoint gets one without TLS, which loads no certificate; the
//! TLS set-up (certificates parsed, rustls configured) runs once, for the request; connecting
//! takes at most [`CONNECT_TIMEOUT`](super::CONNECT_TIMEOUT) and waiting for an answer at most
//! [`ATTEMPT_TIMEOUT`](super::ATTEMPT_TIMEOUT); no thread is started for an `https://`
//! endpoint (the host name is looked up in the calling thread).

use super::trust::TrustRoots;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_http_client::Connector;
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::net::{IpAddr, ToSocketAddrs};

/// The connector for an endpoint: plain HTTP for an `http://` one, else TLS trusting `roots`.
pub fn connector(plain_http: bool, roots: &TrustRoots) -> Result<SharedHttpConnector, String> {
    let settings = HttpConnectorSettings::builder()
        .connect_timeout(super::CONNECT_TIMEOUT)
        .read_timeout(super::ATTEMPT_TIMEOUT)
        .build();
    let builder = Connector::builder().connector_settings(settings);
    if plain_http {
        return Ok(SharedHttpConnector::new(builder.build_http()));
    }
    let connector = builder
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(tls_context(roots)?)
        .build_with_resolver(InThread);
    Ok(SharedHttpConnector::new(connector))
}

/// The client for an endpoint, for an SDK client: plain HTTP for an `http://` one, else TLS
/// trusting `roots`.
pub fn client(plain_http: bool, roots: &TrustRoots) -> Result<SharedHttpClient, String> {
    let builder = aws_smithy_http_client::Builder::new();
    if plain_http {
        return Ok(builder.build_http());
    }
    let client = builder
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(tls_context(roots)?)
        .build_with_resolver(InThread);
    Ok(SharedHttpClient::new(OnDemand(client)))
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

/// An HTTP client that sets up its connection only when the request needs one. The SDK's
/// client also builds one when the SDK client is built (to load the system's certificates
/// early, for long-lived programs); for one request that doubles the set-up, certificates
/// parsed twice included.
#[derive(Debug)]
struct OnDemand(SharedHttpClient);

impl HttpClient for OnDemand {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.0.connector_metadata()
    }
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
