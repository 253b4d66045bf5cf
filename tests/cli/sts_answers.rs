//! What a fake STS (wiremock) answers is checked before anything is written: hostile
//! characters, oversized tokens and oversized responses are refused with one sentence, exit
//! 1, and the file untouched.

use crate::support::*;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn answer(access_key_id: &str, secret: &str, token: &str) -> String {
    format!(
        "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetSessionTokenResult><Credentials>\
<SessionToken>{token}</SessionToken><SecretAccessKey>{secret}</SecretAccessKey>\
<Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>{access_key_id}</AccessKeyId>\
</Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>58c5dbae-EXAMPLE</RequestId></ResponseMetadata></GetSessionTokenResponse>"
    )
}

struct Refreshed {
    run: Run,
    env: TestEnv,
    requests: usize,
    elapsed: Duration,
}

async fn refresh_against(body: String) -> Refreshed {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    let started = Instant::now();
    let (run, env) = tokio::task::spawn_blocking(move || {
        let env = TestEnv::with_credentials(&default_source());
        (run(env.mfa().args(["123456", "--endpoint-url", &uri])), env)
    })
    .await
    .unwrap();
    Refreshed {
        run,
        env,
        requests: server.received_requests().await.unwrap_or_default().len(),
        elapsed: started.elapsed(),
    }
}

fn assert_refused(done: &Refreshed, why: &str) {
    let err = &done.run.stderr;
    assert_eq!(done.run.code, 1, "{err}");
    assert!(
        err.contains("sent a response that is not a valid GetSessionToken answer"),
        "{err}"
    );
    assert!(err.contains(why), "stderr lacks {why:?}: {err}");
    assert_eq!(
        done.env.read_credentials(),
        default_source().as_bytes(),
        "the file changed"
    );
    assert!(err.len() < 2000, "the message repeats the answer: {err}");
}

/// The access key id that made `set -a; . ./.env` run `id` in bash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_key_id_that_runs_code_when_sourced_is_refused() {
    let done = refresh_against(answer(
        "ASIAX;{id,-un}&gt;x",
        "wJalrXUtnFEMI/K7MDENG",
        "FwoGZXIvYXdzEXAMPLE",
    ))
    .await;
    assert_refused(&done, "its access key id is not 16 to 128 of A-Z 0-9");
    assert!(!done.run.stderr.contains("{id,-un}"), "{}", done.run.stderr);
    let export = run(done.env.mfa().args(["export", "--format", "dotenv"]));
    assert_eq!(export.stdout, "", "nothing to source");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_with_shell_characters_is_refused() {
    let done = refresh_against(answer(
        "ASIAIOSFODNN7EXAMPLE",
        "abc$(touch pwned)",
        "FwoGZXIvYXdzEXAMPLE",
    ))
    .await;
    assert_refused(
        &done,
        "its secret access key holds characters other than A-Z a-z 0-9 + / =",
    );
}

/// 40 KiB is past the 32 KiB cap on tokens, yet well inside the 1 MiB response bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_token_over_32_kib_is_refused() {
    let done = refresh_against(answer(
        "ASIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG",
        &"A".repeat(40 * 1024),
    ))
    .await;
    assert_refused(
        &done,
        "its session token is 40960 bytes long, more than the 32768 accepted",
    );
}

/// A 2 MiB token was once written, and every later command then failed on "line longer than
/// 1048576 bytes"; a 20 MB answer is not even read past its first MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mb_answer_is_refused_at_1_mib_without_a_retry() {
    let done = refresh_against(answer(
        "ASIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG",
        &"A".repeat(20 << 20),
    ))
    .await;
    assert_refused(&done, "it is larger than 1 MiB, which no STS answer is");
    assert_eq!(
        done.requests, 1,
        "a too-large answer is not asked for again"
    );
    assert!(done.elapsed < Duration::from_secs(5), "{:?}", done.elapsed);
}

/// An STS error message is shown to the user: control characters in it arrive escaped. XML
/// forbids ESC itself, but allows the 8-bit C1 controls, which many terminals obey as well
/// (U+009B is CSI, U+009D OSC: here a screen clear and a title change).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sts_error_message_with_control_characters_is_shown_escaped() {
    let server = MockServer::start().await;
    let body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
<Code>Weird\u{9b}2J</Code><Message>no\u{9d}0;owned\u{9c} entry</Message></Error>\
<RequestId>4c8a1a6b-EXAMPLE</RequestId></ErrorResponse>";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("content-type", "text/xml")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        let env = TestEnv::with_credentials(&default_source());
        run(env.mfa().args(["123456", "--endpoint-url", &uri]))
    })
    .await
    .unwrap();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("STS error Weird\\u{9b}2J: no\\u{9d}0;owned\\u{9c} entry"),
        "{:?}",
        out.stderr
    );
    for c1 in ['\u{9b}', '\u{9c}', '\u{9d}'] {
        assert!(!out.stderr.contains(c1), "{:?}", out.stderr);
    }
}
