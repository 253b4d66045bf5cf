//! [`Sts`] on the AWS SDK: GetSessionToken and AssumeRole through the process's
//! `aws_sdk_sts::Client` ([`Network::sts`]), each call configured with its region, endpoint,
//! credentials and the options of the source profile, its failure turned into one
//! [`StsError`].
//!
//! Invariant: the one logical request is sent again only as [`Resend::OnlyUnseen`] allows
//! (never connected, throttled, or refused for a skewed clock before STS looked at the code),
//! within [`CALL_TIMEOUT`](crate::aws::CALL_TIMEOUT), every attempt bounded by
//! [`ATTEMPT_TIMEOUT`]; the secrets STS returns go straight into [`Secret`]s.

use super::{
    classify_service_error, http_error, is_throttling, SessionRequest, Signer, Sts, StsError,
};
use crate::aws::{self, Failure, Network, Resend, Route, ATTEMPT_TIMEOUT};
use crate::input::keys::{Secret, SessionCredentials};
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_sdk_sts::operation::get_session_token::GetSessionTokenError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// STS through the network of the process.
#[derive(Clone, Copy, Debug)]
pub struct SdkSts<'a>(pub &'a Network);

impl Sts for SdkSts<'_> {
    fn get_session(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let route = Route {
            region: &request.region,
            endpoint: request.endpoint.as_ref(),
            options: &request.options,
            trust: &request.trust,
        };
        let unreachable = |why: String| StsError::Unreachable(request.endpoint_shown(), why);
        let http = self.0.http_client(&route).map_err(unreachable)?;
        let client = self.0.sts();
        let via = self.0.proxies().hint(route.is_plain_http());
        let via = via.as_deref();
        let credentials = signer.credentials();
        let answer = match &request.role {
            Some(role) => {
                let config =
                    aws::sts_call::<AssumeRoleError>(&route, http, credentials, Resend::OnlyUnseen);
                let call = client
                    .assume_role()
                    .role_arn(role.arn.as_str())
                    .role_session_name(role.session_name.as_str())
                    .set_external_id(role.external_id.as_ref().map(|id| id.as_str().to_owned()))
                    .duration_seconds(duration(request))
                    .set_serial_number(request.serial())
                    .set_token_code(request.mfa.as_ref().map(|m| m.code.as_str().to_owned()))
                    .customize()
                    .config_override(config)
                    .send();
                self.0
                    .block_on(call)
                    .map_err(unreachable)?
                    .map(|output| output.credentials)
                    .map_err(|error| failed(&error, via, request))?
            }
            None => {
                let config = aws::sts_call::<GetSessionTokenError>(
                    &route,
                    http,
                    credentials,
                    Resend::OnlyUnseen,
                );
                let call = client
                    .get_session_token()
                    .duration_seconds(duration(request))
                    .set_serial_number(request.serial())
                    .set_token_code(request.mfa.as_ref().map(|m| m.code.as_str().to_owned()))
                    .customize()
                    .config_override(config)
                    .send();
                self.0
                    .block_on(call)
                    .map_err(unreachable)?
                    .map(|output| output.credentials)
                    .map_err(|error| failed(&error, via, request))?
            }
        };
        let credentials = answer.ok_or_else(|| {
            StsError::BadResponse(request.endpoint_shown(), "it holds no credentials".into())
        })?;
        Ok(SessionCredentials {
            expires_at: credentials.expiration.secs(),
            access_key_id: credentials.access_key_id,
            secret_access_key: Secret::new(credentials.secret_access_key),
            session_token: Secret::new(credentials.session_token),
        })
    }
}

fn duration(request: &SessionRequest) -> i32 {
    i32::try_from(request.duration.secs()).unwrap_or(i32::MAX)
}

/// A failed call as one [`StsError`].
fn failed<E>(
    error: &SdkError<E, HttpResponse>,
    via: Option<&str>,
    request: &SessionRequest,
) -> StsError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    let endpoint = request.endpoint_shown();
    match Failure::of(error, via) {
        Failure::NotSent(why) => StsError::Unreachable(endpoint, why),
        Failure::Untrusted(why) => StsError::Untrusted(endpoint, why),
        Failure::Dropped(why) => StsError::Dropped(endpoint, why),
        Failure::Timeout => StsError::Timeout(endpoint, ATTEMPT_TIMEOUT.as_secs()),
        Failure::TooLarge => StsError::BadResponse(
            endpoint,
            "it is larger than 1 MiB, which no STS answer is".into(),
        ),
        Failure::BadAnswer(why) => StsError::BadResponse(endpoint, why),
        Failure::Service {
            status,
            code,
            message,
        } => match (code.as_str(), status) {
            ("", status) => http_error(endpoint, status),
            (_, 500..=599) if !is_throttling(&code) => StsError::ServerError { code, message },
            _ => classify_service_error(&code, &message, request),
        },
    }
}
