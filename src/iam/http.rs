//! [`Iam`] over HTTP(S) with no SDK client: each call one signed Query POST
//! ([`crate::query::post`]) to IAM (or, for GetCallerIdentity, to STS), with the STS client's
//! settings: region, endpoints, trusted certificates, timeouts and the response bound.
//!
//! Invariant: nothing here reads the environment; CreateAccessKey makes one attempt, the other
//! calls (which can be repeated without harm) up to three, after an attempt that failed in
//! transit, was throttled or met a server error; what IAM returns as a new key is checked
//! before it is handed on.

use super::endpoint::own_endpoint;
use super::{AccessKeyInfo, Caller, Iam, IamError, KeyStatus, LastUsed, Signer};
use crate::input::{check_secret, AccessKeyId, EndpointUrl, Region};
use crate::keys::{LongTermKeys, Secret};
use crate::query::xml::{self, name_of, text, ScopedDecoder, XmlDecodeError};
use crate::query::{self, Call, Failed, PostError, Target};
use crate::sts::{http, is_throttling, TrustRoots, ATTEMPT_TIMEOUT, CALL_TIMEOUT};
use aws_smithy_runtime_api::client::http::SharedHttpConnector;
use aws_smithy_types::date_time::{DateTime, Format};
use std::sync::OnceLock;

/// IAM's API version.
const IAM_VERSION: &str = "2010-05-08";
/// STS's API version.
const STS_VERSION: &str = "2011-06-15";
/// Attempts at most, for a call that may be repeated.
const MAX_ATTEMPTS: u32 = 3;

/// IAM and GetCallerIdentity over HTTP(S).
#[derive(Debug)]
pub struct HttpIam {
    region: Region,
    sts_endpoint: Option<EndpointUrl>,
    iam_endpoint: Option<EndpointUrl>,
    /// The certificates an https endpoint is trusted by.
    trust: TrustRoots,
    /// The proxies the environment names.
    proxies: http::Proxies,
    /// Tests put a canned answer here; `None`: [`http::connector`] for the endpoint.
    connector: Option<SharedHttpConnector>,
    /// The connectors [`http::connector`] built, on first use, for a TLS endpoint (`[0]`) and a
    /// plain http one (`[1]`): a rotation makes a dozen calls, and each would parse the CA
    /// bundle.
    built: [OnceLock<Result<SharedHttpConnector, String>>; 2],
}

/// Which service a call goes to.
#[derive(Clone, Copy)]
enum Service {
    Iam,
    Sts,
}

impl HttpIam {
    /// Calls for `region` (IAM's partition, and STS's regional endpoint), to the given
    /// endpoints or AWS's own.
    pub fn new(
        region: Region,
        sts_endpoint: Option<EndpointUrl>,
        iam_endpoint: Option<EndpointUrl>,
        trust: TrustRoots,
    ) -> HttpIam {
        HttpIam {
            region,
            sts_endpoint,
            iam_endpoint,
            trust,
            proxies: http::Proxies::default(),
            connector: None,
            built: Default::default(),
        }
    }

    /// The same, through the proxies `proxies` names.
    pub fn through(self, proxies: http::Proxies) -> HttpIam {
        HttpIam { proxies, ..self }
    }

    /// The same, through `connector` instead of the network.
    pub fn with_connector(self, connector: SharedHttpConnector) -> HttpIam {
        HttpIam {
            connector: Some(connector),
            ..self
        }
    }

    /// Where calls to `service` go, the region they are signed for, and whether the endpoint
    /// is plain http.
    fn route(&self, service: Service) -> (String, &str, bool) {
        let custom = match service {
            Service::Iam => self.iam_endpoint.as_ref(),
            Service::Sts => self.sts_endpoint.as_ref(),
        };
        let plain_http = custom.is_some_and(EndpointUrl::is_plain_http);
        match service {
            Service::Iam => {
                let (own, signing_region) = own_endpoint(&self.region);
                let url = custom.map_or_else(|| own.to_owned(), ToString::to_string);
                (url, signing_region, plain_http)
            }
            Service::Sts => (
                crate::sts::endpoint_shown(custom, &self.region),
                self.region.as_str(),
                plain_http,
            ),
        }
    }

    /// The connector for an endpoint; `Err` says why TLS cannot be set up.
    fn connector_for(&self, plain_http: bool) -> Result<SharedHttpConnector, String> {
        if let Some(connector) = &self.connector {
            return Ok(connector.clone());
        }
        self.built[usize::from(plain_http)]
            .get_or_init(|| http::connector(plain_http, &self.trust, &self.proxies))
            .clone()
    }

    /// `action` with `fields`, signed by `signer`, its result read by `read`; repeated after a
    /// failure in transit when `repeatable`.
    fn call<T>(
        &self,
        service: Service,
        signer: Signer,
        action: &'static str,
        fields: &[(&str, &str)],
        repeatable: bool,
        read: impl Fn(Option<&mut ScopedDecoder<'_, '_>>) -> Result<T, XmlDecodeError>,
    ) -> Result<T, IamError> {
        let (endpoint, signing_region, plain_http) = self.route(service);
        let unreachable = |why: String| IamError::Unreachable {
            action,
            endpoint: endpoint.clone(),
            why,
        };
        let connector = self.connector_for(plain_http).map_err(unreachable)?;
        let target = Target::of(&endpoint).ok_or_else(|| unreachable("not a URL".into()))?;
        let form = query::form(action, service.version(), fields);
        let via = self.proxies.hint(plain_http);
        let call = Call {
            service: service.name(),
            region: signing_region,
            target: &target,
            form: &form,
            keys: signer.keys(),
            timeout: ATTEMPT_TIMEOUT,
            via: via.as_deref(),
        };
        let attempts = if repeatable { MAX_ATTEMPTS } else { 1 };
        let (connector, call, endpoint, read) = (&connector, &call, endpoint.as_str(), &read);
        let attempt = || async move {
            let answer = query::post(connector, call)
                .await
                .map_err(|failure| transit_error(action, endpoint, failure))?;
            if answer.is_success() {
                return xml::read_result(&answer.body, action, read).map_err(|why| {
                    Failed::last(IamError::BadResponse {
                        action,
                        endpoint: endpoint.to_owned(),
                        why,
                    })
                });
            }
            let (code, message) = xml::read_error(&answer.body);
            Err(Failed {
                again: is_throttling(&code) || answer.status >= 500,
                error: super::classify(action, &code, &message),
            })
        };
        query::block_on(query::retried(
            attempts,
            ATTEMPT_TIMEOUT,
            CALL_TIMEOUT,
            attempt,
        ))
        .map_err(|e| unreachable(e.to_string()))?
    }
}

impl Service {
    /// `iam`, `sts`: the name a signature is for.
    fn name(self) -> &'static str {
        match self {
            Service::Iam => "iam",
            Service::Sts => "sts",
        }
    }

    /// The API version its requests name.
    fn version(self) -> &'static str {
        match self {
            Service::Iam => IAM_VERSION,
            Service::Sts => STS_VERSION,
        }
    }
}

/// A POST that got no answer, as an [`IamError`], and whether trying again may help.
fn transit_error(action: &'static str, endpoint: &str, failure: PostError) -> Failed<IamError> {
    let endpoint = endpoint.to_owned();
    match failure {
        PostError::NotSent(why) | PostError::Failed(why) => Failed {
            error: IamError::Unreachable {
                action,
                endpoint,
                why,
            },
            again: true,
        },
        PostError::Untrusted(why) => Failed::last(IamError::Unreachable {
            action,
            endpoint,
            why: format!(
                "{why}; the endpoint's certificate is not one mfa-profile trusts: behind a proxy or firewall that inspects TLS, point AWS_CA_BUNDLE at a file with its CA's certificate"
            ),
        }),
        PostError::Timeout => Failed {
            error: IamError::Timeout {
                action,
                endpoint,
                secs: CALL_TIMEOUT.as_secs(),
            },
            again: true,
        },
        error @ (PostError::TooLarge | PostError::BadBody(_)) => {
            Failed::last(IamError::BadResponse {
                action,
                endpoint,
                why: error.to_string(),
            })
        }
    }
}

/// Reads the child elements of `parent` (when there is one), each by `field`.
fn each_child(
    parent: Option<&mut ScopedDecoder<'_, '_>>,
    mut field: impl FnMut(&str, &mut ScopedDecoder<'_, '_>) -> Result<(), XmlDecodeError>,
) -> Result<(), XmlDecodeError> {
    if let Some(parent) = parent {
        while let Some(mut child) = parent.next_tag() {
            let name = name_of(&child);
            field(&name, &mut child)?;
        }
    }
    Ok(())
}

/// Epoch seconds of an IAM timestamp.
fn secs(value: &str) -> Result<i64, XmlDecodeError> {
    DateTime::from_str(value, Format::DateTimeWithOffset)
        .map(|time| time.secs())
        .map_err(|_| XmlDecodeError::custom("expected a timestamp"))
}

impl Iam for HttpIam {
    fn caller(&self, signer: Signer) -> Result<Caller, IamError> {
        const ACTION: &str = "GetCallerIdentity";
        let (arn, account) = self.call(Service::Sts, signer, ACTION, &[], true, |result| {
            let (mut arn, mut account) = (String::new(), None);
            each_child(result, |name, tag| {
                match name {
                    "Arn" => arn = text(tag)?,
                    "Account" => account = Some(text(tag)?),
                    _ => {}
                }
                Ok(())
            })?;
            Ok((arn, account))
        })?;
        match account {
            Some(account) if !arn.is_empty() => Ok(Caller { arn, account }),
            _ => Err(IamError::BadResponse {
                action: ACTION,
                endpoint: self.route(Service::Sts).0,
                why: "it names no ARN or account".into(),
            }),
        }
    }

    fn access_keys(&self, signer: Signer, user: &str) -> Result<Vec<AccessKeyInfo>, IamError> {
        let fields = [("UserName", user)];
        self.call(
            Service::Iam,
            signer,
            "ListAccessKeys",
            &fields,
            true,
            |result| {
                let mut keys = Vec::new();
                each_child(result, |name, list| {
                    if name != "AccessKeyMetadata" {
                        return Ok(());
                    }
                    each_child(Some(list), |_, member| {
                        let (mut id, mut status, mut created) = (None, KeyStatus::Inactive, None);
                        each_child(Some(member), |name, tag| {
                            match name {
                                "AccessKeyId" => id = Some(text(tag)?),
                                "Status" if text(tag)? == "Active" => status = KeyStatus::Active,
                                "CreateDate" => created = Some(secs(&text(tag)?)?),
                                _ => {}
                            }
                            Ok(())
                        })?;
                        if let Some(id) = id {
                            keys.push(AccessKeyInfo {
                                id,
                                status,
                                created,
                            });
                        }
                        Ok(())
                    })
                })?;
                Ok(keys)
            },
        )
    }

    fn create_access_key(&self, signer: Signer, user: &str) -> Result<LongTermKeys, IamError> {
        const ACTION: &str = "CreateAccessKey";
        let fields = [("UserName", user)];
        let (id, secret) = self
            .call(Service::Iam, signer, ACTION, &fields, false, |result| {
                let mut key = None;
                each_child(result, |name, access_key| {
                    if name != "AccessKey" {
                        return Ok(());
                    }
                    let (mut id, mut secret) = (String::new(), Secret::new(""));
                    each_child(Some(access_key), |name, tag| {
                        match name {
                            "AccessKeyId" => id = text(tag)?,
                            "SecretAccessKey" => secret = Secret::new(text(tag)?),
                            _ => {}
                        }
                        Ok(())
                    })?;
                    key = Some((id, secret));
                    Ok(())
                })?;
                Ok(key)
            })?
            .ok_or_else(|| self.bad_key(ACTION, "it holds no key"))?;
        let id: AccessKeyId = id.parse().map_err(|_| {
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
        let fields = [
            ("AccessKeyId", id),
            ("Status", "Inactive"),
            ("UserName", user),
        ];
        self.call(
            Service::Iam,
            signer,
            "UpdateAccessKey",
            &fields,
            true,
            |_| Ok(()),
        )
    }

    fn delete_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError> {
        let fields = [("AccessKeyId", id), ("UserName", user)];
        self.call(
            Service::Iam,
            signer,
            "DeleteAccessKey",
            &fields,
            true,
            |_| Ok(()),
        )
    }

    fn last_used(&self, signer: Signer, id: &str) -> Result<LastUsed, IamError> {
        let fields = [("AccessKeyId", id)];
        self.call(
            Service::Iam,
            signer,
            "GetAccessKeyLastUsed",
            &fields,
            true,
            |result| {
                let mut used = LastUsed::default();
                each_child(result, |name, last_used| {
                    if name != "AccessKeyLastUsed" {
                        return Ok(());
                    }
                    each_child(Some(last_used), |name, tag| {
                        match name {
                            "LastUsedDate" => used.when = Some(secs(&text(tag)?)?),
                            "ServiceName" => used.service = text(tag)?,
                            "Region" => used.region = text(tag)?,
                            _ => {}
                        }
                        Ok(())
                    })
                })?;
                Ok(used)
            },
        )
    }

    fn mfa_devices(&self, signer: Signer, user: &str) -> Result<Vec<String>, IamError> {
        let fields = [("UserName", user)];
        self.call(
            Service::Iam,
            signer,
            "ListMFADevices",
            &fields,
            true,
            |result| {
                let mut serials = Vec::new();
                each_child(result, |name, list| {
                    if name != "MFADevices" {
                        return Ok(());
                    }
                    each_child(Some(list), |_, member| {
                        each_child(Some(member), |name, tag| {
                            if name == "SerialNumber" {
                                serials.push(text(tag)?);
                            }
                            Ok(())
                        })
                    })
                })?;
                Ok(serials)
            },
        )
    }
}

impl HttpIam {
    fn bad_key(&self, action: &'static str, why: &str) -> IamError {
        IamError::BadResponse {
            action,
            endpoint: self.route(Service::Iam).0,
            why: why.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::LongTermKeys;
    use crate::sts::canned::CannedAnswer;

    fn keys() -> LongTermKeys {
        LongTermKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        }
    }

    fn canned(status: u16, body: &'static str) -> HttpIam {
        HttpIam::new(
            "us-east-1".parse().unwrap(),
            None,
            None,
            TrustRoots::default(),
        )
        .with_connector(CannedAnswer::connector(status, move || body.into()))
    }

    #[test]
    fn a_created_key_goes_through_the_parser_and_our_checks() {
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

    #[test]
    fn listed_keys_and_devices_are_read_member_by_member() {
        let keys_body = "<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListAccessKeysResult>\
<AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIAONEEXAMPLE000001</AccessKeyId>\
<Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>\
<member><UserName>alice</UserName><AccessKeyId>AKIATWOEXAMPLE000002</AccessKeyId>\
<Status>Inactive</Status><CreateDate>2026-02-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>\
<IsTruncated>false</IsTruncated></ListAccessKeysResult></ListAccessKeysResponse>";
        let keys_found = canned(200, keys_body)
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
        assert_eq!(
            canned(200, devices_body)
                .mfa_devices(Signer::LongTerm(&keys()), "alice")
                .unwrap(),
            vec!["arn:aws:iam::123456789012:mfa/alice", "GAHT12345678"]
        );
        let used_body =
            "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>alice</UserName>\
<AccessKeyLastUsed><Region>N/A</Region><ServiceName>N/A</ServiceName></AccessKeyLastUsed>\
</GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>";
        let used = canned(200, used_body)
            .last_used(Signer::LongTerm(&keys()), "AKIAONEEXAMPLE000001")
            .unwrap();
        assert_eq!((used.when, used.service.as_str()), (None, "N/A"));
        let caller_body = "<GetCallerIdentityResponse><GetCallerIdentityResult>\
<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>\
</GetCallerIdentityResult></GetCallerIdentityResponse>";
        let caller = canned(200, caller_body)
            .caller(Signer::LongTerm(&keys()))
            .unwrap();
        assert_eq!(caller.user_name(), Some("alice"));
        let nameless = canned(200, "<GetCallerIdentityResponse/>")
            .caller(Signer::LongTerm(&keys()))
            .unwrap_err();
        assert!(
            matches!(nameless, IamError::BadResponse { .. }),
            "{nameless}"
        );
    }

    #[test]
    fn an_answer_to_another_action_or_a_server_error_is_refused() {
        let error = canned(200, "<CreateAccessKeyResponse/>")
            .access_keys(Signer::LongTerm(&keys()), "alice")
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("expected ListAccessKeysResponse"),
            "{error}"
        );
        let error = canned(503, "<html>Service Unavailable</html>")
            .delete_access_key(Signer::LongTerm(&keys()), "alice", "AKIAONEEXAMPLE000001")
            .unwrap_err();
        assert!(
            matches!(&error, IamError::Service { code, .. } if code == "(no code)"),
            "{error}"
        );
    }
}
