//! The one HTTP call of a console sign-in: a `GET` of the `getSigninToken` URL, through the
//! connector the SDK clients use (`sdk::http`: its TLS, its proxies, its bound), its answer
//! read under a bound of its own.
//!
//! Invariant: no error shows the URL requested (it holds the session); at most
//! [`MAX_ANSWER_BYTES`] of an answer are read; the call ends within [`CALL_TIMEOUT`].

use super::{read_token_answer, SigninEndpoint};
use crate::aws::http::{connector, Proxies};
use crate::aws::sts::TrustRoots;
use crate::input::keys::Secret;
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use http_body_util::{BodyExt, Limited};
use std::time::Duration;

/// The largest answer read: a sign-in token is about 1 KiB.
pub const MAX_ANSWER_BYTES: usize = 64 << 10;
/// How long the call may take, connection included.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Why no sign-in token came back.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer: connection, TLS, time.
    #[error("cannot reach the federation endpoint {endpoint}: {why}")]
    Unreachable {
        /// The endpoint, without the query.
        endpoint: String,
        /// Why.
        why: String,
    },
    /// An answer other than 200.
    #[error("the federation endpoint {endpoint} refused the session (HTTP {status}){said}")]
    Refused {
        /// The endpoint.
        endpoint: String,
        /// The status.
        status: u16,
        /// `: ` and the start of its answer, when it said something printable.
        said: String,
    },
    /// A 200 that holds no token.
    #[error("the federation endpoint {endpoint} answered, but {why}")]
    BadAnswer {
        /// The endpoint.
        endpoint: String,
        /// What is wrong with it.
        why: String,
    },
}

/// Sends `request` (a [`SigninEndpoint::token_request`] URL of `endpoint`) and reads the
/// sign-in token from the answer. Nothing else here knows how the request travels: no SDK
/// client makes this call (it is no AWS API), so it goes straight through the connector.
pub fn fetch_signin_token(
    endpoint: &SigninEndpoint,
    request: &Secret,
    trust: &TrustRoots,
    proxies: &Proxies,
) -> Result<Secret, FetchError> {
    let shown = endpoint.shown().to_owned();
    let unreachable = |why: String| FetchError::Unreachable {
        endpoint: shown.clone(),
        why,
    };
    let connector =
        connector(endpoint.url().is_plain_http(), trust, proxies).map_err(unreachable)?;
    let mut http = HttpRequest::new(SdkBody::empty());
    http.set_method("GET")
        .map_err(|e| unreachable(e.to_string()))?;
    http.set_uri(request.expose())
        .map_err(|_| unreachable("the request is not a URL".into()))?;
    http.headers_mut().insert("accept", "application/json");
    http.headers_mut().insert(
        "user-agent",
        concat!("mfa-profile/", env!("CARGO_PKG_VERSION")),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| unreachable(e.to_string()))?;
    let (status, body) = runtime
        .block_on(async {
            let exchange = async {
                let answer = connector.call(http).await.map_err(|e| root_cause(&e))?;
                let status = answer.status().as_u16();
                let body = Limited::new(answer.into_body(), MAX_ANSWER_BYTES)
                    .collect()
                    .await
                    .map_err(|_| {
                        format!(
                            "its answer is unreadable or larger than {} KiB",
                            MAX_ANSWER_BYTES >> 10
                        )
                    })?
                    .to_bytes();
                Ok::<_, String>((status, body))
            };
            tokio::time::timeout(CALL_TIMEOUT, exchange)
                .await
                .unwrap_or_else(|_| Err(format!("no answer within {} s", CALL_TIMEOUT.as_secs())))
        })
        .map_err(unreachable)?;
    if status != 200 {
        return Err(FetchError::Refused {
            endpoint: shown,
            status,
            said: said(&body),
        });
    }
    read_token_answer(&body).map_err(|why| FetchError::BadAnswer {
        endpoint: shown,
        why,
    })
}

/// `: ` and the first line of an error answer, printable ASCII, at most 200 characters; empty
/// when there is nothing to show.
fn said(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line: String = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(200)
        .collect();
    if line.is_empty() {
        String::new()
    } else {
        format!(": {line}")
    }
}

/// The innermost cause of a connector error, in words.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut error = error;
    while let Some(source) = error.source() {
        error = source;
    }
    crate::text::plain::without_os_error(&error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_answer_is_shown_by_its_first_printable_line() {
        assert_eq!(
            said(b"\n  Invalid credentials parameter\nmore"),
            ": Invalid credentials parameter"
        );
        assert_eq!(said(b"\x1b[2J"), ": [2J");
        assert_eq!(said(b""), "");
        assert_eq!(said(&[b'x'; 500]).len(), 202);
    }
}
