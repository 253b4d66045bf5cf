//! The one place that talks to STS: a small trait for the refresh to call (unit tests put a
//! fake behind it), its implementation on the AWS SDK ([`SdkSts`]), the choice of endpoint
//! ([`resolve_endpoint`]), the certificates trusted ([`load_roots`]), and the check of the
//! session STS returned ([`check_session`]).
//!
//! Invariant: one refresh makes exactly one logical STS request, with the credentials, region
//! and endpoint passed in explicitly; it is sent again only when STS cannot have seen the code
//! (the connection was refused or never made, STS throttled it, or refused it as signed at the
//! wrong time before looking at the code), since a one-time code STS has used is refused the
//! second time. Nothing here reads the process environment, looks up IMDS or credential chains.
//! Every failure becomes one [`StsError`] sentence that carries no secret, and says so when STS
//! may have used the code.

mod check;
mod client;
mod endpoint;

pub use crate::aws::trust::{roots_for, TlsSettings, TrustChoice, TrustError, TrustRoots};
pub use check::check_session;
pub use client::SdkSts;
pub use endpoint::{
    configured_endpoints_ignored, resolve_endpoint, setting_is_true, CustomEndpoint, EndpointError,
    EndpointOrigin,
};

use crate::aws::CallOptions;
use crate::input::keys::{LongTermKeys, SessionCredentials};
use crate::input::{
    EndpointUrl, ExternalId, MfaCode, MfaSerial, Region, RoleArn, RoleSessionName, SessionDuration,
};

/// A GetSessionToken (or, with a role, AssumeRole) request.
#[derive(Clone, Debug)]
pub struct SessionRequest {
    /// The MFA device and its code; `None` only for an AssumeRole signed with an MFA session,
    /// whose MFA context the role's trust policy sees.
    pub mfa: Option<MfaAnswer>,
    /// Requested session length.
    pub duration: SessionDuration,
    /// Region whose STS endpoint is called.
    pub region: Region,
    /// Explicit endpoint; otherwise STS's regional https endpoint.
    pub endpoint: Option<EndpointUrl>,
    /// The role to assume; `None` for a GetSessionToken session.
    pub role: Option<RoleRequest>,
    /// The certificates an https endpoint is trusted by.
    pub trust: TrustRoots,
    /// FIPS and dual-stack endpoints, the app id: from the environment and the source profile.
    pub options: CallOptions,
}

/// An MFA device and a code it showed.
#[derive(Clone, Debug)]
pub struct MfaAnswer {
    /// The MFA device.
    pub serial: MfaSerial,
    /// The six-digit code.
    pub code: MfaCode,
}

/// What signs a request: the IAM user's long-term keys, or a session STS gave them with MFA
/// (for a role assumed from that session).
#[derive(Clone, Copy, Debug)]
pub enum Signer<'a> {
    /// Long-term keys.
    LongTerm(&'a LongTermKeys),
    /// An MFA session.
    Session(&'a SessionCredentials),
}

impl Signer<'_> {
    /// The credentials a request is signed with, as the SDK takes them.
    pub(crate) fn credentials(self) -> aws_sdk_sts::config::Credentials {
        let (id, secret, token) = match self {
            Signer::LongTerm(keys) => (&keys.access_key_id, &keys.secret_access_key, None),
            Signer::Session(session) => (
                &session.access_key_id,
                &session.secret_access_key,
                Some(&session.session_token),
            ),
        };
        aws_sdk_sts::config::Credentials::new(
            id.as_str(),
            secret.expose(),
            token.map(|t| t.expose().to_owned()),
            None,
            "mfa-profile",
        )
    }
}

/// STS's URL as a message shows it: `endpoint`, else STS's own for `region` and `options`.
pub fn endpoint_shown(
    endpoint: Option<&EndpointUrl>,
    region: &Region,
    options: &CallOptions,
) -> String {
    match endpoint {
        Some(url) => url.to_string(),
        None => crate::aws::sts_url(region, options),
    }
}

impl SessionRequest {
    /// The MFA device's serial, as sent.
    pub fn serial(&self) -> Option<String> {
        self.mfa.as_ref().map(|m| m.serial.as_str().to_owned())
    }

    /// The endpoint the request goes to, for messages.
    pub fn endpoint_shown(&self) -> String {
        endpoint_shown(self.endpoint.as_ref(), &self.region, &self.options)
    }
}

/// The AssumeRole part of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRequest {
    /// The role.
    pub arn: RoleArn,
    /// The role session name (shows in CloudTrail).
    pub session_name: RoleSessionName,
    /// The external ID the role's trust policy asks for, if any.
    pub external_id: Option<ExternalId>,
}

/// Something that turns long-term keys and an MFA code (or an MFA session) into a session.
pub trait Sts {
    /// Calls AssumeRole when the request names a role, else GetSessionToken.
    fn get_session(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError>;
}

/// Why STS gave no session. Each message is one sentence with a hint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StsError {
    /// Wrong, expired or reused code.
    #[error("STS rejected the MFA code: it is wrong, expired, or was already used (a code is good once per 30 s window); wait for the next code and run again")]
    CodeRejected,
    /// The serial is not a device of this user.
    #[error("STS could not check the code against MFA device {0}: it is not a device of the IAM user whose keys are in the source profile; check mfa_serial (IAM console > Security credentials > MFA)")]
    WrongSerial(String),
    /// Called with session credentials.
    #[error("STS refuses GetSessionToken with temporary credentials: the source profile's keys are a session, not an IAM user's long-term keys")]
    SessionCredentials,
    /// Unknown access key.
    #[error("STS does not know the source profile's access key (InvalidClientTokenId): it was deleted, deactivated or mistyped; check aws_access_key_id")]
    UnknownAccessKey,
    /// Wrong secret.
    #[error("STS rejected the signature (SignatureDoesNotMatch): the source profile's aws_secret_access_key does not belong to its access key, or the clock is off")]
    BadSignature,
    /// Signed at a time STS does not accept, even after the SDK signed it again with STS's
    /// clock (it learns it from the answer's `Date`); STS's words.
    #[error("STS refused the request as signed at the wrong time (SignatureDoesNotMatch: {0}): this computer's clock is more than 15 minutes off; set it right and run again")]
    ClockOff(String),
    /// Expired token.
    #[error("STS says the security token has expired (ExpiredToken): the source profile holds stale temporary credentials")]
    ExpiredToken,
    /// STS not activated in the region.
    #[error("STS is not activated in region {0} for this account (RegionDisabledException); activate it in IAM > Account settings, or {1}")]
    RegionDisabled(String, &'static str),
    /// Throttled, after retries.
    #[error("STS is throttling requests ({0}); wait a minute and run again")]
    Throttled(String),
    /// The role's trust policy does not let this user assume it (with this MFA).
    #[error("STS refused to let the source profile's user assume {0}: check the role ARN, and that the role's trust policy allows this user (with MFA); {1}")]
    RoleDenied(String, String),
    /// The session asked for is longer than the role allows.
    #[error("the session length asked for is longer than role {0} allows (its MaxSessionDuration); ask for less with -d 1h, or raise the role's maximum session duration in IAM")]
    RoleDurationTooLong(String),
    /// A request STS found invalid.
    #[error("STS rejected the request: {0}")]
    Invalid(String),
    /// Any other STS error.
    #[error("STS error {code}: {message}")]
    Service {
        /// Error code, or the HTTP status when there was none.
        code: String,
        /// Error message.
        message: String,
    },
    /// No answer in time.
    #[error("no answer from STS at {0} within {1} s: STS may have used the code, so wait for the next code before running again; check the network or --endpoint-url")]
    Timeout(String, u64),
    /// An HTTP error with no STS error in it: a proxy, a wrong endpoint, or STS in trouble.
    #[error("STS at {endpoint} answered HTTP {status} with no STS error in the answer: {likely}; STS may have used the code, so wait for the next code before running again")]
    Http {
        /// The endpoint.
        endpoint: String,
        /// `502 Bad Gateway`.
        status: String,
        /// What it likely means.
        likely: &'static str,
    },
    /// A server error from STS itself, after which the code may be spent.
    #[error("STS error {code}: {message}; STS may have used the code, so wait for the next code before running again")]
    ServerError {
        /// Error code.
        code: String,
        /// Error message.
        message: String,
    },
    /// Could not connect.
    #[error("cannot reach STS at {0}: {1}")]
    Unreachable(String, String),
    /// The connection broke after the request was sent.
    #[error("the connection to STS at {0} broke after the request was sent ({1}): STS may have used the code, so wait for the next code before running again")]
    Dropped(String, String),
    /// The endpoint's certificate is not signed by a trusted CA (or not for its name).
    #[error("cannot reach STS at {0}: {1}; the endpoint's certificate is not one mfa-profile trusts: behind a proxy or firewall that inspects TLS, point AWS_CA_BUNDLE (or ca_bundle in the source profile) at a file with its CA's certificate")]
    Untrusted(String, String),
    /// An answer that is not a valid STS response.
    #[error("STS at {0} sent a response that is not a valid GetSessionToken answer: {1}")]
    BadResponse(String, String),
}

impl StsError {
    /// Whether STS may have accepted (and so spent) the MFA code: it answered, or may have,
    /// with something other than a refusal made before the code is checked.
    pub fn may_have_spent_the_code(&self) -> bool {
        match self {
            StsError::Timeout(..)
            | StsError::Http { .. }
            | StsError::ServerError { .. }
            | StsError::Service { .. }
            | StsError::Dropped(..)
            | StsError::BadResponse(..) => true,
            StsError::CodeRejected
            | StsError::WrongSerial(_)
            | StsError::SessionCredentials
            | StsError::UnknownAccessKey
            | StsError::BadSignature
            | StsError::ClockOff(_)
            | StsError::ExpiredToken
            | StsError::RegionDisabled(..)
            | StsError::Throttled(_)
            | StsError::RoleDenied(..)
            | StsError::RoleDurationTooLong(_)
            | StsError::Invalid(_)
            | StsError::Unreachable(..)
            | StsError::Untrusted(..) => false,
        }
    }
}

pub(crate) fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException"
    )
}

/// An HTTP error answer without an STS error in it (an HTML page, an empty body).
pub(crate) fn http_error(endpoint: String, status: u16) -> StsError {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    let likely = match status {
        407 => "a proxy wants credentials of its own (check HTTPS_PROXY)",
        404 | 405 => "this is likely not an STS endpoint (check --endpoint-url)",
        502 | 504 => {
            "likely a proxy or gateway between you and STS (check HTTPS_PROXY and --endpoint-url)"
        }
        500..=599 => "STS, or something in front of it, is having trouble",
        _ => "likely a proxy or a wrong endpoint (check HTTPS_PROXY and --endpoint-url)",
    };
    StsError::Http {
        endpoint,
        status: format!("{status} {reason}").trim_end().to_owned(),
        likely,
    }
}

/// Maps an STS error code and message to an error with a hint.
pub fn classify_service_error(code: &str, message: &str, request: &SessionRequest) -> StsError {
    let lower = message.to_ascii_lowercase();
    match code {
        "AccessDenied" if lower.contains("invalid mfa one time pass code") => {
            StsError::CodeRejected
        }
        "AccessDenied" if lower.contains("unable to validate mfa") || lower.contains("serial") => {
            StsError::WrongSerial(request.serial().unwrap_or_default())
        }
        "AccessDenied" if lower.contains("session credentials") => StsError::SessionCredentials,
        "AccessDenied" if lower.contains("assumerole") => match &request.role {
            Some(role) => StsError::RoleDenied(role.arn.to_string(), message.to_owned()),
            None => StsError::Invalid(message.to_owned()),
        },
        "InvalidClientTokenId" => StsError::UnknownAccessKey,
        "SignatureDoesNotMatch"
            if lower.starts_with("signature expired")
                || lower.starts_with("signature not yet current") =>
        {
            StsError::ClockOff(message.to_owned())
        }
        "SignatureDoesNotMatch" => StsError::BadSignature,
        "ExpiredToken" | "ExpiredTokenException" => StsError::ExpiredToken,
        "RegionDisabledException" => StsError::RegionDisabled(
            request.region.to_string(),
            if request.region.as_str() == "us-east-1" {
                "use --region with a region where STS is active for the account"
            } else {
                "use --region us-east-1, where STS is always active"
            },
        ),
        code if is_throttling(code) => StsError::Throttled(code.to_owned()),
        "ValidationError" if lower.contains("maxsessionduration") => StsError::RoleDurationTooLong(
            request
                .role
                .as_ref()
                .map_or_else(String::new, |r| r.arn.to_string()),
        ),
        "ValidationError" => StsError::Invalid(message.to_owned()),
        "" => StsError::Service {
            code: "(no code)".into(),
            message: if message.is_empty() {
                "STS answered with an error and no message".into()
            } else {
                message.to_owned()
            },
        },
        _ => StsError::Service {
            code: code.to_owned(),
            message: message.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Network;
    use crate::input::keys::Secret;
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use aws_smithy_types::body::SdkBody;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn request() -> SessionRequest {
        SessionRequest {
            mfa: Some(MfaAnswer {
                serial: "arn:aws:iam::123456789012:mfa/alice".parse().unwrap(),
                code: "123456".parse().unwrap(),
            }),
            duration: SessionDuration::DEFAULT_ROLE,
            region: "eu-south-1".parse().unwrap(),
            endpoint: None,
            role: None,
            trust: TrustRoots::default(),
            options: CallOptions::default(),
        }
    }

    #[test]
    fn service_errors_get_hints() {
        let r = request();
        assert_eq!(
            classify_service_error(
                "AccessDenied",
                "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                &r
            ),
            StsError::CodeRejected
        );
        assert_eq!(
            classify_service_error("AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.", &r),
            StsError::WrongSerial(r.serial().unwrap())
        );
        assert_eq!(
            classify_service_error(
                "AccessDenied",
                "Cannot call GetSessionToken with session credentials",
                &r
            ),
            StsError::SessionCredentials
        );
        assert_eq!(
            classify_service_error("RegionDisabledException", "x", &r),
            StsError::RegionDisabled(
                "eu-south-1".into(),
                "use --region us-east-1, where STS is always active"
            )
        );
        assert_eq!(r.endpoint_shown(), "https://sts.eu-south-1.amazonaws.com");
        assert!(classify_service_error("Weird", "m", &r)
            .to_string()
            .contains("Weird: m"));
    }

    /// STS's words for a request signed at a time outside its 15 minutes are kept, and such
    /// a refusal never counts as a spent code (STS refuses it before it looks at the code).
    #[test]
    fn a_skewed_signature_keeps_stss_words_and_spends_no_code() {
        let words = "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T002000Z - 15 min.)";
        let error = classify_service_error("SignatureDoesNotMatch", words, &request());
        assert_eq!(error, StsError::ClockOff(words.into()));
        assert!(error.to_string().contains(words), "{error}");
        assert!(!error.may_have_spent_the_code());
        let ahead = "Signature not yet current: 20260101T010000Z is still later than 20260101T003500Z (20260101T002000Z + 15 min.)";
        assert!(matches!(
            classify_service_error("SignatureDoesNotMatch", ahead, &request()),
            StsError::ClockOff(_)
        ));
        assert_eq!(
            classify_service_error(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match",
                &request()
            ),
            StsError::BadSignature
        );
    }

    /// A response body that never ends, 64 KiB at a time.
    struct Endless;

    impl http_body::Body for Endless {
        type Data = bytes::Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
            let chunk = bytes::Bytes::from_static(&[b'<'; 64 * 1024]);
            std::task::Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
        }
    }

    fn keys() -> LongTermKeys {
        LongTermKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        }
    }

    /// A network whose every request `answer` answers, counting them.
    fn answering(
        answer: impl Fn(&http::Request<SdkBody>) -> http::Response<SdkBody> + Send + Sync + 'static,
    ) -> (Network, Arc<AtomicUsize>) {
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        let client = infallible_client_fn(move |request| {
            counted.fetch_add(1, Ordering::SeqCst);
            answer(&request)
        });
        (Network::answering_with(client), requests)
    }

    #[test]
    fn an_endless_response_is_cut_at_the_bound_and_not_retried() {
        let (network, requests) = answering(|_| {
            http::Response::builder()
                .status(200)
                .body(SdkBody::from_body_1_x(Endless))
                .unwrap()
        });
        let started = std::time::Instant::now();
        let error = SdkSts(&network)
            .get_session(Signer::LongTerm(&keys()), &request())
            .unwrap_err();
        assert!(
            matches!(&error, StsError::BadResponse(_, why) if why.contains("larger than 1 MiB")),
            "{error}"
        );
        assert_eq!(requests.load(Ordering::SeqCst), 1);
        assert!(
            started.elapsed() < crate::aws::ATTEMPT_TIMEOUT,
            "{:?}",
            started.elapsed()
        );
    }

    const ANSWER: &str = "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetSessionTokenResult><Credentials>\
<SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken><SecretAccessKey>wJalrXUtnFEMI/K7MDENG</SecretAccessKey>\
<Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\
</Credentials></GetSessionTokenResult></GetSessionTokenResponse>";

    #[test]
    fn an_answer_goes_through_the_sdks_parser_and_the_request_carries_the_code() {
        let sent = Arc::new(std::sync::Mutex::new(String::new()));
        let seen = Arc::clone(&sent);
        let (network, _) = answering(move |request| {
            let body = request.body().bytes().unwrap_or_default();
            *seen.lock().unwrap() = String::from_utf8_lossy(body).into_owned();
            http::Response::builder()
                .status(200)
                .body(SdkBody::from(ANSWER))
                .unwrap()
        });
        let session = SdkSts(&network)
            .get_session(Signer::LongTerm(&keys()), &request())
            .unwrap();
        assert_eq!(session.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(session.session_token.expose(), "FwoGZXIvYXdzEXAMPLE");
        assert_eq!(session.expires_at, 4_070_908_800);
        let form = sent.lock().unwrap().clone();
        for field in [
            "Action=GetSessionToken",
            "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice",
            "TokenCode=123456",
            "DurationSeconds=3600",
        ] {
            assert!(form.contains(field), "{form}");
        }
    }

    /// The user agent is the SDK's with `lib/mfa-profile/VERSION` appended, and `app/ID` for
    /// the app id of the environment or the source profile.
    #[test]
    fn the_user_agent_names_mfa_profile_and_the_app_id() {
        let agents = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = Arc::clone(&agents);
        let (network, _) = answering(move |request| {
            let header = |name| {
                request
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            seen.lock()
                .unwrap()
                .push((header("user-agent"), header("x-amz-user-agent")));
            http::Response::builder()
                .status(200)
                .body(SdkBody::from(ANSWER))
                .unwrap()
        });
        let mut with_app = request();
        with_app.options.app_id = Some("my-team".into());
        for request in [request(), with_app] {
            SdkSts(&network)
                .get_session(Signer::LongTerm(&keys()), &request)
                .unwrap();
        }
        let agents = agents.lock().unwrap().clone();
        let ours = concat!("lib/mfa-profile/", env!("CARGO_PKG_VERSION"));
        for (agent, amz_agent) in &agents {
            assert!(agent.contains(ours), "{agent}");
            assert!(amz_agent.contains(ours), "{amz_agent}");
            assert!(agent.contains("aws-sdk-rust/"), "{agent}");
        }
        assert!(!agents[0].0.contains("app/"), "{}", agents[0].0);
        assert!(agents[1].0.contains("app/my-team"), "{}", agents[1].0);
    }

    /// A server error comes after STS may have used the code: not sent again, the code counted
    /// as spent. A throttled request is sent again (three attempts in all), the code not spent.
    #[test]
    fn only_an_attempt_sts_cannot_have_seen_is_made_again() {
        let (network, requests) = answering(|_| {
            http::Response::builder()
                .status(500)
                .body(SdkBody::from(
                    "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>oops</Message></Error></ErrorResponse>",
                ))
                .unwrap()
        });
        let error = SdkSts(&network)
            .get_session(Signer::LongTerm(&keys()), &request())
            .unwrap_err();
        assert!(matches!(error, StsError::ServerError { .. }), "{error}");
        assert!(error.may_have_spent_the_code());
        assert_eq!(requests.load(Ordering::SeqCst), 1);
        let (throttled, requests) = answering(|_| {
            http::Response::builder()
                .status(400)
                .body(SdkBody::from(
                    "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
                ))
                .unwrap()
        });
        let error = SdkSts(&throttled)
            .get_session(Signer::LongTerm(&keys()), &request())
            .unwrap_err();
        assert!(matches!(error, StsError::Throttled(_)), "{error}");
        assert_eq!(requests.load(Ordering::SeqCst), 3);
    }
}
