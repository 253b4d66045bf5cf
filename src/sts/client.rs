//! STS over HTTP(S) with no SDK client: per attempt, one SigV4-signed POST of the Query form
//! through the connector of [`http::connector`], its answer read under [`MAX_RESPONSE_BYTES`]
//! and turned into a session or one [`StsError`].
//!
//! The AWS SDK's STS client did this before; building one (its endpoint partition tables, its
//! interceptors and identity cache) and running its orchestrator cost more CPU than the rest of
//! a refresh outside TLS (README, Performance). The connector, the XML decoder and the error
//! codes are still the SDKs' own.
//!
//! Invariant: the one logical request is sent again only after an attempt STS cannot have seen
//! (never connected, or throttled), within [`CALL_TIMEOUT`]; every attempt is signed afresh
//! and bounded by [`ATTEMPT_TIMEOUT`]; no more than [`MAX_RESPONSE_BYTES`] of an answer is
//! read.

use super::query::{self, Action};
use super::sigv4::{self, Scope};
use super::{
    classify_service_error, http, http_error, is_throttling, never_connected, root_cause,
    SessionRequest, Signer, Sts, StsError, TooLarge, ATTEMPT_TIMEOUT, CALL_TIMEOUT, MAX_ATTEMPTS,
    MAX_RESPONSE_BYTES,
};
use crate::keys::SessionCredentials;
use aws_smithy_runtime_api::client::http::{HttpConnector, SharedHttpConnector};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use http_body_util::{BodyExt, Limited};
use std::time::{Duration, Instant, SystemTime};

/// The `User-Agent` STS (and CloudTrail) sees.
const USER_AGENT: &str = concat!("mfa-profile/", env!("CARGO_PKG_VERSION"));

/// STS over HTTP(S).
#[derive(Debug, Default)]
pub struct HttpSts {
    /// The connector; `None`: [`http::connector`] for the request's endpoint. Tests and the
    /// fuzz target put a canned answer here.
    connector: Option<SharedHttpConnector>,
    /// One attempt only (the fuzz target: retries wait).
    single_attempt: bool,
}

impl HttpSts {
    /// STS through `connector` instead of the network.
    pub fn with_connector(connector: SharedHttpConnector) -> HttpSts {
        HttpSts {
            connector: Some(connector),
            single_attempt: false,
        }
    }

    /// The same, making one attempt where it would retry.
    pub fn without_retries(self) -> HttpSts {
        HttpSts {
            single_attempt: true,
            ..self
        }
    }
}

impl Sts for HttpSts {
    fn get_session(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StsError::Unreachable("STS".into(), e.to_string()))?;
        runtime.block_on(self.call(signer, request))
    }
}

/// A failed attempt, and whether STS cannot have seen it (so sending it again is safe).
struct Failure {
    error: StsError,
    unseen: bool,
}

impl Failure {
    fn seen(error: StsError) -> Failure {
        Failure {
            error,
            unseen: false,
        }
    }
}

impl HttpSts {
    async fn call(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let endpoint = request.endpoint_shown();
        let connector = match &self.connector {
            Some(connector) => connector.clone(),
            None => {
                let plain_http = request
                    .endpoint
                    .as_ref()
                    .is_some_and(crate::input::EndpointUrl::is_plain_http);
                http::connector(plain_http, &request.trust)
                    .map_err(|why| StsError::Unreachable(endpoint.clone(), why))?
            }
        };
        let target = Target::of(&endpoint)
            .ok_or_else(|| StsError::Unreachable(endpoint.clone(), "not a URL".into()))?;
        let form = query::form(request);
        let started = Instant::now();
        let attempts = if self.single_attempt { 1 } else { MAX_ATTEMPTS };
        let mut attempt = 1;
        loop {
            let sent = signed(signer, request, &target, &form, epoch_now())
                .map_err(|why| StsError::Unreachable(endpoint.clone(), why))?;
            let answer = tokio::time::timeout(
                ATTEMPT_TIMEOUT,
                exchange(&connector, sent, Action::of(request), request, &endpoint),
            )
            .await
            .unwrap_or_else(|_| {
                Err(Failure::seen(StsError::Timeout(
                    endpoint.clone(),
                    ATTEMPT_TIMEOUT.as_secs(),
                )))
            });
            match answer {
                Ok(session) => return Ok(session),
                Err(failure) => {
                    let backoff = Duration::from_millis(200 << attempt);
                    let in_time = started.elapsed() + backoff + ATTEMPT_TIMEOUT < CALL_TIMEOUT;
                    if !failure.unseen || attempt >= attempts || !in_time {
                        return Err(failure.error);
                    }
                    tokio::time::sleep(backoff).await;
                    attempt += 1;
                }
            }
        }
    }
}

/// Where a request goes: the endpoint's URL without query or fragment, its authority (the
/// `Host` header) and its path.
struct Target {
    url: String,
    host: String,
}

impl Target {
    fn of(endpoint: &str) -> Option<Target> {
        let (scheme, rest) = endpoint.split_once("://")?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        Some(Target {
            url: format!("{scheme}://{host}{path}"),
            host: host.to_owned(),
        })
    }

    fn path(&self) -> &str {
        let after_scheme = self.url.split_once("://").map_or("", |(_, rest)| rest);
        &after_scheme[self.host.len()..]
    }
}

fn epoch_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// The POST of `form`, signed as at `now` (seconds since the epoch).
fn signed(
    signer: Signer<'_>,
    request: &SessionRequest,
    target: &Target,
    form: &str,
    now: i64,
) -> Result<HttpRequest, String> {
    let amz_date = sigv4::amz_date(now);
    let (access_key_id, secret_access_key, token) = match signer {
        Signer::LongTerm(keys) => (
            keys.access_key_id.as_str(),
            keys.secret_access_key.expose(),
            None,
        ),
        Signer::Session(session) => (
            session.access_key_id.as_str(),
            session.secret_access_key.expose(),
            Some(session.session_token.expose()),
        ),
    };
    let content_type = "application/x-www-form-urlencoded";
    let mut headers = vec![
        ("content-type", content_type),
        ("host", target.host.as_str()),
        ("x-amz-date", amz_date.as_str()),
    ];
    if let Some(token) = token {
        headers.push(("x-amz-security-token", token));
    }
    let scope = Scope {
        access_key_id,
        secret_access_key,
        region: request.region.as_str(),
        service: "sts",
        amz_date: &amz_date,
    };
    let authorization = sigv4::authorization(&scope, target.path(), &headers, form.as_bytes());
    let mut sent = HttpRequest::new(SdkBody::from(form.to_owned()));
    sent.set_method("POST").map_err(|e| e.to_string())?;
    sent.set_uri(target.url.as_str())
        .map_err(|e| format!("not a URL: {e}"))?;
    let sent_headers = sent.headers_mut();
    for (name, value) in headers {
        sent_headers.insert(name, value.to_owned());
    }
    sent_headers.insert("authorization", authorization);
    sent_headers.insert("user-agent", USER_AGENT);
    Ok(sent)
}

/// One attempt: the request sent, its answer read and read into a session or an error.
async fn exchange(
    connector: &SharedHttpConnector,
    sent: HttpRequest,
    action: Action,
    request: &SessionRequest,
    endpoint: &str,
) -> Result<SessionCredentials, Failure> {
    let answer = connector
        .call(sent)
        .await
        .map_err(|error| transport_failure(&error, endpoint))?;
    let status = answer.status().as_u16();
    let announced = answer
        .headers()
        .get("content-length")
        .and_then(|length| length.trim().parse::<u64>().ok());
    let too_large = || {
        Failure::seen(StsError::BadResponse(
            endpoint.to_owned(),
            TooLarge.to_string(),
        ))
    };
    if announced.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
        return Err(too_large());
    }
    let body = match Limited::new(answer.into_body(), MAX_RESPONSE_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => return Err(too_large()),
        Err(error) => {
            return Err(Failure::seen(StsError::BadResponse(
                endpoint.to_owned(),
                root_cause(Some(&*error)),
            )))
        }
    };
    if (200..300).contains(&status) {
        return query::read_session(&body, action)
            .map_err(|why| Failure::seen(StsError::BadResponse(endpoint.to_owned(), why)));
    }
    let (code, message) = query::read_error(&body);
    let error = match (code.as_str(), status) {
        ("", status) => http_error(endpoint.to_owned(), status),
        (_, 500..=599) if !is_throttling(&code) => StsError::ServerError { code, message },
        _ => classify_service_error(&code, &message, request),
    };
    Err(Failure {
        unseen: matches!(error, StsError::Throttled(_)),
        error,
    })
}

/// A request that got no answer: never sent (so safe to send again), timed out, or refused.
fn transport_failure(error: &ConnectorError, endpoint: &str) -> Failure {
    let endpoint = endpoint.to_owned();
    let cause: &(dyn std::error::Error + 'static) = error;
    if never_connected(Some(cause)) {
        return Failure {
            error: StsError::Unreachable(endpoint, root_cause(Some(cause))),
            unseen: true,
        };
    }
    if error.is_timeout() {
        return Failure::seen(StsError::Timeout(endpoint, ATTEMPT_TIMEOUT.as_secs()));
    }
    let why = root_cause(Some(cause));
    // rustls's words for a certificate it refused.
    if why.starts_with("invalid peer certificate") {
        Failure::seen(StsError::Untrusted(endpoint, why))
    } else {
        Failure::seen(StsError::Unreachable(endpoint, why))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SessionDuration;
    use crate::keys::{LongTermKeys, Secret};
    use crate::sts::{MfaAnswer, RoleRequest, TrustRoots};

    /// Our signature, next to the one the AWS SDK's signer (aws-sigv4) makes for the same
    /// request: long-term keys and a session (whose token is signed too), GetSessionToken and
    /// AssumeRole, an endpoint with a path and a port.
    #[test]
    fn the_signature_is_the_one_the_sdks_signer_makes() {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        use aws_smithy_runtime_api::client::identity::Identity;
        let keys = LongTermKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        };
        let session = SessionCredentials {
            access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
            session_token: Secret::new("FwoGZXIvYXdzEXAMPLE+/="),
            expires_at: 4_070_908_800,
        };
        let role = RoleRequest {
            arn: "arn:aws:iam::123456789012:role/admin".parse().unwrap(),
            session_name: "alice".parse().unwrap(),
            external_id: None,
        };
        let now = 1_764_000_000;
        for (signer, role, endpoint) in [
            (
                Signer::LongTerm(&keys),
                None,
                "https://sts.eu-west-1.amazonaws.com",
            ),
            (
                Signer::Session(&session),
                Some(role.clone()),
                "https://sts.eu-west-1.amazonaws.com",
            ),
            (
                Signer::LongTerm(&keys),
                Some(role),
                "http://127.0.0.1:5000/sts/x%20y",
            ),
        ] {
            let request = SessionRequest {
                mfa: Some(MfaAnswer {
                    serial: "arn:aws:iam::123456789012:mfa/alice".parse().unwrap(),
                    code: "123456".parse().unwrap(),
                }),
                duration: SessionDuration::DEFAULT_ROLE,
                region: "eu-west-1".parse().unwrap(),
                endpoint: None,
                role,
                trust: TrustRoots::default(),
            };
            let target = Target::of(endpoint).unwrap();
            let form = query::form(&request);
            let sent = signed(signer, &request, &target, &form, now).unwrap();
            let identity = Identity::from(signer.credentials());
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region("eu-west-1")
                .name("sts")
                .time(SystemTime::UNIX_EPOCH + Duration::from_secs(now as u64))
                .settings(SigningSettings::default())
                .build()
                .unwrap()
                .into();
            let signable = SignableRequest::new(
                "POST",
                target.url.as_str(),
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
                matches!(signer, Signer::Session(_))
            );
        }
    }

    #[test]
    fn a_target_is_the_endpoint_without_query_or_fragment() {
        let target = Target::of("https://sts.eu-west-1.amazonaws.com").unwrap();
        assert_eq!(target.url, "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(
            (target.host.as_str(), target.path()),
            ("sts.eu-west-1.amazonaws.com", "/")
        );
        let target = Target::of("http://[::1]:5000/sts/?x=1#y").unwrap();
        assert_eq!(target.url, "http://[::1]:5000/sts/");
        assert_eq!(
            (target.host.as_str(), target.path()),
            ("[::1]:5000", "/sts/")
        );
    }
}
