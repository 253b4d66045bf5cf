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
