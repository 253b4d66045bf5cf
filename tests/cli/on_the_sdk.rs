//! The findings of issue 21 ("on the SDK") that the stand-in shows (tests/cli/standin/): what
//! the tool's own STS and IAM layer got wrong, each pinned by a test that failed against it.
//! Where calls go (FIPS, dual-stack, partitions, a proxy named without a scheme) is in
//! `where_calls_go.rs`; a clock 20 minutes off is in `aws_rules.rs`.

use crate::support::standin::*;
use crate::support::*;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const CODE: &str = "123456";

/// STS and IAM at `aws`, in the stand-in's next code window.
fn at(aws: &StandIn, test: Test) -> Test {
    aws.next_code_window();
    test.env("AWS_ENDPOINT_URL_STS", aws.url())
        .env("AWS_ENDPOINT_URL_IAM", aws.url())
}

/// The harness's source and a managed MFA session `[mfa]` the stand-in issued.
fn with_mfa_session(aws: &StandIn) -> String {
    let session = aws.issue_session(USER, true, 3600);
    format!(
        "{}\n[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\nmfa_source_profile = default\n",
        default_source(),
        session.key_id,
        session.secret,
        session.token,
        session.expiration
    )
}

/// A listener on 127.0.0.1 that counts the connections it accepts and closes them: a proxy
/// that must never be used. Stopped (left to die with the test) on drop.
struct CountingListener {
    port: u16,
    accepted: Arc<AtomicUsize>,
}

impl CountingListener {
    fn start() -> CountingListener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&accepted);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                counted.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        CountingListener { port, accepted }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// Pins the finding "a control character in `aws_access_key_id` from the file panics (exit
/// 134) after the code was given, and `doctor` reports that source as ok": the source is
/// refused before anything is signed, and `doctor` names the key.
#[test]
fn a_control_character_in_the_access_key_id_is_refused_before_signing() {
    let aws = StandIn::start();
    let source = default_source().replace(AKID, "AKIAIOSFODNN7\u{1}EXAMPLE");
    let ran = at(&aws, Test::new().credentials(&source))
        .arg(CODE)
        .status(2)
        .stderr_has("its aws_access_key_id holds a character no request can carry")
        .run();
    ran.out.assert_stderr_lacks("panicked");
    assert!(aws.actions().is_empty(), "nothing sent");
    Test::in_env(ran.env)
        .arg("doctor")
        .status(1)
        .stdout_has("its aws_access_key_id holds a character no request can carry")
        .run();
}

/// The same for a session token: a stored MFA session whose token holds a control character is
/// not signed with (`status --keys` signs with the long-term key instead, and does not panic).
#[test]
fn a_control_character_in_a_stored_session_token_is_never_signed_with() {
    let aws = StandIn::start();
    let text = with_mfa_session(&aws);
    let token = sdk_value(&text, "mfa", "aws_session_token").unwrap();
    let text = text.replace(&token, &format!("{token}\u{1}"));
    let ran = Test::new()
        .credentials(&text)
        .args(["status", "--keys"])
        .args(aws.endpoints())
        .run();
    ran.out.assert_stderr_lacks("panicked");
    for call in aws.calls() {
        assert_eq!(call.key_id, AKID, "signed with the long-term key: {call:?}");
    }
}

/// Pins the finding "`status --keys` and `rotate` open one connection per call (a runtime per
/// call drops the pool)": over TLS, every call of `status --keys` (GetCallerIdentity,
/// ListAccessKeys, GetAccessKeyLastUsed) goes over one connection.
#[test]
fn status_keys_makes_every_call_on_one_connection() {
    let aws = StandIn::start_https();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws));
    let ca = aws.ca_file(&env, "ca.pem");
    Test::in_env(env)
        .args(["status", "--keys"])
        .args(aws.endpoints())
        .env("AWS_CA_BUNDLE", &ca)
        .stdout_has(&format!("default  {AKID}  alice"))
        .run();
    let calls = aws.calls();
    assert!(calls.len() >= 3, "{calls:?}");
    assert_eq!(aws.connections(), 1, "{calls:?}");
}

/// The same for `rotate`: the refresh for the MFA session, every IAM call, and the checks that
/// the new key works, over one connection to the one endpoint.
#[test]
fn rotate_makes_every_call_on_one_connection() {
    let aws = StandIn::start_https();
    let env = TestEnv::with_credentials(&default_source());
    let ca = aws.ca_file(&env, "ca.pem");
    at(&aws, Test::in_env(env))
        .args([
            "rotate",
            "--iam-endpoint-url",
            &aws.url(),
            "--code-command",
            "echo 123456",
            "--delete",
            "--yes",
        ])
        .env("AWS_CA_BUNDLE", &ca)
        .stderr_has("rotated [default]")
        .run();
    let actions = aws.actions();
    assert!(actions.len() >= 6, "{actions:?}");
    assert_eq!(aws.connections(), 1, "{actions:?}");
}
