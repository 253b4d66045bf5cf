//! One signed POST of a Query form and its answer: signed afresh, sent through the connector
//! given, bounded in time and in size.
//!
//! Invariant: the request is signed for the moment it is sent; no more than
//! [`MAX_RESPONSE_BYTES`] of an answer is read, whatever it announces; every failure says
//! whether the request can have reached the service ([`PostError::NotSent`] when it cannot).

use super::sigv4::{self, Scope};
use aws_smithy_runtime_api::client::http::{HttpConnector, SharedHttpConnector};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use http_body_util::{BodyExt, Limited};
use std::time::{Duration, SystemTime};

/// The largest answer read: a GetSessionToken answer is about 1 KiB, an error 300 bytes.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// The `User-Agent` AWS (and CloudTrail) sees.
const USER_AGENT: &str = concat!("mfa-profile/", env!("CARGO_PKG_VERSION"));

/// The keys a request is signed with.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// The session token, for a session's keys.
    pub session_token: Option<&'a str>,
}

/// One call: what is sent where, signed how, waited for how long.
#[derive(Clone, Copy)]
pub struct Call<'a> {
    /// `sts`, `iam`.
    pub service: &'a str,
    /// The region the signature is for.
    pub region: &'a str,
    /// Where it goes.
    pub target: &'a Target,
    /// The form.
    pub form: &'a str,
    /// Who signs it.
    pub keys: Keys<'a>,
    /// How long the answer may take, connection included.
    pub timeout: Duration,
    /// The proxy the request goes through, in words for a message that it could not be sent
    /// (`None`: straight to the endpoint).
    pub via: Option<&'a str>,
}

/// Where a request goes: an endpoint's URL without query or fragment, its authority (the
/// `Host` header) and its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    url: String,
    host: String,
}

impl Target {
    /// The target of an `http://` or `https://` URL; `None` for anything else.
    pub fn of(endpoint: &str) -> Option<Target> {
        let (scheme, rest) = endpoint.split_once("://")?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        (!host.is_empty()).then(|| Target {
            url: format!("{scheme}://{host}{path}"),
            host: host.to_owned(),
        })
    }

    /// The URL the request is sent to.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn path(&self) -> &str {
        let after_scheme = self.url.split_once("://").map_or("", |(_, rest)| rest);
        &after_scheme[self.host.len()..]
    }
}

/// An answer: its HTTP status and its body.
pub struct Answer {
    /// `200`.
    pub status: u16,
    /// The body, at most [`MAX_RESPONSE_BYTES`].
    pub body: Vec<u8>,
}

/// Why a POST got no answer to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostError {
    /// No connection was made (refused, no route, no such host, connect timeout): the service
    /// cannot have seen the request.
    NotSent(String),
    /// No whole answer within the call's timeout.
    Timeout,
    /// The endpoint's certificate was refused (rustls's words).
    Untrusted(String),
    /// The connection failed after it was made.
    Failed(String),
    /// The answer is larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
    /// The answer's body could not be read to its end.
    BadBody(String),
}

impl std::fmt::Display for PostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PostError::NotSent(why)
            | PostError::Untrusted(why)
            | PostError::Failed(why)
            | PostError::BadBody(why) => f.write_str(why),
            PostError::Timeout => f.write_str("no answer in time"),
            PostError::TooLarge => write!(
                f,
                "it is larger than {} MiB, which no STS answer is",
                MAX_RESPONSE_BYTES >> 20
            ),
        }
    }
}

impl Answer {
    /// Whether the status is a 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends `call`, signed now, through `connector`.
pub async fn post(connector: &SharedHttpConnector, call: &Call<'_>) -> Result<Answer, PostError> {
    let request = signed(call, epoch_now()).map_err(PostError::NotSent)?;
    let outcome = tokio::time::timeout(call.timeout, exchange(connector, request))
        .await
        .unwrap_or(Err(PostError::Timeout));
    outcome.map_err(|error| match (error, call.via) {
        (PostError::NotSent(why), Some(via)) => PostError::NotSent(format!("{why} ({via})")),
        (PostError::Failed(why), Some(via)) => PostError::Failed(format!("{why} ({via})")),
        (error, _) => error,
    })
}

async fn exchange(
    connector: &SharedHttpConnector,
    request: HttpRequest,
) -> Result<Answer, PostError> {
    let answer = connector.call(request).await.map_err(|e| refused(&e))?;
    let status = answer.status().as_u16();
    let announced = answer
        .headers()
        .get("content-length")
        .and_then(|length| length.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
        return Err(PostError::TooLarge);
    }
    let body = match Limited::new(answer.into_body(), MAX_RESPONSE_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            return Err(PostError::TooLarge)
        }
        Err(error) => return Err(PostError::BadBody(root_cause(Some(&*error)))),
    };
    Ok(Answer { status, body })
}

/// What a connector's error says about the request.
fn refused(error: &ConnectorError) -> PostError {
    let cause: &(dyn std::error::Error + 'static) = error;
    let why = root_cause(Some(cause));
    if never_connected(Some(cause)) {
        PostError::NotSent(why)
    } else if error.is_timeout() {
        PostError::Timeout
    } else if why.starts_with("invalid peer certificate") {
        PostError::Untrusted(why)
    } else {
        PostError::Failed(why)
    }
}

fn epoch_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// The POST of `call`, signed as at `now` (seconds since the epoch).
pub(crate) fn signed(call: &Call<'_>, now: i64) -> Result<HttpRequest, String> {
    let amz_date = sigv4::amz_date(now);
    let target = call.target;
    let mut headers = vec![
        ("content-type", "application/x-www-form-urlencoded"),
        ("host", target.host.as_str()),
        ("x-amz-date", amz_date.as_str()),
    ];
    if let Some(token) = call.keys.session_token {
        headers.push(("x-amz-security-token", token));
    }
    let scope = Scope {
        access_key_id: call.keys.access_key_id,
        secret_access_key: call.keys.secret_access_key,
        region: call.region,
        service: call.service,
        amz_date: &amz_date,
    };
    let authorization = sigv4::authorization(&scope, target.path(), &headers, call.form.as_bytes());
    let mut request = HttpRequest::new(SdkBody::from(call.form.to_owned()));
    request.set_method("POST").map_err(|e| e.to_string())?;
    request
        .set_uri(target.url.as_str())
        .map_err(|e| format!("not a URL: {e}"))?;
    let sent = request.headers_mut();
    for (name, value) in headers {
        sent.insert(name, value.to_owned());
    }
    sent.insert("authorization", authorization);
    sent.insert("user-agent", USER_AGENT);
    Ok(request)
}

/// True when the connection was never made (refused, no route, no such host, a connect
/// timeout): the service cannot have seen the request.
fn never_connected(error: Option<&(dyn std::error::Error + 'static)>) -> bool {
    let mut error = error;
    while let Some(e) = error {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionRefused | AddrNotAvailable | NetworkUnreachable | HostUnreachable
            ) {
                return true;
            }
        }
        let text = e.to_string();
        if text.contains("tcp connect error")
            || text.contains("dns error")
            || text.contains("HTTP connect timeout")
        {
            return true;
        }
        error = e.source();
    }
    false
}

/// The innermost cause of `error`, in words, without "(os error N)".
pub fn root_cause(error: Option<&(dyn std::error::Error + 'static)>) -> String {
    let Some(mut error) = error else {
        return "unknown error".into();
    };
    while let Some(source) = error.source() {
        error = source;
    }
    crate::plain::without_os_error(&error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_the_endpoint_without_query_or_fragment() {
        let target = Target::of("https://sts.eu-west-1.amazonaws.com").unwrap();
        assert_eq!(target.url(), "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(
            (target.host.as_str(), target.path()),
            ("sts.eu-west-1.amazonaws.com", "/")
        );
        let target = Target::of("http://[::1]:5000/sts/?x=1#y").unwrap();
        assert_eq!(target.url(), "http://[::1]:5000/sts/");
        assert_eq!(
            (target.host.as_str(), target.path()),
            ("[::1]:5000", "/sts/")
        );
        assert_eq!(Target::of("sts.amazonaws.com"), None);
        assert_eq!(Target::of("https:///x"), None);
    }

    /// Our signature, next to the one the AWS SDK's signer (aws-sigv4) makes for the same
    /// request: long-term keys and a session (whose token is signed too), STS and IAM, an
    /// endpoint with a path and a port.
    #[test]
    fn the_signature_is_the_one_the_sdks_signer_makes() {
        use aws_credential_types::Credentials;
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        use aws_smithy_runtime_api::client::identity::Identity;
        let long_term = Keys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            session_token: None,
        };
        let session = Keys {
            access_key_id: "ASIAIOSFODNN7EXAMPLE",
            secret_access_key: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            session_token: Some("FwoGZXIvYXdzEXAMPLE+/="),
        };
        let now = 1_764_000_000;
        for (keys, service, region, endpoint) in [
            (
                long_term,
                "sts",
                "eu-west-1",
                "https://sts.eu-west-1.amazonaws.com",
            ),
            (
                session,
                "sts",
                "eu-west-1",
                "https://sts.eu-west-1.amazonaws.com",
            ),
            (session, "iam", "us-east-1", "https://iam.amazonaws.com"),
            (
                long_term,
                "sts",
                "eu-west-1",
                "http://127.0.0.1:5000/sts/x%20y",
            ),
        ] {
            let target = Target::of(endpoint).unwrap();
            let form = super::super::form(
                "AssumeRole",
                "2011-06-15",
                &[
                    ("RoleArn", "arn:aws:iam::123456789012:role/admin"),
                    ("TokenCode", "123456"),
                ],
            );
            let call = Call {
                service,
                region,
                target: &target,
                form: &form,
                keys,
                timeout: Duration::from_secs(5),
                via: None,
            };
            let sent = signed(&call, now).unwrap();
            let identity = Identity::from(Credentials::new(
                keys.access_key_id,
                keys.secret_access_key,
                keys.session_token.map(str::to_owned),
                None,
                "test",
            ));
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region(region)
                .name(service)
                .time(SystemTime::UNIX_EPOCH + Duration::from_secs(now as u64))
                .settings(SigningSettings::default())
                .build()
                .unwrap()
                .into();
            let signable = SignableRequest::new(
                "POST",
                target.url(),
                [
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("host", target.host.as_str()),
                ]
                .into_iter(),
                SignableBody::Bytes(form.as_bytes()),
            )
            .unwrap();
            let (instructions, _) = sign(signable, &params).unwrap().into_parts();
            let expected: Vec<_> = instructions.headers().collect();
            for (name, value) in &expected {
                assert_eq!(
                    sent.headers().get(*name),
                    Some(*value),
                    "{name} for {endpoint}"
                );
            }
            assert!(expected.iter().any(|(name, _)| *name == "authorization"));
            assert_eq!(
                expected
                    .iter()
                    .any(|(name, _)| *name == "x-amz-security-token"),
                keys.session_token.is_some()
            );
        }
    }
}
