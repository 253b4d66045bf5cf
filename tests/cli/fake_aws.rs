//! A small stateful AWS on 127.0.0.1 (wiremock with one responder): STS GetSessionToken and
//! GetCallerIdentity, and IAM's access-key and MFA-device calls for one IAM user, answering
//! the XML AWS answers (errors included), with failures (or answers lost, too late for the
//! client) injected per action and new keys that take a number of calls to "propagate".
//! Stopped on drop.
//!
//! Unlike moto it checks that GetCallerIdentity's key is one of the user's active keys (as
//! AWS does) and answers with fixed new keys, so a rotation's file can be compared byte for
//! byte.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const ACCOUNT: &str = "123456789012";
pub const USER: &str = "alice";
pub const USER_ARN: &str = "arn:aws:iam::123456789012:user/alice";
/// The session GetSessionToken gives.
pub const SESSION_KEY: &str = "ASIAFAKESESSIONEXAMPLE";
/// The keys CreateAccessKey gives, in order.
pub const NEW_KEYS: [(&str, &str); 3] = [
    (
        "AKIANEWKEY1EXAMPLE00",
        "newSecret1/EXAMPLE+key0123456789abcdefgh",
    ),
    (
        "AKIANEWKEY2EXAMPLE00",
        "newSecret2/EXAMPLE+key0123456789abcdefgh",
    ),
    (
        "AKIANEWKEY3EXAMPLE00",
        "newSecret3/EXAMPLE+key0123456789abcdefgh",
    ),
];

/// One of the user's keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub id: String,
    pub active: bool,
    pub created: String,
}

/// An error an action answers, `times` times (then it works).
#[derive(Clone, Debug)]
pub struct Failure {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub times: usize,
}

#[derive(Debug, Default)]
pub struct State {
    pub keys: Vec<Key>,
    pub devices: Vec<String>,
    pub next_keys: VecDeque<(String, String)>,
    pub failures: HashMap<String, Failure>,
    /// GetCallerIdentity answers InvalidClientTokenId for these keys this many more times.
    pub unknown_for: HashMap<String, usize>,
    /// These actions are carried out but answered too late (after the client gave up) this
    /// many more times: a lost answer.
    pub late: HashMap<String, usize>,
    /// Every action, in order, with the key that signed it.
    pub calls: Vec<(String, String)>,
}

/// Longer than a client waits for one answer (`ATTEMPT_TIMEOUT`, 5 s).
const LATE: std::time::Duration = std::time::Duration::from_secs(8);

pub struct FakeAws {
    runtime: tokio::runtime::Runtime,
    server: wiremock::MockServer,
    /// [`FakeAws::url`], kept for [`FakeAws::endpoint_args`] to lend.
    address: String,
    pub state: Arc<Mutex<State>>,
}

fn xml(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "text/xml")
        .set_body_string(body)
}

/// AWS's error XML for `service` (`iam` or `sts`).
pub fn error_xml(service: &str, code: &str, message: &str) -> String {
    let ns = match service {
        "iam" => "https://iam.amazonaws.com/doc/2010-05-08/",
        _ => "https://sts.amazonaws.com/doc/2011-06-15/",
    };
    format!(
        "<ErrorResponse xmlns=\"{ns}\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  <RequestId>4c8a1a6b-EXAMPLE</RequestId>\n</ErrorResponse>\n"
    )
}

fn ok(action: &str, service: &str, result: &str) -> ResponseTemplate {
    let ns = match service {
        "iam" => "https://iam.amazonaws.com/doc/2010-05-08/",
        _ => "https://sts.amazonaws.com/doc/2011-06-15/",
    };
    let result = if result.is_empty() {
        String::new()
    } else {
        format!("<{action}Result>{result}</{action}Result>")
    };
    xml(
        200,
        format!("<{action}Response xmlns=\"{ns}\">{result}<ResponseMetadata><RequestId>7a62c49f-EXAMPLE</RequestId></ResponseMetadata></{action}Response>"),
    )
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn form(request: &Request) -> HashMap<String, String> {
    String::from_utf8_lossy(&request.body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn signing_key(request: &Request) -> String {
    let auth = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    auth.split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

impl State {
    fn answer(&mut self, request: &Request) -> ResponseTemplate {
        let action = form(request).get("Action").cloned().unwrap_or_default();
        let answer = self.carry_out(request);
        match self.late.get_mut(&action).filter(|n| **n > 0) {
            Some(left) => {
                *left -= 1;
                answer.set_delay(LATE)
            }
            None => answer,
        }
    }

    fn carry_out(&mut self, request: &Request) -> ResponseTemplate {
        let form = form(request);
        let action = form.get("Action").cloned().unwrap_or_default();
        let signer = signing_key(request);
        self.calls.push((action.clone(), signer.clone()));
        let service = if matches!(action.as_str(), "GetSessionToken" | "GetCallerIdentity") {
            "sts"
        } else {
            "iam"
        };
        if let Some(failure) = self.failures.get_mut(&action).filter(|f| f.times > 0) {
            failure.times -= 1;
            return xml(
                failure.status,
                error_xml(service, &failure.code, &failure.message),
            );
        }
        let user = form.get("UserName").map(String::as_str);
        if service == "iam" && action != "GetAccessKeyLastUsed" && user != Some(USER) {
            return xml(
                404,
                error_xml(
                    "iam",
                    "NoSuchEntity",
                    &format!(
                        "The user with name {} cannot be found.",
                        user.unwrap_or("None")
                    ),
                ),
            );
        }
        let key_id = form.get("AccessKeyId").cloned().unwrap_or_default();
        match action.as_str() {
            "GetSessionToken" => ok("GetSessionToken", "sts", &format!(
                "<Credentials><SessionToken>FwoGZXIvYXdzEXAMPLEfakeTOKEN0123456789+abcdef==</SessionToken><SecretAccessKey>fakeSessionSecret/EXAMPLE+0123456789abcd</SecretAccessKey><Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>{SESSION_KEY}</AccessKeyId></Credentials>"
            )),
            "GetCallerIdentity" => self.caller(&signer),
            "ListAccessKeys" => {
                let members: String = self.keys.iter().map(|k| format!(
                    "<member><UserName>{USER}</UserName><AccessKeyId>{}</AccessKeyId><Status>{}</Status><CreateDate>{}</CreateDate></member>",
                    k.id, if k.active { "Active" } else { "Inactive" }, k.created
                )).collect();
                ok("ListAccessKeys", "iam", &format!("<UserName>{USER}</UserName><AccessKeyMetadata>{members}</AccessKeyMetadata><IsTruncated>false</IsTruncated>"))
            }
            "CreateAccessKey" => {
                if self.keys.len() >= 2 {
                    return xml(409, error_xml("iam", "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"));
                }
                let (id, secret) = self.next_keys.pop_front().expect("a new key to give");
                let created = mfa_profile::rfc3339(crate::harness::now());
                self.keys.push(Key { id: id.clone(), active: true, created: created.clone() });
                ok("CreateAccessKey", "iam", &format!(
                    "<AccessKey><UserName>{USER}</UserName><AccessKeyId>{id}</AccessKeyId><Status>Active</Status><SecretAccessKey>{secret}</SecretAccessKey><CreateDate>{created}</CreateDate></AccessKey>"
                ))
            }
            "UpdateAccessKey" => match self.keys.iter_mut().find(|k| k.id == key_id) {
                Some(key) => {
                    key.active = form.get("Status").map(String::as_str) == Some("Active");
                    ok("UpdateAccessKey", "iam", "")
                }
                None => xml(404, error_xml("iam", "NoSuchEntity", &format!("The Access Key with id {key_id} cannot be found."))),
            },
            "DeleteAccessKey" => {
                let before = self.keys.len();
                self.keys.retain(|k| k.id != key_id);
                if self.keys.len() == before {
                    return xml(404, error_xml("iam", "NoSuchEntity", &format!("The Access Key with id {key_id} cannot be found.")));
                }
                ok("DeleteAccessKey", "iam", "")
            }
            "GetAccessKeyLastUsed" => ok("GetAccessKeyLastUsed", "iam", &format!(
                "<UserName>{USER}</UserName><AccessKeyLastUsed><LastUsedDate>2026-01-02T03:04:05Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region></AccessKeyLastUsed>"
            )),
            "ListMFADevices" => {
                let members: String = self.devices.iter().map(|d| format!(
                    "<member><UserName>{USER}</UserName><SerialNumber>{d}</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>"
                )).collect();
                ok("ListMFADevices", "iam", &format!("<MFADevices>{members}</MFADevices><IsTruncated>false</IsTruncated>"))
            }
            other => xml(400, error_xml(service, "InvalidAction", &format!("Could not find operation {other}"))),
        }
    }

    fn caller(&mut self, signer: &str) -> ResponseTemplate {
        if let Some(left) = self.unknown_for.get_mut(signer).filter(|n| **n > 0) {
            *left -= 1;
            return xml(
                403,
                error_xml(
                    "sts",
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.",
                ),
            );
        }
        let known = signer == SESSION_KEY || self.keys.iter().any(|k| k.id == signer && k.active);
        if !known {
            return xml(
                403,
                error_xml(
                    "sts",
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.",
                ),
            );
        }
        ok("GetCallerIdentity", "sts", &format!("<Arn>{USER_ARN}</Arn><UserId>AIDAFAKEUSEREXAMPLE</UserId><Account>{ACCOUNT}</Account>"))
    }
}

impl FakeAws {
    /// A fake AWS where alice has the active key `key`, created `created`, and `devices`.
    pub fn start(key: &str, created: &str, devices: &[&str]) -> FakeAws {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(Mutex::new(State {
            keys: vec![Key {
                id: key.into(),
                active: true,
                created: created.into(),
            }],
            devices: devices.iter().map(|d| d.to_string()).collect(),
            next_keys: NEW_KEYS
                .iter()
                .map(|(id, secret)| (id.to_string(), secret.to_string()))
                .collect(),
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let server = runtime.block_on(async move {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(move |request: &Request| shared.lock().unwrap().answer(request))
                .mount(&server)
                .await;
            server
        });
        let address = server.uri();
        FakeAws {
            runtime,
            server,
            address,
            state,
        }
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The flags that send STS and IAM calls here.
    pub fn endpoints(&self) -> [String; 4] {
        [
            "--endpoint-url".into(),
            self.url(),
            "--iam-endpoint-url".into(),
            self.url(),
        ]
    }

    /// [`FakeAws::endpoints`] as arguments.
    pub fn endpoint_args(&self) -> Vec<&str> {
        vec![
            "--endpoint-url",
            &self.address,
            "--iam-endpoint-url",
            &self.address,
        ]
    }

    /// Makes `action` answer `code` (HTTP `status`) the next `times` times.
    pub fn fail(&self, action: &str, status: u16, code: &str, message: &str, times: usize) {
        self.state.lock().unwrap().failures.insert(
            action.into(),
            Failure {
                status,
                code: code.into(),
                message: message.into(),
                times,
            },
        );
    }

    /// Makes `action` happen but its answer come too late, the next `times` times.
    pub fn lose_answer(&self, action: &str, times: usize) {
        self.state.lock().unwrap().late.insert(action.into(), times);
    }

    /// Adds a key to alice's.
    pub fn add_key(&self, id: &str, active: bool) {
        self.state.lock().unwrap().keys.push(Key {
            id: id.into(),
            active,
            created: "2025-06-01T00:00:00Z".into(),
        });
    }

    /// GetCallerIdentity with `key` fails `times` times before it works.
    pub fn slow_to_propagate(&self, key: &str, times: usize) {
        self.state
            .lock()
            .unwrap()
            .unknown_for
            .insert(key.into(), times);
    }

    pub fn keys(&self) -> Vec<Key> {
        self.state.lock().unwrap().keys.clone()
    }

    /// Alice's keys as (id, active).
    pub fn key_states(&self) -> Vec<(String, bool)> {
        self.keys().into_iter().map(|k| (k.id, k.active)).collect()
    }

    /// The actions called so far, in order.
    pub fn actions(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .calls
            .iter()
            .map(|(action, _)| action.clone())
            .collect()
    }

    /// The key that signed each call of `action`.
    pub fn signers_of(&self, action: &str) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(a, _)| a == action)
            .map(|(_, signer)| signer.clone())
            .collect()
    }
}

impl Drop for FakeAws {
    fn drop(&mut self) {
        // The server stops with its runtime.
        let _ = &self.runtime;
    }
}
