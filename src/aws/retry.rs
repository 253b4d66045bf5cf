//! When a call is sent again: the SDK's standard retry (up to
//! [`MAX_ATTEMPTS`](super::MAX_ATTEMPTS), backing off, within
//! [`CALL_TIMEOUT`](super::CALL_TIMEOUT)), with our rule on top as one more retry classifier,
//! run after the SDK's own.
//!
//! Invariant: a call carrying an MFA code ([`Resend::OnlyUnseen`]) is sent again only after an
//! attempt STS cannot have acted on: no connection was made, STS throttled it, or STS refused
//! it as signed at the wrong time (the SDK's clock-skew classifier asked for the retry, after
//! its interceptor learned the offset from the answer's `Date`: STS refuses such a request
//! before it looks at the code). The SDK's standard retry would also send it again after a
//! dropped connection, a timeout or a server error, each of which may come after STS used the
//! code. CreateAccessKey ([`Resend::Never`]) is sent once. No call is sent again after an
//! answer too large or a certificate refused: the same would come back.

use super::failure::{is_untrusted, never_connected, too_large};
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority, RetryReason, SharedRetryClassifier,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::ErrorKind;
use std::marker::PhantomData;

/// What a call may be sent again after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Only after an attempt the service cannot have acted on: a call carrying an MFA code.
    OnlyUnseen,
    /// After whatever the SDK's standard retry sends again after (a transient error,
    /// throttling, a server error): calls that do no harm when repeated.
    Standard,
    /// Never: CreateAccessKey (a lost answer would leave a key nobody has the secret of).
    Never,
}

impl Resend {
    /// The classifier of a call whose operation fails with `E`.
    fn classifier<E>(self) -> SharedRetryClassifier
    where
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        SharedRetryClassifier::new(ResendRule::<E> {
            resend: self,
            error: PhantomData,
        })
    }

    /// The retry configuration of a call, when not the client's.
    fn retry_config(self) -> Option<aws_smithy_types::retry::RetryConfig> {
        (self == Resend::Never)
            .then(|| aws_smithy_types::retry::RetryConfig::standard().with_max_attempts(1))
    }

    /// Puts the rule into an STS call's configuration.
    pub(crate) fn apply_sts<E>(self, config: &mut aws_sdk_sts::config::Builder)
    where
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        config.push_retry_classifier(self.classifier::<E>());
        if let Some(retry) = self.retry_config() {
            config.set_retry_config(Some(retry));
        }
    }

    /// Puts the rule into an IAM call's configuration.
    pub(crate) fn apply_iam<E>(self, config: &mut aws_sdk_iam::config::Builder)
    where
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        config.push_retry_classifier(self.classifier::<E>());
        if let Some(retry) = self.retry_config() {
            config.set_retry_config(Some(retry));
        }
    }
}

/// The SDK's codes of a request refused as signed at the wrong time (aws-runtime's
/// `service_clock_skew`); its classifier asks for a retry only when the answer's `Date` is
/// more than 4 minutes from our clock.
const CLOCK_SKEW_CODES: [&str; 5] = [
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestTimeTooSkewed",
    "AccessDeniedException",
];

struct ResendRule<E> {
    resend: Resend,
    error: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for ResendRule<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResendRule")
            .field("resend", &self.resend)
            .finish()
    }
}

impl<E> ClassifyRetry for ResendRule<E>
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        self.classify_retry_v2(ctx, &RetryAction::NoActionIndicated)
    }

    fn classify_retry_v2(&self, ctx: &InterceptorContext, previous: &RetryAction) -> RetryAction {
        let Some(Err(error)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let chain: &(dyn std::error::Error + 'static) = error;
        if too_large(Some(chain)) || is_untrusted(Some(chain)) {
            return RetryAction::RetryForbidden;
        }
        if self.resend != Resend::OnlyUnseen {
            return RetryAction::NoActionIndicated;
        }
        if let Some(connector) = error.as_connector_error() {
            return if never_connected(Some(connector)) {
                RetryAction::NoActionIndicated
            } else {
                RetryAction::RetryForbidden
            };
        }
        let code = error
            .as_operation_error()
            .and_then(|e| e.downcast_ref::<E>())
            .and_then(ProvideErrorMetadata::code);
        let throttled = matches!(
            previous,
            RetryAction::RetryIndicated(RetryReason::RetryableError {
                kind: ErrorKind::ThrottlingError,
                ..
            })
        );
        let skewed = previous.should_retry() && code.is_some_and(|c| CLOCK_SKEW_CODES.contains(&c));
        if throttled || skewed {
            RetryAction::NoActionIndicated
        } else {
            RetryAction::RetryForbidden
        }
    }

    fn name(&self) -> &'static str {
        "mfa-profile resend rule"
    }

    fn priority(&self) -> RetryClassifierPriority {
        // After the SDK's own (HTTP status, modeled, transient, error codes, clock skew).
        RetryClassifierPriority::run_after(RetryClassifierPriority::run_after(
            RetryClassifierPriority::transient_error_classifier(),
        ))
    }
}
