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
    ATTEMPT_TIMEOUT, CALL_TIMEOUT, MAX_ATTEMPTS,
};
use crate::keys::SessionCredentials;
use crate::query::{self, xml, Call, Failed, PostError, Target};
use aws_smithy_runtime_api::client::http::SharedHttpConnector;

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
        query::block_on(self.call(signer, request))
            .map_err(|e| StsError::Unreachable("STS".into(), e.to_string()))?
    }
}

impl HttpSts {
    async fn call(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let endpoint = request.endpoint_shown();
        let plain_http = request
            .endpoint
            .as_ref()
            .is_some_and(crate::input::EndpointUrl::is_plain_http);
        let connector = match &self.connector {
            Some(connector) => connector.clone(),
            None => http::connector(plain_http, &request.trust, &self.proxies)
                .map_err(|why| StsError::Unreachable(endpoint.clone(), why))?,
        };
        let target = Target::of(&endpoint)
            .ok_or_else(|| StsError::Unreachable(endpoint.clone(), "not a URL".into()))?;
        let form = actions::form(request);
        let via = self.proxies.hint(plain_http);
        let call = Call {
            service: "sts",
            region: request.region.as_str(),
            target: &target,
            form: &form,
            keys: signer.keys(),
            timeout: ATTEMPT_TIMEOUT,
            via: via.as_deref(),
        };
        let attempts = if self.single_attempt { 1 } else { MAX_ATTEMPTS };
        let (connector, call, endpoint) = (&connector, &call, endpoint.as_str());
        query::retried(attempts, ATTEMPT_TIMEOUT, CALL_TIMEOUT, || {
            attempt_once(connector, call, request, endpoint)
        })
        .await
    }
}

/// One attempt: the request sent, its answer read into a session or an error.
async fn attempt_once(
    connector: &SharedHttpConnector,
    call: &Call<'_>,
    request: &SessionRequest,
    endpoint: &str,
) -> Result<SessionCredentials, Failed<StsError>> {
    let seen = Failed::last;
    let endpoint = endpoint.to_owned();
    let answer = query::post(connector, call)
        .await
        .map_err(|error| match error {
            PostError::NotSent(why) => Failed {
                error: StsError::Unreachable(endpoint.clone(), why),
                again: true,
            },
            PostError::Timeout => seen(StsError::Timeout(
                endpoint.clone(),
                ATTEMPT_TIMEOUT.as_secs(),
            )),
            PostError::Untrusted(why) => seen(StsError::Untrusted(endpoint.clone(), why)),
            PostError::Failed(why) => seen(StsError::Unreachable(endpoint.clone(), why)),
            error @ (PostError::TooLarge | PostError::BadBody(_)) => {
                seen(StsError::BadResponse(endpoint.clone(), error.to_string()))
            }
        })?;
    if answer.is_success() {
        return actions::read_session(&answer.body, Action::of(request))
            .map_err(|why| seen(StsError::BadResponse(endpoint, why)));
    }
    let (code, message) = xml::read_error(&answer.body);
    let error = match (code.as_str(), answer.status) {
        ("", status) => http_error(endpoint, status),
        (_, 500..=599) if !is_throttling(&code) => StsError::ServerError { code, message },
        _ => classify_service_error(&code, &message, request),
    };
    Err(Failed {
        again: matches!(error, StsError::Throttled(_)),
        error,
    })
}
