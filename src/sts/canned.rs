//! An AWS service answering from memory: an HTTP connector for [`HttpSts`](super::HttpSts)
//! and [`HttpIam`](crate::iam::HttpIam) that gives every request the same status and body, so the real parsing, our bound and our checks run on an answer a test or the fuzz
//! target made up, with no network.
//!
//! Invariant: no request leaves the process.

use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use std::fmt;
use std::sync::Arc;

/// Makes the body of each answer.
type MakeBody = dyn Fn() -> SdkBody + Send + Sync;

/// The same answer to every request.
#[derive(Clone)]
pub struct CannedAnswer {
    status: u16,
    body: Arc<MakeBody>,
}

impl fmt::Debug for CannedAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CannedAnswer")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl CannedAnswer {
    /// An HTTP connector answering `status` (a status outside 100..=999 becomes 500) with the
    /// body `body` makes, for every request.
    pub fn connector(
        status: u16,
        body: impl Fn() -> SdkBody + Send + Sync + 'static,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CannedAnswer {
            status,
            body: Arc::new(body),
        })
    }
}

impl HttpConnector for CannedAnswer {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let status = StatusCode::try_from(self.status)
            .unwrap_or_else(|_| StatusCode::try_from(500).expect("a valid status"));
        HttpConnectorFuture::ready(Ok(HttpResponse::new(status, (self.body)())))
    }
}
