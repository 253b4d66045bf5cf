//! [`Iam`] on the AWS SDK for Rust: `aws-sdk-iam` for the user's keys and devices,
//! `aws-sdk-sts` for GetCallerIdentity, each client built from its own config builder with
//! the settings of the STS client (region, endpoint, timeouts, the response bound).
//!
//! Invariant: no client reads the environment; CreateAccessKey makes one attempt; what IAM
//! returns as a new key is checked before it is handed on.

use super::{AccessKeyInfo, Caller, Iam, IamError, KeyStatus, LastUsed, Signer};
use crate::input::{check_secret, AccessKeyId, EndpointUrl, Region};
use crate::keys::{LongTermKeys, Secret};
use crate::sts::{
    http, is_throttling, is_too_large, root_cause, timeouts, BoundedResponse, NoRetryWhenTooLarge,
    TrustRoots, CALL_TIMEOUT,
};
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::config::retry::RetryConfig;
use aws_sdk_sts::config::{BehaviorVersion, SharedHttpClient};
use std::future::Future;
use std::sync::OnceLock;

/// IAM and GetCallerIdentity through the AWS SDK.
#[derive(Clone, Debug)]
pub struct SdkIam {
    region: Region,
    sts_endpoint: Option<EndpointUrl>,
    iam_endpoint: Option<EndpointUrl>,
    /// The certificates an https endpoint is trusted by.
    trust: TrustRoots,
    /// Tests put a canned answer here; `None`: [`crate::sts::http::client`] for the endpoint.
    http_client: Option<SharedHttpClient>,
    /// The clients [`http::client`] built, on first use, for a TLS endpoint (`[0]`) and a plain
    /// http one (`[1]`): a rotation makes a dozen calls, and each would parse the CA bundle.
    built: [OnceLock<Result<SharedHttpClient, String>>; 2],
}

impl SdkIam {
    /// Calls for `region` (IAM's partition, and STS's regional endpoint), to the given
    /// endpoints or AWS's own.
    pub fn new(
        region: Region,
        sts_endpoint: Option<EndpointUrl>,
        iam_endpoint: Option<EndpointUrl>,
        trust: TrustRoots,
    ) -> SdkIam {
        SdkIam {
            region,
            sts_endpoint,
            iam_endpoint,
            trust,
            http_client: None,
            built: Default::default(),
        }
    }

    /// The same, through `http_client` instead of the network.
    pub fn with_http_client(self, http_client: SharedHttpClient) -> SdkIam {
        SdkIam {
            http_client: Some(http_client),
            ..self
        }
    }

    fn iam_shown(&self) -> String {
        self.iam_endpoint
            .as_ref()
            .map_or_else(|| "https://iam.amazonaws.com".into(), ToString::to_string)
    }

    fn sts_shown(&self) -> String {
        crate::sts::endpoint_shown(self.sts_endpoint.as_ref(), &self.region)
    }

    /// The HTTP client for `endpoint` (AWS's own: `None`); `Err` says why TLS cannot be set up.
    fn http_client_for(&self, endpoint: Option<&EndpointUrl>) -> Result<SharedHttpClient, String> {
        if let Some(client) = &self.http_client {
            return Ok(client.clone());
        }
        let plain_http = endpoint.is_some_and(EndpointUrl::is_plain_http);
        self.built[usize::from(plain_http)]
            .get_or_init(|| http::client(plain_http, &self.trust))
            .clone()
    }

    /// What a client that cannot be built (TLS not set up) says for `action`.
    fn unreachable(
        &self,
        action: &'static str,
        endpoint: String,
    ) -> impl FnOnce(String) -> IamError {
        move |why| IamError::Unreachable {
            action,
            endpoint,
            why,
        }
    }

    fn iam_client(
        &self,
        signer: Signer,
        retries: bool,
        action: &'static str,
    ) -> Result<aws_sdk_iam::Client, IamError> {
        let mut config = aws_sdk_iam::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_types::region::Region::new(self.region.to_string()))
            .credentials_provider(signer.credentials())
            .timeout_config(timeouts())
            .retry_config(retry_config(retries))
            .interceptor(BoundedResponse)
            .retry_classifier(NoRetryWhenTooLarge);
        let http_client = self
            .http_client_for(self.iam_endpoint.as_ref())
            .map_err(self.unreachable(action, self.iam_shown()))?;
        config = config.http_client(http_client);
        if let Some(url) = &self.iam_endpoint {
            config = config.endpoint_url(url.as_str());
        }
        Ok(aws_sdk_iam::Client::from_conf(config.build()))
    }

    fn sts_client(
        &self,
        signer: Signer,
        action: &'static str,
    ) -> Result<aws_sdk_sts::Client, IamError> {
        let mut config = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_types::region::Region::new(self.region.to_string()))
            .credentials_provider(signer.credentials())
            .timeout_config(timeouts())
            .retry_config(retry_config(true))
            .interceptor(BoundedResponse)
            .retry_classifier(NoRetryWhenTooLarge);
        let http_client = self
            .http_client_for(self.sts_endpoint.as_ref())
            .map_err(self.unreachable(action, self.sts_shown()))?;
        config = config.http_client(http_client);
        if let Some(url) = &self.sts_endpoint {
            config = config.endpoint_url(url.as_str());
        }
        Ok(aws_sdk_sts::Client::from_conf(config.build()))
    }

    /// Runs one call on a runtime of its own.
    fn block_on<T>(
        &self,
        action: &'static str,
        endpoint: String,
        call: impl Future<Output = Result<T, IamError>>,
    ) -> Result<T, IamError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| IamError::Unreachable {
                action,
                endpoint,
                why: e.to_string(),
            })?;
        runtime.block_on(call)
    }
}

fn retry_config(retries: bool) -> RetryConfig {
    if retries {
        RetryConfig::standard().with_max_attempts(3)
    } else {
        RetryConfig::disabled()
    }
}

/// Epoch seconds of an SDK timestamp.
fn secs(time: Option<&aws_smithy_types::DateTime>) -> Option<i64> {
    time.map(aws_smithy_types::DateTime::secs)
}

impl Iam for SdkIam {
    fn caller(&self, signer: Signer) -> Result<Caller, IamError> {
        const ACTION: &str = "GetCallerIdentity";
        let endpoint = self.sts_shown();
        let client = self.sts_client(signer, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            let out = client
                .get_caller_identity()
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            match (out.arn(), out.account()) {
                (Some(arn), Some(account)) if !arn.is_empty() => Ok(Caller {
                    arn: arn.to_owned(),
                    account: account.to_owned(),
                }),
                _ => Err(IamError::BadResponse {
                    action: ACTION,
                    endpoint,
                    why: "it names no ARN or account".into(),
                }),
            }
        })
    }

    fn access_keys(&self, signer: Signer, user: &str) -> Result<Vec<AccessKeyInfo>, IamError> {
        const ACTION: &str = "ListAccessKeys";
        let endpoint = self.iam_shown();
        let client = self.iam_client(signer, true, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            let out = client
                .list_access_keys()
                .user_name(user)
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            Ok(out
                .access_key_metadata()
                .iter()
                .filter_map(|key| {
                    Some(AccessKeyInfo {
                        id: key.access_key_id()?.to_owned(),
                        status: match key.status() {
                            Some(aws_sdk_iam::types::StatusType::Active) => KeyStatus::Active,
                            _ => KeyStatus::Inactive,
                        },
                        created: secs(key.create_date()),
                    })
                })
                .collect())
        })
    }

    fn create_access_key(&self, signer: Signer, user: &str) -> Result<LongTermKeys, IamError> {
        const ACTION: &str = "CreateAccessKey";
        let endpoint = self.iam_shown();
        let client = self.iam_client(signer, false, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            let out = client
                .create_access_key()
                .user_name(user)
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            let bad = |why: &str| IamError::BadResponse {
                action: ACTION,
                endpoint: endpoint.clone(),
                why: why.to_owned(),
            };
            let key = out.access_key().ok_or_else(|| bad("it holds no key"))?;
            let id: AccessKeyId = key
                .access_key_id()
                .parse()
                .map_err(|_| bad("its access key id is not AKIA and 16 or more of A-Z 0-9"))?;
            check_secret(key.secret_access_key())
                .map_err(|_| bad("its secret access key is not 1 to 128 base64 characters"))?;
            Ok(LongTermKeys {
                access_key_id: id.to_string(),
                secret_access_key: Secret::new(key.secret_access_key()),
            })
        })
    }

    fn deactivate_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError> {
        const ACTION: &str = "UpdateAccessKey";
        let endpoint = self.iam_shown();
        let client = self.iam_client(signer, true, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            client
                .update_access_key()
                .user_name(user)
                .access_key_id(id)
                .status(aws_sdk_iam::types::StatusType::Inactive)
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            Ok(())
        })
    }

    fn delete_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError> {
        const ACTION: &str = "DeleteAccessKey";
        let endpoint = self.iam_shown();
        let client = self.iam_client(signer, true, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            client
                .delete_access_key()
                .user_name(user)
                .access_key_id(id)
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            Ok(())
        })
    }

    fn last_used(&self, signer: Signer, id: &str) -> Result<LastUsed, IamError> {
        const ACTION: &str = "GetAccessKeyLastUsed";
        let endpoint = self.iam_shown();
        let client = self.iam_client(signer, true, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            let out = client
                .get_access_key_last_used()
                .access_key_id(id)
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            Ok(out
                .access_key_last_used()
                .map(|used| LastUsed {
                    when: secs(used.last_used_date()),
                    service: used.service_name().to_owned(),
                    region: used.region().to_owned(),
                })
                .unwrap_or_default())
        })
    }

    fn mfa_devices(&self, signer: Signer, user: &str) -> Result<Vec<String>, IamError> {
        const ACTION: &str = "ListMFADevices";
        let endpoint = self.iam_shown();
        let client = self.iam_client(signer, true, ACTION)?;
        self.block_on(ACTION, endpoint.clone(), async move {
            let out = client
                .list_mfa_devices()
                .user_name(user)
                .send()
                .await
                .map_err(|e| map_error(e, ACTION, &endpoint))?;
            Ok(out
                .mfa_devices()
                .iter()
                .map(|device| device.serial_number().to_owned())
                .collect())
        })
    }
}

fn map_error<E, R>(error: SdkError<E, R>, action: &'static str, endpoint: &str) -> IamError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let endpoint = endpoint.to_owned();
    if is_too_large(&error) {
        return IamError::BadResponse {
            action,
            endpoint,
            why: crate::sts::TooLarge.to_string(),
        };
    }
    match &error {
        SdkError::ServiceError(service) => {
            let err = service.err();
            classify(
                action,
                err.code().unwrap_or_default(),
                err.message().unwrap_or_default(),
            )
        }
        SdkError::TimeoutError(_) => IamError::Timeout {
            action,
            endpoint,
            secs: CALL_TIMEOUT.as_secs(),
        },
        SdkError::DispatchFailure(failure) if failure.is_timeout() => IamError::Timeout {
            action,
            endpoint,
            secs: CALL_TIMEOUT.as_secs(),
        },
        SdkError::DispatchFailure(failure) => IamError::Unreachable {
            action,
            endpoint,
            why: root_cause(
                failure
                    .as_connector_error()
                    .map(|e| e as &(dyn std::error::Error + 'static)),
            ),
        },
        SdkError::ResponseError(_) => IamError::BadResponse {
            action,
            endpoint,
            why: root_cause(std::error::Error::source(&error)),
        },
        other => IamError::Unreachable {
            action,
            endpoint,
            why: root_cause(Some(other)),
        },
    }
}

/// An error code and message, as one [`IamError`].
pub(super) fn classify(action: &'static str, code: &str, message: &str) -> IamError {
    let message = message.to_owned();
    match code {
        "AccessDenied" | "AccessDeniedException" => IamError::AccessDenied { action, message },
        "LimitExceeded" => IamError::LimitExceeded { action, message },
        "NoSuchEntity" => IamError::NoSuchEntity { action, message },
        "InvalidClientTokenId" => IamError::UnknownKey { action },
        "SignatureDoesNotMatch" => IamError::BadSignature { action },
        "ExpiredToken" | "ExpiredTokenException" => IamError::ExpiredToken { action },
        code if is_throttling(code) => IamError::Throttled {
            action,
            code: code.to_owned(),
        },
        "" => IamError::Service {
            action,
            code: "(no code)".into(),
            message: if message.is_empty() {
                "AWS answered with an error and no message".into()
            } else {
                message
            },
        },
        _ => IamError::Service {
            action,
            code: code.to_owned(),
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sts::canned::CannedAnswer;

    fn keys() -> LongTermKeys {
        LongTermKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        }
    }

    fn canned(status: u16, body: &'static str) -> SdkIam {
        SdkIam::new(
            "us-east-1".parse().unwrap(),
            None,
            None,
            TrustRoots::default(),
        )
        .with_http_client(CannedAnswer::client(status, move || body.into()))
    }

    #[test]
    fn a_created_key_goes_through_the_sdks_parser_and_our_checks() {
        let body = "<CreateAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateAccessKeyResult><AccessKey>\
<UserName>alice</UserName><AccessKeyId>AKIANEWKEYEXAMPLE123</AccessKeyId><Status>Active</Status>\
<SecretAccessKey>newSecret/EXAMPLE+key0123456789abcdefghij</SecretAccessKey><CreateDate>2026-01-01T00:00:00Z</CreateDate>\
</AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>";
        let key = canned(200, body)
            .create_access_key(Signer::LongTerm(&keys()), "alice")
            .unwrap();
        assert_eq!(key.access_key_id, "AKIANEWKEYEXAMPLE123");
        let hostile = "<CreateAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateAccessKeyResult><AccessKey>\
<UserName>alice</UserName><AccessKeyId>AKIANEWKEYEXAMPLE123</AccessKeyId><Status>Active</Status>\
<SecretAccessKey>abc$(id)def</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>";
        let error = canned(200, hostile)
            .create_access_key(Signer::LongTerm(&keys()), "alice")
            .unwrap_err()
            .to_string();
        assert!(error.contains("not 1 to 128 base64"), "{error}");
        assert!(!error.contains("$(id)"), "{error}");
    }

    #[test]
    fn iam_error_xml_becomes_one_sentence() {
        let body = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
<Code>LimitExceeded</Code><Message>Cannot exceed quota for AccessKeysPerUser: 2</Message></Error>\
<RequestId>4a3c5b8e-EXAMPLE</RequestId></ErrorResponse>";
        let error = canned(409, body)
            .create_access_key(Signer::LongTerm(&keys()), "alice")
            .unwrap_err();
        assert!(
            matches!(&error, IamError::LimitExceeded { message, .. } if message.contains("AccessKeysPerUser")),
            "{error}"
        );
    }
}
