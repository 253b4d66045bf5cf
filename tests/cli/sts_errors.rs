//! STS failures from an in-test HTTP mock that answers with real STS error XML: each becomes
//! one clear sentence, the documented exit code, and an untouched file.

use crate::support::*;
use std::time::{Duration, Instant};
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn error_xml(kind: &str, code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  <RequestId>4c8a1a6b-EXAMPLE</RequestId>\n</ErrorResponse>\n"
    )
}

fn xml(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "text/xml")
        .set_body_string(body)
}

struct Outcome {
    run: Run,
    unchanged: bool,
    requests: usize,
    elapsed: Duration,
}

async fn refresh_against(response: ResponseTemplate) -> Outcome {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetSessionToken"))
        .respond_with(response)
        .mount(&server)
        .await;
    let original = format!(
        "# keep\n{}\n[mfa]\naws_session_token = old\nmfa_source_profile = default\n",
        default_source()
    );
    let env = TestEnv::with_credentials(&original);
    let uri = server.uri();
    let started = Instant::now();
    let run = tokio::task::spawn_blocking(move || {
        let out = run(env.mfa().args(["123456", "--endpoint-url", &uri]));
        (out, env.read_credentials() == original.as_bytes())
    })
    .await
    .unwrap();
    let requests = server.received_requests().await.unwrap_or_default().len();
    Outcome {
        run: run.0,
        unchanged: run.1,
        requests,
        elapsed: started.elapsed(),
    }
}

fn assert_failure(outcome: &Outcome, code: i32, message: &str) {
    let err = &outcome.run.stderr;
    assert_eq!(outcome.run.code, code, "exit code; stderr: {err}");
    assert!(err.contains(message), "stderr lacks {message:?}: {err}");
    assert!(outcome.unchanged, "the file changed");
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("mfa-profile: error:"))
            .count(),
        1,
        "{err}"
    );
    assert!(!err.contains(SECRET), "the secret key leaked: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_code_has_its_own_exit_code() {
    let o = refresh_against(xml(
        403,
        error_xml(
            "Sender",
            "AccessDenied",
            "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
        ),
    ))
    .await;
    assert_failure(&o, 3, "STS rejected the MFA code");
    assert!(o.run.stderr.contains("wait for the next code"));
    assert_eq!(o.requests, 1, "a rejected code is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_serial() {
    let o = refresh_against(xml(403, error_xml("Sender", "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user."))).await;
    assert_failure(
        &o,
        1,
        &format!("could not check the code against MFA device {SERIAL}"),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_access_key() {
    let o = refresh_against(xml(
        403,
        error_xml(
            "Sender",
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ),
    ))
    .await;
    assert_failure(
        &o,
        1,
        "does not know the source profile's access key (InvalidClientTokenId)",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_does_not_match() {
    let o = refresh_against(xml(
        403,
        error_xml(
            "Sender",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        ),
    ))
    .await;
    assert_failure(&o, 1, "SignatureDoesNotMatch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token() {
    let o = refresh_against(xml(
        400,
        error_xml(
            "Sender",
            "ExpiredToken",
            "The security token included in the request is expired",
        ),
    ))
    .await;
    assert_failure(&o, 1, "has expired (ExpiredToken)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_disabled() {
    let o = refresh_against(xml(
        403,
        error_xml(
            "Sender",
            "RegionDisabledException",
            "STS is not activated in this region for account:123456789012.",
        ),
    ))
    .await;
    assert_failure(&o, 1, "STS is not activated in region us-east-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_then_reported() {
    let o = refresh_against(xml(400, error_xml("Sender", "Throttling", "Rate exceeded"))).await;
    assert_failure(&o, 1, "STS is throttling requests");
    assert_eq!(o.requests, 3, "three attempts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_not_retried_with_the_same_code_and_says_the_code_may_be_spent() {
    let o = refresh_against(xml(
        500,
        error_xml("Receiver", "InternalFailure", "An internal error occurred."),
    ))
    .await;
    assert_failure(
        &o,
        1,
        "STS error InternalFailure: An internal error occurred.; STS may have used the code, so wait for the next code",
    );
    assert_eq!(
        o.requests, 1,
        "a code STS may have used is never sent again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_page_is_explained_with_its_http_status() {
    let page = ResponseTemplate::new(502)
        .insert_header("content-type", "text/html")
        .set_body_string("<html><body><h1>502 Bad Gateway</h1></body></html>");
    let o = refresh_against(page).await;
    assert_failure(&o, 1, "answered HTTP 502 Bad Gateway with no STS error in the answer: likely a proxy or gateway between you and STS");
    assert_eq!(o.requests, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_xml() {
    let o = refresh_against(xml(
        200,
        "<GetSessionTokenResponse><GetSessionTokenResult><Credentials>".into(),
    ))
    .await;
    assert_failure(&o, 1, "not a valid GetSessionToken answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_that_never_answers_is_bounded() {
    let o = refresh_against(xml(200, String::new()).set_delay(Duration::from_secs(120))).await;
    assert_failure(&o, 1, "no answer from STS at http://127.0.0.1:");
    assert_failure(&o, 1, "wait for the next code");
    assert_eq!(
        o.requests, 1,
        "a request STS may have seen is not sent again"
    );
    assert!(o.elapsed < Duration::from_secs(20), "took {:?}", o.elapsed);
}

#[test]
fn connection_refused() {
    let port = free_port(); // bound then released: nothing listens there
    let env = TestEnv::with_credentials(&default_source());
    let out = run(env.mfa().args([
        "123456",
        "--endpoint-url",
        &format!("http://127.0.0.1:{port}"),
    ]));
    assert_eq!(out.code, 1);
    out.assert_stderr_has(&format!("cannot reach STS at http://127.0.0.1:{port}"))
        .assert_stderr_has("refused");
    assert_eq!(env.read_credentials(), default_source().as_bytes());
}

/// AssumeRole against the mock: the request's role fields, and STS's two role refusals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_refusals_are_explained() {
    let role = "arn:aws:iam::123456789012:role/admin";
    for (status, code, message, expected) in [
        (
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            format!("longer than role {role} allows (its MaxSessionDuration)"),
        ),
        (
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin",
            format!("STS refused to let the source profile's user assume {role}"),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(body_string_contains("Action=AssumeRole"))
            .and(body_string_contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin"))
            .and(body_string_contains("SerialNumber="))
            .and(body_string_contains("TokenCode=123456"))
            .and(body_string_contains("DurationSeconds=43200"))
            .respond_with(xml(status, error_xml("Sender", code, message)))
            .mount(&server)
            .await;
        let env = TestEnv::with_credentials(&default_source());
        let uri = server.uri();
        let out = tokio::task::spawn_blocking(move || {
            let out = run(env.mfa().args([
                "-s", "default", "-t", "admin", "--role-arn", role, "-d", "12h", "123456",
                "--endpoint-url", &uri,
            ]));
            (out, env.read_credentials() == default_source().as_bytes())
        })
        .await
        .unwrap();
        out.0.assert_code(1).assert_stderr_has(&expected);
        assert!(out.1, "the file changed");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{code} is not retried");
    }
}
