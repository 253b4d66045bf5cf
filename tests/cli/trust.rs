//! STS and IAM over HTTPS, as users reach them, with the certificates they are trusted by:
//! the stand-in on `https://localhost`, its certificate signed by a CA made at run time (so no
//! system store trusts it), reached with `AWS_CA_BUNDLE`, `ca_bundle` in the source profile,
//! `SSL_CERT_FILE`, or nothing (refused); CA bundles that cannot be used, refused before the
//! code is asked; and HTTPS through a CONNECT proxy, `NO_PROXY`, and a proxy's password never
//! shown.

use crate::support::proxy::ConnectProxy;
use crate::support::*;
use std::net::TcpListener;
use std::path::PathBuf;

/// A CA bundle that does not exist, and what mfa-profile says of it.
const MISSING: &str = "/nonexistent/corporate.pem";
const NO_BUNDLE: &str =
    "the CA bundle /nonexistent/corporate.pem that AWS_CA_BUNDLE names does not exist";

/// Writes `bytes` into `env`'s home as `name`; returns the path as the binary names it.
fn write_file(env: &TestEnv, name: &str, bytes: &[u8]) -> String {
    let path: PathBuf = env.home().join(name);
    std::fs::write(&path, bytes).unwrap();
    bin_path(&path)
}

fn refresh(sts: &StandIn) -> Test {
    Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &sts.url(), "123456"])
}

#[test]
fn a_refresh_over_https_trusts_the_ca_bundle_aws_ca_bundle_names() {
    let sts = StandIn::start_https();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .stderr_has("wrote [mfa]")
        .run();
    assert!(ran.env.read_credentials_text().contains(&session_key_id(1)));
    assert_eq!(sts.calls().len(), 1);
    assert_eq!(sts.actions(), ["GetSessionToken"]);
    assert_works_as(&sts, &ran.env, "mfa", USER_ARN);
}

#[test]
fn without_the_ca_bundle_the_test_ca_is_not_trusted() {
    let sts = StandIn::start_https();
    let ran = refresh(&sts)
        .status(1)
        .stderr_has("cannot reach STS at https://localhost:")
        .stderr_has("UnknownIssuer; the endpoint's certificate is not one mfa-profile trusts")
        .stderr_has("point AWS_CA_BUNDLE")
        .run();
    assert_eq!(ran.env.read_credentials(), default_source().as_bytes());
    assert_eq!(sts.calls().len(), 0, "no request went past the handshake");
}

#[test]
fn ca_bundle_in_the_source_profile_is_trusted() {
    let sts = StandIn::start_https();
    let env = TestEnv::new();
    let ca = sts.ca_file(&env, "ca.pem");
    let ran = Test::in_env(env)
        .credentials(format!("{}ca_bundle = {ca}\n", default_source()))
        .args(["--endpoint-url", &sts.url(), "123456"])
        .stderr_has("wrote [mfa]")
        .run();
    assert!(ran.env.read_credentials_text().contains(&session_key_id(1)));
    assert_eq!(sts.calls().len(), 1);
}

#[test]
fn aws_ca_bundle_wins_over_the_profiles_ca_bundle() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 1);
}

#[test]
fn a_missing_ca_bundle_is_named_before_the_code_is_asked() {
    let sts = StandIn::start_https();
    // No code argument, no terminal: a refresh that got as far as the code would say so.
    let ran = Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &sts.url()])
        .env("AWS_CA_BUNDLE", MISSING)
        .status(1)
        .stderr_has(&format!("error: {NO_BUNDLE}"))
        .run();
    ran.out.assert_stderr_lacks("MFA code");
    assert_eq!(sts.calls().len(), 0);
}

#[test]
fn a_ca_bundle_in_the_profile_that_is_a_directory_cannot_be_read() {
    let sts = StandIn::start_https();
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
    let sts = StandIn::start_https();
    let env = TestEnv::with_credentials(&default_source());
    let junk = write_file(&env, "junk.pem", b"this is not a certificate\n");
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &junk)
        .status(2)
        .stderr_has("junk.pem that AWS_CA_BUNDLE names holds no certificate")
        .run();
    assert_eq!(ran.env.read_credentials(), default_source().as_bytes());
    assert_eq!(sts.calls().len(), 0);
}

#[test]
fn a_ca_bundle_with_a_broken_certificate_is_refused_with_its_number() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 0);
}

#[test]
fn a_ca_bundle_with_other_pem_sections_and_odd_spacing_still_works() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 1);
}

#[test]
fn ssl_cert_file_still_names_the_trusted_certificates() {
    let sts = StandIn::start_https();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "ca.pem");
    Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("SSL_CERT_FILE", &ca)
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(sts.calls().len(), 1);
}

#[test]
fn a_derived_target_trusts_the_same_ca_bundle() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 0);
}

#[test]
fn iam_commands_trust_the_ca_bundle_aws_ca_bundle_names() {
    let sts = StandIn::start_https();
    Test::new()
        .credentials(default_source())
        .args(["rotate", "--endpoint-url", &sts.url()])
        .args(["--iam-endpoint-url", &sts.url()])
        .env("AWS_CA_BUNDLE", MISSING)
        .status(1)
        .stderr_has(&format!("error: {NO_BUNDLE}"))
        .run();
    assert_eq!(sts.calls().len(), 0);
}

#[test]
fn status_keys_names_an_aws_ca_bundle_that_does_not_exist_and_asks_nothing() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 0);
}

#[test]
fn https_proxy_carries_the_request_through_a_connect_tunnel() {
    let sts = StandIn::start_https();
    let proxy = ConnectProxy::start();
    let env = TestEnv::with_credentials(&default_source());
    let ca = sts.ca_file(&env, "corporate-ca.pem");
    let ran = Test::in_env(env)
        .args(["--endpoint-url", &sts.url(), "123456"])
        .env("AWS_CA_BUNDLE", &ca)
        .env("HTTPS_PROXY", proxy.url())
        .stderr_has("wrote [mfa]")
        .run();
    assert!(ran.env.read_credentials_text().contains(&session_key_id(1)));
    assert_eq!(sts.calls().len(), 1);
    assert_eq!(
        proxy.requests(),
        vec![format!("CONNECT localhost:{} HTTP/1.1", sts.port())]
    );
}

#[test]
fn no_proxy_sends_the_request_straight_to_sts() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 1);
    assert_eq!(proxy.requests(), Vec::<String>::new());
}

#[test]
fn a_proxy_that_cannot_be_reached_is_named() {
    let sts = StandIn::start_https();
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
    assert_eq!(sts.calls().len(), 0);
}

/// Also stands for on_the_sdk's `a_proxy_password_with_url_delimiters_is_not_shown` (merged
/// here: issue 21 found a password holding `/`, `?` or `#` printed in the error).
#[test]
fn a_proxys_password_is_not_shown() {
    let sts = StandIn::start_https();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    for password in ["s3cret", "s3/cret", "s3?cret", "s3#cret"] {
        let env = TestEnv::with_credentials(&default_source());
        let ca = sts.ca_file(&env, "corporate-ca.pem");
        let ran = Test::in_env(env)
            .args(["--endpoint-url", &sts.url(), "123456"])
            .env("AWS_CA_BUNDLE", &ca)
            .env(
                "HTTPS_PROXY",
                format!("http://alice:{password}@127.0.0.1:{port}"),
            )
            .status(1)
            .stderr_has(&format!(
                "the proxy http://alice:***@127.0.0.1:{port} that HTTPS_PROXY names"
            ))
            .run();
        ran.out.assert_silent_about(password);
    }
    assert!(sts.actions().is_empty());
}

#[test]
fn iam_calls_say_how_to_trust_an_endpoint_whose_certificate_is_refused() {
    let sts = StandIn::start_https();
    Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", "2099-01-01T00:00:00Z")
        ))
        .args(["status", "--keys", "--endpoint-url", &sts.url(), "--iam-endpoint-url", &sts.url()])
        .stderr_has("the endpoint's certificate is not one mfa-profile trusts: behind a proxy or firewall that inspects TLS, point AWS_CA_BUNDLE at a file with its CA's certificate")
        .run();
    assert_eq!(sts.calls().len(), 0);
}
