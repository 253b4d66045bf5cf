//! The yardstick of `scripts/bench.sh`: the least a refresh does on the AWS SDK, written
//! plainly. It reads the long-term keys from a credentials file, calls GetSessionToken with
//! `aws-sdk-sts` on the same connector mfa-profile uses (`aws-smithy-http-client`'s rustls with
//! ring, the key exchange offering X25519 first, trusting the certificates of one PEM file),
//! and writes the session into the file atomically (temporary file, fsync, rename, fsync of the
//! directory). No checks, no editor, no retries: a floor to measure mfa-profile against, not a
//! tool. Not shipped.
//!
//! Usage: minimal_refresh HOST PORT CA_PEM_FILE CREDENTIALS_FILE
//! (`MINIMAL_RUSTLS_ORDER=1`: rustls's own key-exchange order instead, P-384 first since rustls
//! 0.23.48, to show what one P-384 key share costs.)

use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_http_client::Connector;
use aws_smithy_runtime_api::client::http::{http_client_fn, SharedHttpConnector};
use std::io::Write;

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [host, port, ca, file] = args.as_slice() else {
        eprintln!("usage: minimal_refresh HOST PORT CA_PEM_FILE CREDENTIALS_FILE");
        std::process::exit(2);
    };
    let credentials = std::fs::read_to_string(file).expect("credentials file");
    let value = |key: &str| {
        credentials
            .lines()
            .find_map(|line| line.strip_prefix(key)?.trim_start().strip_prefix('='))
            .map(str::trim)
            .expect("a key")
    };
    let keys = Credentials::new(
        value("aws_access_key_id"),
        value("aws_secret_access_key"),
        None,
        None,
        "minimal",
    );
    let pem = std::fs::read(ca).expect("CA file");
    let context = TlsContext::builder()
        .with_trust_store(TrustStore::empty().with_pem_certificate(pem))
        .build()
        .expect("a TLS context");
    // Built once, as mfa-profile builds it (the SDK's `build_https` would set TLS up twice).
    let connector = SharedHttpConnector::new(
        Connector::builder()
            .tls_provider(tls::Provider::Rustls(crypto_mode()))
            .tls_context(context)
            .build(),
    );
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("https://{host}:{port}"))
        .credentials_provider(keys)
        .http_client(http_client_fn(move |_, _| connector.clone()))
        .build();
    let client = aws_sdk_sts::Client::from_conf(config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let answer = runtime
        .block_on(
            client
                .get_session_token()
                .serial_number(SERIAL)
                .token_code("123456")
                .duration_seconds(43_200)
                .send(),
        )
        .expect("a session");
    let session = answer.credentials.expect("credentials");
    let section = format!(
        "\n[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\n",
        session.access_key_id,
        session.secret_access_key,
        session.session_token,
        session.expiration
    );
    let end = credentials.find("\n[mfa]").unwrap_or(credentials.len());
    write_atomically(file, &[&credentials.as_bytes()[..end], section.as_bytes()]);
}

/// mfa-profile's CryptoProvider (X25519 first) where the connector takes one.
#[cfg(aws_sdk_unstable)]
fn crypto_mode() -> CryptoMode {
    if std::env::var_os("MINIMAL_RUSTLS_ORDER").is_some() {
        return CryptoMode::Ring;
    }
    CryptoMode::Custom(mfa_profile::crypto_provider())
}

#[cfg(not(aws_sdk_unstable))]
fn crypto_mode() -> CryptoMode {
    CryptoMode::Ring
}

/// Temporary file beside `path`, the parts written, fsync, rename over `path`, fsync of the
/// directory.
fn write_atomically(path: &str, parts: &[&[u8]]) {
    let path = std::path::Path::new(path);
    let dir = path.parent().expect("a directory");
    let temp = dir.join(format!(".minimal-refresh-{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temp).expect("temporary file");
    for part in parts {
        file.write_all(part).expect("write");
    }
    file.sync_all().expect("fsync");
    std::fs::rename(&temp, path).expect("rename");
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .expect("fsync of the directory");
}
