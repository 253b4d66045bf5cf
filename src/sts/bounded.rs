//! A bound on what is read from STS.
//!
//! Invariant: no more than [`MAX_RESPONSE_BYTES`] of a response body is ever read, whatever
//! the server announces or sends; a larger response is an error before it is parsed, and is
//! not asked for again.

use aws_sdk_sts::config::interceptors::{
    BeforeDeserializationInterceptorContextMut, InterceptorContext,
};
use aws_sdk_sts::config::retry::{ClassifyRetry, RetryAction};
use aws_sdk_sts::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_types::body::SdkBody;
use std::fmt;

/// The largest STS response read: a GetSessionToken answer is about 1 KiB, an error 300
/// bytes.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// Why a response was not read.
#[derive(Debug)]
pub struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "it is larger than {} MiB, which no STS answer is",
            MAX_RESPONSE_BYTES >> 20
        )
    }
}

impl std::error::Error for TooLarge {}

/// Wraps every response body so that reading it fails past [`MAX_RESPONSE_BYTES`]; a
/// `Content-Length` above it fails at once.
#[derive(Debug)]
pub struct BoundedResponse;

impl Intercept for BoundedResponse {
    fn name(&self) -> &'static str {
        "BoundedResponse"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_sts::error::BoxError> {
        let response = context.response_mut();
        let announced = response
            .headers()
            .get("content-length")
            .and_then(|length| length.trim().parse::<u64>().ok());
        if announced.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
            return Err(TooLarge.into());
        }
        let body = response.take_body();
        *response.body_mut() =
            SdkBody::from_body_1_x(http_body_util::Limited::new(body, MAX_RESPONSE_BYTES));
        Ok(())
    }
}

/// Whether `error` (or what caused it) is a response found too large.
pub fn is_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut error = Some(error);
    while let Some(e) = error {
        if e.is::<TooLarge>() || e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        error = e.source();
    }
    false
}

/// Forbids retrying a response found too large: the next one would be as large.
#[derive(Debug)]
pub struct NoRetryWhenTooLarge;

impl ClassifyRetry for NoRetryWhenTooLarge {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.output_or_error() {
            Some(Err(error)) if is_too_large(error) => RetryAction::RetryForbidden,
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "NoRetryWhenTooLarge"
    }
}
