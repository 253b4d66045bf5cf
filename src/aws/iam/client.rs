//! [`Iam`] on the AWS SDK: the IAM calls through the process's `aws_sdk_iam::Client`, and
//! GetCallerIdentity through its `aws_sdk_sts::Client` ([`Network`]), with the region, the
//! endpoints, the trusted certificates and the options of the command.
//!
//! Invariant: nothing here reads the environment; CreateAccessKey is sent once, the other
//! calls (which can be repeated without harm) as the SDK's standard retry allows; what IAM
//! returns as a new key is checked before it is handed on.

use super::{AccessKeyInfo, Caller, Iam, IamError, KeyStatus, LastUsed, Signer};
use crate::aws::sts::TrustRoots;
use crate::aws::{self, CallOptions, Failure, Network, Resend, Route, CALL_TIMEOUT};
use crate::input::keys::{LongTermKeys, Secret};
use crate::input::{check_secret, AccessKeyId, EndpointUrl, Region};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::future::Future;

/// IAM and GetCallerIdentity through the network of the process.
#[derive(Debug)]
pub struct SdkIam<'a> {
    network: &'a Network,
    region: Region,
    sts_endpoint: Option<EndpointUrl>,
    iam_endpoint: Option<EndpointUrl>,
    /// The certificates an https endpoint is trusted by.
    trust: TrustRoots,
    options: CallOptions,
}

/// Which service a call goes to.
#[derive(Clone, Copy)]
enum Service {
    Iam,
    Sts,
}

impl<'a> SdkIam<'a> {
    /// Calls for `region` (IAM's partition, and STS's regional endpoint), to the given
    /// endpoints or AWS's own, through `network`.
    pub fn new(
        network: &'a Network,
        region: Region,
        sts_endpoint: Option<EndpointUrl>,
        iam_endpoint: Option<EndpointUrl>,
        trust: TrustRoots,
        options: CallOptions,
    ) -> SdkIam<'a> {
        SdkIam {
            network,
            region,
            sts_endpoint,
            iam_endpoint,
            trust,
            options,
        }
    }

    fn route(&self, service: Service) -> Route<'_> {
        Route {
            region: &self.region,
            endpoint: match service {
                Service::Iam => self.iam_endpoint.as_ref(),
                Service::Sts => self.sts_endpoint.as_ref(),
            },
            options: &self.options,
            trust: &self.trust,
        }
    }

    /// Where calls to `service` go, for messages.
    fn endpoint_shown(&self, service: Service) -> String {
        match service {
            Service::Iam => self.iam_endpoint.as_ref().map_or_else(
                || aws::iam_url(&self.region, &self.options),
                ToString::to_string,
            ),
            Service::Sts => crate::aws::sts::endpoint_shown(
                self.sts_endpoint.as_ref(),
                &self.region,
                &self.options,
            ),
        }
    }

    /// Runs the call `send` makes (given the HTTP client of the route), as one [`IamError`]
    /// when it fails.
    fn run<T, E, F>(
        &self,
        service: Service,
        action: &'static str,
        send: impl FnOnce(aws_smithy_runtime_api::client::http::SharedHttpClient) -> F,
    ) -> Result<T, IamError>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: std::error::Error + ProvideErrorMetadata + 'static,
    {
        let route = self.route(service);
        let unreachable = |why: String| IamError::Unreachable {
            action,
            endpoint: self.endpoint_shown(service),
            why,
        };
        let http = self.network.http_client(&route).map_err(unreachable)?;
        let via = self.network.proxies().hint(route.is_plain_http());
        self.network
            .block_on(send(http))
            .map_err(unreachable)?
            .map_err(|error| self.failed(service, action, &error, via.as_deref()))
    }

    fn failed<E>(
        &self,
        service: Service,
        action: &'static str,
        error: &SdkError<E, HttpResponse>,
        via: Option<&str>,
    ) -> IamError
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
    {
        let endpoint = self.endpoint_shown(service);
        match Failure::of(error, via) {
            Failure::NotSent(why) | Failure::Dropped(why) => IamError::Unreachable {
                action,
                endpoint,
                why,
            },
            Failure::Untrusted(why) => IamError::Unreachable {
                action,
                endpoint,
                why: format!(
                    "{why}; the endpoint's certificate is not one mfa-profile trusts: behind a proxy or firewall that inspects TLS, point AWS_CA_BUNDLE at a file with its CA's certificate"
                ),
            },
            Failure::Timeout => IamError::Timeout {
                action,
                endpoint,
                secs: CALL_TIMEOUT.as_secs(),
            },
            Failure::TooLarge => IamError::BadResponse {
                action,
                endpoint,
                why: "it is larger than 1 MiB, which no IAM answer is".into(),
            },
            Failure::BadAnswer(why) => IamError::BadResponse {
                action,
                endpoint,
                why,
            },
            Failure::Service { code, message, .. } => super::classify(action, &code, &message),
        }
    }

    fn iam_config<E>(
        &self,
        http: aws_smithy_runtime_api::client::http::SharedHttpClient,
        signer: Signer<'_>,
        resend: Resend,
    ) -> aws_sdk_iam::config::Builder
    where
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        aws::iam_call::<E>(
            &self.route(Service::Iam),
            http,
            signer.credentials(),
            resend,
        )
    }

    fn bad_key(&self, action: &'static str, why: &str) -> IamError {
        IamError::BadResponse {
            action,
            endpoint: self.endpoint_shown(Service::Iam),
            why: why.to_owned(),
        }
    }
}

/// Epoch seconds of an SDK timestamp.
fn secs(time: &aws_smithy_types::DateTime) -> i64 {
    time.secs()
}

impl Iam for SdkIam<'_> {
    fn caller(&self, signer: Signer) -> Result<Caller, IamError> {
        use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
        const ACTION: &str = "GetCallerIdentity";
        let client = self.network.sts();
        let route = self.route(Service::Sts);
        let output = self.run(Service::Sts, ACTION, |http| {
            let config = aws::sts_call::<GetCallerIdentityError>(
                &route,
                http,
                signer.credentials(),
                Resend::Standard,
            );
            client
                .get_caller_identity()
                .customize()
                .config_override(config)
                .send()
        })?;
        match (output.arn, output.account) {
            (Some(arn), Some(account)) if !arn.is_empty() => Ok(Caller { arn, account }),
            _ => Err(IamError::BadResponse {
                action: ACTION,
                endpoint: self.endpoint_shown(Service::Sts),
                why: "it names no ARN or account".into(),
            }),
        }
    }

    fn access_keys(&self, signer: Signer, user: &str) -> Result<Vec<AccessKeyInfo>, IamError> {
        use aws_sdk_iam::operation::list_access_keys::ListAccessKeysError;
        let client = self.network.iam();
        let output = self.run(Service::Iam, "ListAccessKeys", |http| {
            client
                .list_access_keys()
                .user_name(user)
                .customize()
                .config_override(self.iam_config::<ListAccessKeysError>(
                    http,
                    signer,
                    Resend::Standard,
                ))
                .send()
        })?;
        Ok(output
            .access_key_metadata
            .into_iter()
            .filter_map(|key| {
                Some(AccessKeyInfo {
                    id: key.access_key_id?,
                    status: match key.status {
                        Some(aws_sdk_iam::types::StatusType::Active) => KeyStatus::Active,
                        _ => KeyStatus::Inactive,
                    },
                    created: key.create_date.as_ref().map(secs),
                })
            })
            .collect())
    }

    fn create_access_key(&self, signer: Signer, user: &str) -> Result<LongTermKeys, IamError> {
        use aws_sdk_iam::operation::create_access_key::CreateAccessKeyError;
        const ACTION: &str = "CreateAccessKey";
        let client = self.network.iam();
        let output = self.run(Service::Iam, ACTION, |http| {
            client
                .create_access_key()
                .user_name(user)
                .customize()
                .config_override(self.iam_config::<CreateAccessKeyError>(
                    http,
                    signer,
                    Resend::Never,
                ))
                .send()
        })?;
        let key = output
            .access_key
            .ok_or_else(|| self.bad_key(ACTION, "it holds no key"))?;
        let secret = Secret::new(key.secret_access_key);
        let id: AccessKeyId = key.access_key_id.parse().map_err(|_| {
            self.bad_key(
                ACTION,
                "its access key id is not AKIA and 16 or more of A-Z 0-9",
            )
        })?;
        check_secret(secret.expose()).map_err(|_| {
            self.bad_key(
                ACTION,
                "its secret access key is not 1 to 128 base64 characters",
            )
        })?;
        Ok(LongTermKeys {
            access_key_id: id.to_string(),
            secret_access_key: secret,
        })
    }

    fn deactivate_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError> {
        use aws_sdk_iam::operation::update_access_key::UpdateAccessKeyError;
        let client = self.network.iam();
        self.run(Service::Iam, "UpdateAccessKey", |http| {
            client
                .update_access_key()
                .user_name(user)
                .access_key_id(id)
                .status(aws_sdk_iam::types::StatusType::Inactive)
                .customize()
                .config_override(self.iam_config::<UpdateAccessKeyError>(
                    http,
                    signer,
                    Resend::Standard,
                ))
                .send()
        })
        .map(|_| ())
    }

    fn delete_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError> {
        use aws_sdk_iam::operation::delete_access_key::DeleteAccessKeyError;
        let client = self.network.iam();
        self.run(Service::Iam, "DeleteAccessKey", |http| {
            client
                .delete_access_key()
                .user_name(user)
                .access_key_id(id)
                .customize()
                .config_override(self.iam_config::<DeleteAccessKeyError>(
                    http,
                    signer,
                    Resend::Standard,
                ))
                .send()
        })
        .map(|_| ())
    }

    fn last_used(&self, signer: Signer, id: &str) -> Result<LastUsed, IamError> {
        use aws_sdk_iam::operation::get_access_key_last_used::GetAccessKeyLastUsedError;
        let client = self.network.iam();
        let output = self.run(Service::Iam, "GetAccessKeyLastUsed", |http| {
            client
                .get_access_key_last_used()
                .access_key_id(id)
                .customize()
                .config_override(self.iam_config::<GetAccessKeyLastUsedError>(
                    http,
                    signer,
                    Resend::Standard,
                ))
                .send()
        })?;
        Ok(output
            .access_key_last_used
            .map(|used| LastUsed {
                when: used.last_used_date.as_ref().map(secs),
                service: used.service_name,
                region: used.region,
            })
            .unwrap_or_default())
    }

    fn mfa_devices(&self, signer: Signer, user: &str) -> Result<Vec<String>, IamError> {
        use aws_sdk_iam::operation::list_mfa_devices::ListMFADevicesError;
        let client = self.network.iam();
        let output = self.run(Service::Iam, "ListMFADevices", |http| {
            client
                .list_mfa_devices()
                .user_name(user)
                .customize()
                .config_override(self.iam_config::<ListMFADevicesError>(
                    http,
                    signer,
                    Resend::Standard,
                ))
                .send()
        })?;
        Ok(output
            .mfa_devices
            .into_iter()
            .map(|device| device.serial_number)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use aws_smithy_types::body::SdkBody;

    fn keys() -> LongTermKeys {
        LongTermKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        }
    }

    fn network(status: u16, body: &'static str) -> Network {
        Network::answering_with(infallible_client_fn(move |_| {
            http::Response::builder()
                .status(status)
                .body(SdkBody::from(body))
                .unwrap()
        }))
    }

    fn iam(network: &Network) -> SdkIam<'_> {
        SdkIam::new(
            network,
            "us-east-1".parse().unwrap(),
            None,
            None,
            TrustRoots::default(),
            CallOptions::default(),
        )
    }

    #[test]
    fn a_created_key_goes_through_the_parser_and_our_checks() {
        let body = "<CreateAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateAccessKeyResult><AccessKey>\
<UserName>alice</UserName><AccessKeyId>AKIANEWKEYEXAMPLE123</AccessKeyId><Status>Active</Status>\
<SecretAccessKey>newSecret/EXAMPLE+key0123456789abcdefghij</SecretAccessKey><CreateDate>2026-01-01T00:00:00Z</CreateDate>\
</AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>";
        let net = network(200, body);
        let key = iam(&net)
            .create_access_key(Signer::LongTerm(&keys()), "alice")
            .unwrap();
        assert_eq!(key.access_key_id, "AKIANEWKEYEXAMPLE123");
        let hostile = "<CreateAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateAccessKeyResult><AccessKey>\
<UserName>alice</UserName><AccessKeyId>AKIANEWKEYEXAMPLE123</AccessKeyId><Status>Active</Status>\
<SecretAccessKey>abc$(id)def</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>";
        let net = network(200, hostile);
        let error = iam(&net)
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
        let net = network(409, body);
        let error = iam(&net)
            .create_access_key(Signer::LongTerm(&keys()), "alice")
            .unwrap_err();
        assert!(
            matches!(&error, IamError::LimitExceeded { message, .. } if message.contains("AccessKeysPerUser")),
            "{error}"
        );
    }

    #[test]
    fn listed_keys_and_devices_are_read_member_by_member() {
        let keys_body = "<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListAccessKeysResult>\
<AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIAONEEXAMPLE000001</AccessKeyId>\
<Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>\
<member><UserName>alice</UserName><AccessKeyId>AKIATWOEXAMPLE000002</AccessKeyId>\
<Status>Inactive</Status><CreateDate>2026-02-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>\
<IsTruncated>false</IsTruncated></ListAccessKeysResult></ListAccessKeysResponse>";
        let net = network(200, keys_body);
        let keys_found = iam(&net)
            .access_keys(Signer::LongTerm(&keys()), "alice")
            .unwrap();
        assert_eq!(
            keys_found,
            vec![
                AccessKeyInfo {
                    id: "AKIAONEEXAMPLE000001".into(),
                    status: KeyStatus::Active,
                    created: Some(1_767_225_600),
                },
                AccessKeyInfo {
                    id: "AKIATWOEXAMPLE000002".into(),
                    status: KeyStatus::Inactive,
                    created: Some(1_769_904_000),
                },
            ]
        );
        let devices_body = "<ListMFADevicesResponse><ListMFADevicesResult><MFADevices>\
<member><UserName>alice</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber></member>\
<member><SerialNumber>GAHT12345678</SerialNumber></member></MFADevices><IsTruncated>false</IsTruncated>\
</ListMFADevicesResult></ListMFADevicesResponse>";
        let net = network(200, devices_body);
        assert_eq!(
            iam(&net)
                .mfa_devices(Signer::LongTerm(&keys()), "alice")
                .unwrap(),
            vec!["arn:aws:iam::123456789012:mfa/alice", "GAHT12345678"]
        );
        let used_body =
            "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>alice</UserName>\
<AccessKeyLastUsed><Region>N/A</Region><ServiceName>N/A</ServiceName></AccessKeyLastUsed>\
</GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>";
        let net = network(200, used_body);
        let used = iam(&net)
            .last_used(Signer::LongTerm(&keys()), "AKIAONEEXAMPLE000001")
            .unwrap();
        assert_eq!((used.when, used.service.as_str()), (None, "N/A"));
        let caller_body = "<GetCallerIdentityResponse><GetCallerIdentityResult>\
<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>\
</GetCallerIdentityResult></GetCallerIdentityResponse>";
        let net = network(200, caller_body);
        let caller = iam(&net).caller(Signer::LongTerm(&keys())).unwrap();
        assert_eq!(caller.user_name(), Some("alice"));
        let net = network(200, "<GetCallerIdentityResponse/>");
        let nameless = iam(&net).caller(Signer::LongTerm(&keys())).unwrap_err();
        assert!(
            matches!(nameless, IamError::BadResponse { .. }),
            "{nameless}"
        );
    }

    /// An answer to another action is no answer (the SDK's reader says why).
    #[test]
    fn an_answer_to_another_action_is_refused() {
        let net = network(200, "<CreateAccessKeyResponse/>");
        let error = iam(&net)
            .access_keys(Signer::LongTerm(&keys()), "alice")
            .unwrap_err();
        assert!(matches!(error, IamError::BadResponse { .. }), "{error}");
    }

    #[test]
    fn a_server_error_page_is_one_sentence() {
        let net = network(503, "<html>Service Unavailable</html>");
        let error = iam(&net)
            .delete_access_key(Signer::LongTerm(&keys()), "alice", "AKIAONEEXAMPLE000001")
            .unwrap_err();
        assert!(
            matches!(&error, IamError::Service { code, .. } if code == "(no code)"),
            "{error}"
        );
    }
}
