//! The HTTP client of every AWS SDK client mfa-profile builds (STS, and any other service
//! called with the same settings).
//!
//! Invariant: TLS is rustls with ring, never aws-lc (README, Performance: seeding aws-lc's
//! random generator costs 40–50 ms of CPU a run); a client trusts exactly the certificates it
//! is given; an `http://` endpoint gets a client without TLS, which loads no certificate.

use super::trust::TrustRoots;
use aws_sdk_sts::config::SharedHttpClient;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};

/// The client for an endpoint: plain HTTP for an `http://` one, else TLS trusting `roots`.
pub fn client(plain_http: bool, roots: &TrustRoots) -> Result<SharedHttpClient, String> {
    let builder = aws_smithy_http_client::Builder::new();
    if plain_http {
        return Ok(builder.build_http());
    }
    let trust_store = match roots {
        TrustRoots::Pem(pem) => TrustStore::empty().with_pem_certificate(pem.to_vec()),
        TrustRoots::Platform => TrustStore::default(),
    };
    let context = TlsContext::builder()
        .with_trust_store(trust_store)
        .build()
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    Ok(builder
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(context)
        .build_https())
}
