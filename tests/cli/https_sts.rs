//! STS over HTTPS, as users reach it, with the certificates it is trusted by: a local TLS
//! server whose certificate is signed by a CA made at run time (so no system store trusts
//! it), reached with `AWS_CA_BUNDLE`, `ca_bundle` in the source profile, `SSL_CERT_FILE`, or
//! nothing (refused); and CA bundles that cannot be used, refused before the code is asked.

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// A CA made for one test, and a server certificate for `localhost` and 127.0.0.1 it signed.
struct TestCa {
    ca_pem: String,
    server_chain: Vec<rustls_pki_types::CertificateDer<'static>>,
    server_key: rustls_pki_types::PrivateKeyDer<'static>,
}

impl TestCa {
    fn new() -> TestCa {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "mfa-profile test CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let server_key = KeyPair::generate().unwrap();
        let server_params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let server = server_params.signed_by(&server_key, &issuer).unwrap();
        TestCa {
            ca_pem: ca.pem(),
            server_chain: vec![server.der().clone()],
            server_key: rustls_pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
        }
    }
}

/// An STS on https://localhost:PORT answering every request with a GetSessionToken session
/// (fixed keys, expiring 2099-01-01). Stopped on drop.
struct HttpsSts {
    ca: TestCa,
    port: u16,
    answered: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HttpsSts {
    fn start() -> HttpsSts {
        let ca = TestCa::new();
        // Deprecated in rustls 0.23.48 (no post-quantum key exchange): a test server needs none.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(ca.server_chain.clone(), ca.server_key.clone_key())
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let answered = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (answered, stop) = (Arc::clone(&answered), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    if answer(stream, Arc::clone(&config)).is_ok() {
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        };
        HttpsSts {
            ca,
            port,
            answered,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// Requests answered (a client that refused the certificate sent none).
    fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }

    /// Writes the CA's certificate into `env`'s home; returns its path as the binary names it.
    fn ca_file(&self, env: &TestEnv, name: &str) -> String {
        write_file(env, name, self.ca_pem().as_bytes())
    }

    fn ca_pem(&self) -> &str {
        &self.ca.ca_pem
    }
}

impl Drop for HttpsSts {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One TLS connection: one request read, one canned answer written.
fn answer(stream: TcpStream, config: Arc<rustls::ServerConfig>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let connection = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = BufReader::new(rustls::StreamOwned::new(connection, stream));
    let mut length = 0;
    loop {
        let mut line = String::new();
        if tls.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    tls.read_exact(&mut body)?;
    let xml = format!(
        "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetSessionTokenResult><Credentials>\
<SessionToken>{CANNED_TOKEN}</SessionToken><SecretAccessKey>{CANNED_SECRET}</SecretAccessKey>\
<Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>{CANNED_KEY}</AccessKeyId>\
</Credentials></GetSessionTokenResult></GetSessionTokenResponse>"
    );
    let stream = tls.get_mut();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
        xml.len()
    )?;
    stream.flush()?;
    stream.conn.send_close_notify();
    stream.flush()
}

/// Writes `bytes` into `env`'s home as `name`; returns the path as the binary names it.
/// A CA bundle that does not exist, and what mfa-profile says of it.
const MISSING: &str = "/nonexistent/corporate.pem";
const NO_BUNDLE: &str =
    "the CA bundle /nonexistent/corporate.pem that AWS_CA_BUNDLE names does not exist";

fn write_file(env: &TestEnv, name: &str, bytes: &[u8]) -> String {
    let path: PathBuf = env.home().join(name);
    std::fs::write(&path, bytes).unwrap();
    bin_path(&path)
}

fn refresh(sts: &HttpsSts) -> Test {
    Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &sts.url(), "123456"])
}

#[test]
fn a_refresh_over_https_trusts_the_ca_bundle_aws_ca_bundle_names() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .stderr_has("wrote [mfa]")
        .run();
    assert!(ran.env.read_credentials_text().contains(CANNED_KEY));
    assert_eq!(sts.answered(), 1);
}

#[test]
fn without_the_ca_bundle_the_test_ca_is_not_trusted() {
    let sts = HttpsSts::start();
    let ran = refresh(&sts)
        .status(1)
        .stderr_has("cannot reach STS at https://localhost:")
        .stderr_has("UnknownIssuer; the endpoint's certificate is not one mfa-profile trusts")
        .stderr_has("point AWS_CA_BUNDLE")
        .run();
    assert_eq!(ran.env.read_credentials(), default_source().as_bytes());
    assert_eq!(sts.answered(), 0, "no request went past the handshake");
}

#[test]
fn ca_bundle_in_the_source_profile_is_trusted() {
    let sts = HttpsSts::start();
    let env = TestEnv::new();
    let ca = sts.ca_file(&env, "ca.pem");
    let ran = Test::in_env(env)
        .credentials(format!("{}ca_bundle = {ca}\n", default_source()))
        .args(["--endpoint-url", &sts.url(), "123456"])
        .stderr_has("wrote [mfa]")
        .run();
    assert!(ran.env.read_credentials_text().contains(CANNED_KEY));
    assert_eq!(sts.answered(), 1);
}

#[test]
fn aws_ca_bundle_wins_over_the_profiles_ca_bundle() {
    let sts = HttpsSts::start();
    let env = TestEnv::new();
    let ca = sts.ca_file(&env, "ca.pem");
    let missing = bin_path(&env.home().join("missing.pem"));
    Test::in_env(env)
        .credentials(format!("{}ca_bundle = {missing}\n", default_source()))
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .stderr_has("wrote [mfa]")
        .run();
    let env = TestEnv::new();
    let ca = sts.ca_file(&env, "ca.pem");
    let missing = bin_path(&env.home().join("missing.pem"));
    Test::in_env(env)
        .credentials(format!("{}ca_bundle = {ca}\n", default_source()))
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &missing)
        .status(1)
        .stderr_has("that AWS_CA_BUNDLE names does not exist")
        .run();
    assert_eq!(sts.answered(), 1);
}

#[test]
fn a_missing_ca_bundle_is_named_before_the_code_is_asked() {
    let sts = HttpsSts::start();
    // No code argument, no terminal: a refresh that got as far as the code would say so.
    let ran = Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &sts.url()])
        .env("AWS_CA_BUNDLE", MISSING)
        .status(1)
        .stderr_has(&format!("error: {NO_BUNDLE}"))
        .run();
    ran.out.assert_stderr_lacks("MFA code");
    assert_eq!(sts.answered(), 0);
}

#[test]
fn a_ca_bundle_in_the_profile_that_is_a_directory_cannot_be_read() {
    let sts = HttpsSts::start();
    let env = TestEnv::new();
    let dir = bin_path(env.home());
    Test::in_env(env)
        .credentials(format!("{}ca_bundle = {dir}\n", default_source()))
        .args(["--endpoint-url", &sts.url(), "123456"])
        .status(1)
        .stderr_has("the CA bundle that ca_bundle in [default] names cannot be read")
        .stderr_has("is a directory")
        .run();
}

#[test]
fn a_ca_bundle_without_a_certificate_is_refused() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let junk = write_file(&env, "junk.pem", b"this is not a certificate\n");
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &junk)
        .status(2)
        .stderr_has("junk.pem that AWS_CA_BUNDLE names holds no certificate")
        .run();
    assert_eq!(ran.env.read_credentials(), default_source().as_bytes());
    assert_eq!(sts.answered(), 0);
}

#[test]
fn a_ca_bundle_with_a_broken_certificate_is_refused_with_its_number() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let broken = format!(
        "{}-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        sts.ca_pem()
    );
    let file = write_file(&env, "broken.pem", broken.as_bytes());
    Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &file)
        .status(2)
        .stderr_has("broken.pem that AWS_CA_BUNDLE names holds a certificate that cannot be used: certificate 2: it is not a valid X.509 certificate (BadEncoding)")
        .run();
    assert_eq!(sts.answered(), 0);
}

#[test]
fn a_ca_bundle_with_other_pem_sections_and_odd_spacing_still_works() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    // Not the plain form the fast reader takes: the exact parser reads it.
    let odd = format!(
        "-----BEGIN EXAMPLE PARAMETERS-----\nAAAA\n-----END EXAMPLE PARAMETERS-----\n{}",
        sts.ca_pem().replace(
            "-----BEGIN CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----  "
        )
    );
    let file = write_file(&env, "odd.pem", odd.as_bytes());
    Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &file)
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(sts.answered(), 1);
}

#[test]
fn ssl_cert_file_still_names_the_trusted_certificates() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "ca.pem");
    Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("SSL_CERT_FILE", &ca)
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(sts.answered(), 1);
}

#[test]
fn a_derived_target_trusts_the_same_ca_bundle() {
    let sts = HttpsSts::start();
    // The base is valid, so no code is needed: the bundle is what stops the AssumeRole.
    Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", "2099-01-01T00:00:00Z")
        ))
        .args([
            "-t",
            "admin",
            "--role-arn",
            "arn:aws:iam::123456789012:role/admin",
        ])
        .args(["--via", "mfa", "--endpoint-url", &sts.url()])
        .env("AWS_CA_BUNDLE", MISSING)
        .status(1)
        .stderr_has(&format!("error: {NO_BUNDLE}"))
        .run();
    assert_eq!(sts.answered(), 0);
}

#[test]
fn iam_commands_trust_the_ca_bundle_aws_ca_bundle_names() {
    let sts = HttpsSts::start();
    Test::new()
        .credentials(default_source())
        .args(["rotate", "--endpoint-url", &sts.url()])
        .args(["--iam-endpoint-url", &sts.url()])
        .env("AWS_CA_BUNDLE", MISSING)
        .status(1)
        .stderr_has(&format!("error: {NO_BUNDLE}"))
        .run();
    assert_eq!(sts.answered(), 0);
}

#[test]
fn status_keys_names_an_aws_ca_bundle_that_does_not_exist_and_asks_nothing() {
    let sts = HttpsSts::start();
    Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", "2099-01-01T00:00:00Z")
        ))
        .args(["status", "--keys", "--endpoint-url", &sts.url()])
        .args(["--iam-endpoint-url", &sts.url()])
        .env("AWS_CA_BUNDLE", MISSING)
        .stderr_has(&format!("warning: [default]: {NO_BUNDLE}"))
        .stdout_has("unknown")
        .run();
    assert_eq!(sts.answered(), 0);
}

/// A CONNECT proxy on 127.0.0.1: each connection is tunnelled to the host and port its
/// `CONNECT` names, whose request line it keeps. Stopped on drop.
struct ConnectProxy {
    port: u16,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ConnectProxy {
    fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let requests = Arc::clone(&requests);
                    std::thread::spawn(move || {
                        let _ = tunnel(stream, &requests);
                    });
                }
            })
        };
        ConnectProxy {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The request lines the proxy was sent, in order.
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One proxied connection: the CONNECT read, the tunnel opened, bytes copied both ways.
fn tunnel(client: TcpStream, requests: &std::sync::Mutex<Vec<String>>) -> std::io::Result<()> {
    client.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
    }
    requests.lock().unwrap().push(request.trim_end().to_owned());
    let target = request
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let upstream = TcpStream::connect(target.as_str())?;
    (&client).write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    let (mut from_upstream, mut to_client) = (upstream.try_clone()?, client.try_clone()?);
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_upstream, &mut to_client);
        let _ = to_client.shutdown(std::net::Shutdown::Write);
    });
    let (mut from_client, mut to_upstream) = (client, upstream);
    let _ = std::io::copy(&mut from_client, &mut to_upstream);
    let _ = to_upstream.shutdown(std::net::Shutdown::Write);
    let _ = back.join();
    Ok(())
}

#[test]
fn https_proxy_carries_the_request_through_a_connect_tunnel() {
    let sts = HttpsSts::start();
    let proxy = ConnectProxy::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .env("HTTPS_PROXY", proxy.url())
        .stderr_has("wrote [mfa]")
        .run();
    assert!(ran.env.read_credentials_text().contains(CANNED_KEY));
    assert_eq!(sts.answered(), 1);
    assert_eq!(
        proxy.requests(),
        vec![format!("CONNECT localhost:{} HTTP/1.1", sts.port)]
    );
}

#[test]
fn no_proxy_sends_the_request_straight_to_sts() {
    let sts = HttpsSts::start();
    let proxy = ConnectProxy::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .env("https_proxy", proxy.url())
        .env("NO_PROXY", "example.com,localhost")
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(sts.answered(), 1);
    assert_eq!(proxy.requests(), Vec::<String>::new());
}

#[test]
fn a_proxy_that_cannot_be_reached_is_named() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .env("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))
        .status(1)
        .stderr_has("cannot reach STS at")
        .stderr_has(&format!(
            "(the request goes through the proxy http://127.0.0.1:{port} that HTTPS_PROXY names)"
        ))
        .run();
    assert_eq!(sts.answered(), 0);
}

#[test]
fn a_proxys_password_is_not_shown() {
    let sts = HttpsSts::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .env(
            "HTTPS_PROXY",
            format!("http://alice:s3cret@127.0.0.1:{port}"),
        )
        .status(1)
        .stderr_has(&format!(
            "the proxy http://alice:***@127.0.0.1:{port} that HTTPS_PROXY names"
        ))
        .run();
    ran.out.assert_silent_about("s3cret");
}

#[test]
fn iam_calls_say_how_to_trust_an_endpoint_whose_certificate_is_refused() {
    let sts = HttpsSts::start();
    Test::new()
        .credentials(crate::rotate::credentials())
        .args(["status", "--keys", "--endpoint-url", &sts.url(), "--iam-endpoint-url", &sts.url()])
        .stderr_has("the endpoint's certificate is not one mfa-profile trusts: behind a proxy or firewall that inspects TLS, point AWS_CA_BUNDLE at a file with its CA's certificate")
        .run();
    assert_eq!(sts.answered(), 0);
}
