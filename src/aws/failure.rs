//! What a failed SDK call says, in the terms our errors are made of: whether the request can
//! have reached the service, what the service answered, or why its answer could not be read.
//!
//! Invariant: [`Failure::NotSent`] only when no connection was made (refused, no route, no
//! such host, a connect timeout, a TLS or proxy handshake that failed): the service cannot
//! have seen the request; every other failure may come after the service acted on it. A
//! reason is the innermost cause in words, without "(os error N)".

use super::http::TooLarge;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Why a call gave no answer to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request was never sent: it could not be built, or no connection was made.
    NotSent(String),
    /// The endpoint's certificate was refused (rustls's words); nothing was sent.
    Untrusted(String),
    /// The connection failed after it was made (dropped, reset): the service may have acted
    /// on the request.
    Dropped(String),
    /// No answer in time.
    Timeout,
    /// The answer is larger than [`MAX_ANSWER_BYTES`](super::MAX_ANSWER_BYTES).
    TooLarge,
    /// An answer that is not the action's (the SDK's words).
    BadAnswer(String),
    /// The service answered with an error: its HTTP status, code and message (empty when the
    /// answer held none).
    Service {
        /// `403`.
        status: u16,
        /// `AccessDenied`.
        code: String,
        /// The message.
        message: String,
    },
}

impl Failure {
    /// What `error` says, `via` (the proxy a request went through, in words) added to a
    /// connection's failure.
    pub(crate) fn of<E>(error: &SdkError<E, HttpResponse>, via: Option<&str>) -> Failure
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
    {
        let with_via = |why: String| match via {
            Some(via) => format!("{why} ({via})"),
            None => why,
        };
        match error {
            SdkError::ConstructionFailure(_) => {
                Failure::NotSent(root_cause(std::error::Error::source(error)))
            }
            SdkError::TimeoutError(_) => Failure::Timeout,
            SdkError::DispatchFailure(failure) => {
                let connector = failure.as_connector_error();
                let cause = connector.map(|c| c as &(dyn std::error::Error + 'static));
                let why = root_cause(cause);
                if is_untrusted(cause) {
                    Failure::Untrusted(why)
                } else if never_connected(cause) {
                    Failure::NotSent(with_via(why))
                } else if connector.is_some_and(|c| c.is_timeout()) {
                    Failure::Timeout
                } else {
                    Failure::Dropped(with_via(why))
                }
            }
            SdkError::ResponseError(_) => {
                let cause = std::error::Error::source(error);
                if too_large(cause) {
                    Failure::TooLarge
                } else {
                    Failure::BadAnswer(root_cause(cause))
                }
            }
            SdkError::ServiceError(service) if service.raw().status().is_success() => {
                // An answer the SDK could not read as the action's result.
                Failure::BadAnswer(root_cause(Some(service.err())))
            }
            SdkError::ServiceError(service) => {
                let err = service.err();
                Failure::Service {
                    status: service.raw().status().as_u16(),
                    code: err.code().unwrap_or_default().to_owned(),
                    message: err.message().unwrap_or_default().to_owned(),
                }
            }
            _ => Failure::BadAnswer(root_cause(Some(error))),
        }
    }
}

/// Every error of `error`'s chain, itself first.
fn chain<'a>(
    error: Option<&'a (dyn std::error::Error + 'static)>,
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(error, |e| {
        // An io::Error's payload is its own link (`source()` skips it).
        match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static))
                .or_else(|| e.source()),
            None => e.source(),
        }
    })
}

/// True when the connection was never made (refused, no route, no such host, a connect
/// timeout, a TLS or proxy handshake that failed): the service cannot have seen the request.
pub(crate) fn never_connected(error: Option<&(dyn std::error::Error + 'static)>) -> bool {
    chain(error).any(|e| {
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
        // hyper-util's words for a failure while connecting, before any byte of the request.
        text.contains("client error (Connect)")
            || text.contains("tcp connect error")
            || text.contains("dns error")
            || text.contains("HTTP connect timeout")
    })
}

/// True when the endpoint's certificate was refused.
pub(crate) fn is_untrusted(error: Option<&(dyn std::error::Error + 'static)>) -> bool {
    chain(error).any(|e| e.to_string().starts_with("invalid peer certificate"))
}

/// True when the answer went past the bound.
pub(crate) fn too_large(error: Option<&(dyn std::error::Error + 'static)>) -> bool {
    chain(error).any(|e| e.is::<TooLarge>())
}

/// The innermost cause of `error`, in words, without "(os error N)".
pub(crate) fn root_cause(error: Option<&(dyn std::error::Error + 'static)>) -> String {
    match chain(error).last() {
        Some(innermost) => crate::text::plain::without_os_error(&innermost.to_string()),
        None => "unknown error".into(),
    }
}
