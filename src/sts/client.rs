//! STS over HTTP(S) with no SDK client: per attempt, one signed POST of the action's form
//! ([`crate::query::post`]) through the connector of [`http::connector`], its answer read into
//! a session ([`actions`]) or one [`StsError`].
//!
//! Invariant: the one logical request is sent again only after an attempt STS cannot have seen
//! (never connected, or throttled), within [`CALL_TIMEOUT`]; every attempt is signed afresh
//! and bounded by [`ATTEMPT_TIMEOUT`].

use super::actions::{self, Action};
use super::{
    classify_service_error, http, http_error, is_throttling, SessionRequest, Signer, Sts, StsError,
    TooLarge, ATTEMPT_TIMEOUT, CALL_TIMEOUT, MAX_ATTEMPTS,
};
use crate::keys::SessionCredentials;
use crate::query::{self, xml, Call, PostError, Target};
use aws_smithy_runtime_api::client::http::SharedHttpConnector;
use std::time::{Duration, Instant};

/// STS over HTTP(S).
#[derive(Debug, Default)]
pub struct HttpSts {
    /// The connector; `None`: [`http::connector`] for the request's endpoint. Tests and the
    /// fuzz target put a canned answer here.
    connector: Option<SharedHttpConnector>,
    /// One attempt only (the fuzz target: retries wait).
    single_attempt: bool,
    /// The proxies the environment names.
    proxies: http::Proxies,
}

impl HttpSts {
    /// STS through `connector` instead of the network.
    pub fn with_connector(connector: SharedHttpConnector) -> HttpSts {
        HttpSts {
            connector: Some(connector),
            ..HttpSts::default()
        }
    }

    /// STS through the proxies `proxies` names.
    pub fn through(proxies: http::Proxies) -> HttpSts {
        HttpSts {
            proxies,
            ..HttpSts::default()
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
                http::connector(plain_http, &request.trust, &self.proxies)
                    .map_err(|why| StsError::Unreachable(endpoint.clone(), why))?
            }
        };
        let target = Target::of(&endpoint)
            .ok_or_else(|| StsError::Unreachable(endpoint.clone(), "not a URL".into()))?;
        let form = actions::form(request);
        let call = Call {
            service: "sts",
            region: request.region.as_str(),
            target: &target,
            form: &form,
            keys: signer.keys(),
            timeout: ATTEMPT_TIMEOUT,
        };
        let started = Instant::now();
        let attempts = if self.single_attempt { 1 } else { MAX_ATTEMPTS };
        let plain_http = request
            .endpoint
            .as_ref()
            .is_some_and(crate::input::EndpointUrl::is_plain_http);
        let through_proxy = |error| match (error, self.proxies.hint(plain_http)) {
            (StsError::Unreachable(endpoint, why), Some(hint)) => {
                StsError::Unreachable(endpoint, format!("{why} ({hint})"))
            }
            (error, _) => error,
        };
        let mut attempt = 1;
        loop {
            match attempt_once(&connector, &call, request, &endpoint).await {
                Ok(session) => return Ok(session),
                Err(mut failure) => {
                    failure.error = through_proxy(failure.error);
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

/// One attempt: the request sent, its answer read into a session or an error.
async fn attempt_once(
    connector: &SharedHttpConnector,
    call: &Call<'_>,
    request: &SessionRequest,
    endpoint: &str,
) -> Result<SessionCredentials, Failure> {
    let seen = |error| Failure {
        error,
        unseen: false,
    };
    let endpoint = endpoint.to_owned();
    let answer = query::post(connector, call)
        .await
        .map_err(|error| match error {
            PostError::NotSent(why) => Failure {
                error: StsError::Unreachable(endpoint.clone(), why),
                unseen: true,
            },
            PostError::Timeout => seen(StsError::Timeout(
                endpoint.clone(),
                ATTEMPT_TIMEOUT.as_secs(),
            )),
            PostError::Untrusted(why) => seen(StsError::Untrusted(endpoint.clone(), why)),
            PostError::Failed(why) => seen(StsError::Unreachable(endpoint.clone(), why)),
            PostError::TooLarge => seen(StsError::BadResponse(
                endpoint.clone(),
                TooLarge.to_string(),
            )),
            PostError::BadBody(why) => seen(StsError::BadResponse(endpoint.clone(), why)),
        })?;
    if (200..300).contains(&answer.status) {
        return actions::read_session(&answer.body, Action::of(request))
            .map_err(|why| seen(StsError::BadResponse(endpoint, why)));
    }
    let (code, message) = xml::read_error(&answer.body);
    let error = match (code.as_str(), answer.status) {
        ("", status) => http_error(endpoint, status),
        (_, 500..=599) if !is_throttling(&code) => StsError::ServerError { code, message },
        _ => classify_service_error(&code, &message, request),
    };
    Err(Failure {
        unseen: matches!(error, StsError::Throttled(_)),
        error,
    })
}
