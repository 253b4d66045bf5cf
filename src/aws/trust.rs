//! The certificates a TLS connection to STS trusts: the CA bundle the user named
//! (`AWS_CA_BUNDLE`, else `ca_bundle` in the source profile), alone, as botocore uses it; else
//! the system's, read from its one bundle file rather than the bundle and every file of its
//! directory (about 150 more files, each certificate read twice).
//!
//! Invariant: PEM text is handed to the HTTP client only once it is known to parse the way the
//! client will parse it, every certificate in it a usable trust anchor (the client panics
//! otherwise); a bundle the user named that cannot be read or holds no usable certificate is an
//! error naming the file and where it was named; a system bundle that is not in the plain form
//! is left to the client's own loader, which skips what it cannot use.

use crate::fsio::{self, FsError};
use crate::input::EndpointUrl;
use crate::text::shown::Shown;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The largest CA bundle read (a system bundle is about 220 kB).
pub const MAX_BUNDLE_SIZE: u64 = 16 << 20;

/// Where a CA bundle was named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaBundleOrigin {
    /// `AWS_CA_BUNDLE`.
    Variable,
    /// `ca_bundle` in the source profile, named here.
    Profile(String),
}

impl fmt::Display for CaBundleOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaBundleOrigin::Variable => f.write_str("AWS_CA_BUNDLE"),
            CaBundleOrigin::Profile(profile) => write!(f, "ca_bundle in [{profile}]"),
        }
    }
}

/// A CA bundle the user named: a file of PEM certificates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaBundle {
    /// The file, as given (botocore expands nothing either).
    pub path: PathBuf,
    /// Where it was named.
    pub origin: CaBundleOrigin,
}

/// Where the certificates TLS trusts come from, as the environment says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// `AWS_CA_BUNDLE`: its certificates alone are trusted; it wins over `ca_bundle` in the
    /// source profile, as in the AWS SDKs.
    pub ca_bundle: Option<PathBuf>,
    /// `SSL_CERT_FILE` or `SSL_CERT_DIR` is set: the system's store is read where they say.
    pub openssl_variables: bool,
}

/// Where the trusted certificates come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustChoice {
    /// A CA bundle the user named: its certificates alone.
    Bundle(CaBundle),
    /// The system's certificates. `openssl_variables`: `SSL_CERT_FILE` or `SSL_CERT_DIR` is
    /// set, and the HTTP client's own loader reads what they name.
    System {
        /// `SSL_CERT_FILE` or `SSL_CERT_DIR` is set.
        openssl_variables: bool,
    },
}

impl TrustChoice {
    /// `AWS_CA_BUNDLE`, else the `ca_bundle` a source profile names (`profile`: its name and
    /// the value), else the system's: the AWS SDKs' order.
    pub fn new(settings: &TlsSettings, profile: Option<(&str, &str)>) -> TrustChoice {
        let named = match (&settings.ca_bundle, profile) {
            (Some(path), _) => Some(CaBundle {
                path: path.clone(),
                origin: CaBundleOrigin::Variable,
            }),
            (None, Some((name, path))) => Some(CaBundle {
                path: path.into(),
                origin: CaBundleOrigin::Profile(name.to_owned()),
            }),
            (None, None) => None,
        };
        match named {
            Some(bundle) => TrustChoice::Bundle(bundle),
            None => TrustChoice::System {
                openssl_variables: settings.openssl_variables,
            },
        }
    }
}

/// The trusted certificates, loaded. Equal when they trust the same certificates.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum TrustRoots {
    /// PEM text, checked.
    Pem(Arc<[u8]>),
    /// Whatever the HTTP client's own loader finds (rustls-native-certs: `SSL_CERT_FILE` and
    /// `SSL_CERT_DIR`, the Windows and macOS stores, else the bundle and directories OpenSSL
    /// uses).
    #[default]
    Platform,
}

impl fmt::Debug for TrustRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustRoots::Pem(pem) => write!(f, "Pem({} bytes)", pem.len()),
            TrustRoots::Platform => f.write_str("Platform"),
        }
    }
}

/// Why a CA bundle the user named cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// No such file.
    #[error("the CA bundle {} that {} names does not exist", Shown(&bundle.path), bundle.origin)]
    Missing {
        /// The bundle.
        bundle: CaBundle,
    },
    /// It could not be read.
    #[error("the CA bundle that {} names cannot be read: {error}", bundle.origin)]
    Unreadable {
        /// The bundle.
        bundle: CaBundle,
        /// Why.
        error: FsError,
    },
    /// No certificate in it.
    #[error("the CA bundle {} that {} names holds no certificate (no -----BEGIN CERTIFICATE----- block)", Shown(&bundle.path), bundle.origin)]
    NoCertificate {
        /// The bundle.
        bundle: CaBundle,
    },
    /// A certificate in it is malformed.
    #[error("the CA bundle {} that {} names holds a certificate that cannot be used: {why}", Shown(&bundle.path), bundle.origin)]
    Unusable {
        /// The bundle.
        bundle: CaBundle,
        /// Why.
        why: String,
    },
}

impl TrustError {
    /// True when the file could not be read (rather than read and found unusable).
    pub fn is_io(&self) -> bool {
        matches!(
            self,
            TrustError::Missing { .. } | TrustError::Unreadable { .. }
        )
    }
}

/// The certificates requests to `endpoints` (AWS's own: `None`) trust: none are loaded when
/// every one is a plain `http://` endpoint.
pub fn roots_for<'a>(
    endpoints: impl IntoIterator<Item = Option<&'a EndpointUrl>>,
    choice: &TrustChoice,
) -> Result<TrustRoots, TrustError> {
    let plain_http =
        |endpoint: Option<&EndpointUrl>| endpoint.is_some_and(EndpointUrl::is_plain_http);
    if endpoints.into_iter().all(plain_http) {
        return Ok(TrustRoots::default());
    }
    load_roots(choice)
}

/// The certificates `choice` names, loaded and checked.
pub fn load_roots(choice: &TrustChoice) -> Result<TrustRoots, TrustError> {
    match choice {
        TrustChoice::Bundle(bundle) => named_bundle(bundle),
        TrustChoice::System {
            openssl_variables: false,
        } => Ok(system_bundle().unwrap_or_default()),
        TrustChoice::System { .. } => Ok(TrustRoots::Platform),
    }
}

fn named_bundle(bundle: &CaBundle) -> Result<TrustRoots, TrustError> {
    let owned = || bundle.clone();
    let bytes = match fsio::read_other(&bundle.path, MAX_BUNDLE_SIZE) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(TrustError::Missing { bundle: owned() }),
        Err(error) => {
            return Err(TrustError::Unreadable {
                bundle: owned(),
                error,
            })
        }
    };
    let unusable = |why: String| TrustError::Unusable {
        bundle: owned(),
        why,
    };
    let certificates =
        certificates(&bytes).map_err(|e| unusable(format!("it is not valid PEM ({e})")))?;
    if certificates.is_empty() {
        return Err(TrustError::NoCertificate { bundle: owned() });
    }
    if let Some((n, why)) = first_unusable(&certificates) {
        return Err(unusable(format!("certificate {n}: {why}")));
    }
    Ok(TrustRoots::Pem(bytes.into()))
}

/// The certificates of PEM text, as the HTTP client reads them (rustls-pki-types).
fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, rustls_pki_types::pem::Error> {
    CertificateDer::pem_slice_iter(pem).collect()
}

/// The first certificate (counted from 1) that is no trust anchor, and why.
fn first_unusable(certificates: &[CertificateDer<'static>]) -> Option<(usize, String)> {
    let mut store = rustls::RootCertStore::empty();
    certificates.iter().enumerate().find_map(|(i, der)| {
        let why = store.add(der.clone()).err()?;
        let why = match why {
            rustls::Error::InvalidCertificate(error) => {
                format!("it is not a valid X.509 certificate ({error:?})")
            }
            other => other.to_string(),
        };
        Some((i + 1, why))
    })
}

/// Where OpenSSL's builds keep the system's CA bundle on each Linux distribution (the list
/// rustls-native-certs probes), first match wins.
#[cfg(target_os = "linux")]
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/ssl/cert.pem",
    "/opt/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/certs/cacert.pem",
];
#[cfg(not(target_os = "linux"))]
const SYSTEM_BUNDLES: &[&str] = &[];

/// The system's bundle, when it is found and in the plain form with every certificate usable
/// (what `update-ca-certificates` and `update-ca-trust` write, corporate CAs added there
/// included); `None` leaves the system's store to the HTTP client's loader.
fn system_bundle() -> Option<TrustRoots> {
    let bytes = SYSTEM_BUNDLES.iter().find_map(|path| {
        fsio::read_other(std::path::Path::new(path), MAX_BUNDLE_SIZE)
            .ok()
            .flatten()
    })?;
    let certificates = certificates(&bytes).ok()?;
    if certificates.is_empty() || first_unusable(&certificates).is_some() {
        return None;
    }
    Some(TrustRoots::Pem(bytes.into()))
}
