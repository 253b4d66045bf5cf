//! The container credentials endpoint (`serve`, `exec --server`): which requests it answers,
//! what it answers, where it listens and how a program is told to use it. The AWS SDKs'
//! container credential providers (botocore's `ContainerProvider`, aws-config's `ecs`, the
//! JavaScript SDK's `fromHttp`) read it when `AWS_CONTAINER_CREDENTIALS_FULL_URI` names it,
//! sending `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
//!
//! Invariant: a request gets the session only when its `Host` is the address the endpoint
//! listens on, its `Authorization` is the run's token (compared in constant time), it is a
//! `GET` of [`PATH`] without a body; every refusal says why without echoing the token, and
//! nothing here formats a secret but [`credentials_json`], the answer itself.

mod child;
mod listen;
mod token;

pub use child::{default_credential_settings, without_default_credentials};
pub use listen::{authority, ListenAddr};
pub use token::AuthToken;

use crate::input::keys::SessionCredentials;
use crate::text::time;

/// The one path the endpoint serves.
pub const PATH: &str = "/credentials";

/// The variable naming the endpoint.
pub const FULL_URI_VARIABLE: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
/// The variable holding the token sent as `Authorization`.
pub const TOKEN_VARIABLE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
/// Variables the SDKs read before [`FULL_URI_VARIABLE`] and [`TOKEN_VARIABLE`]: the relative
/// URI (ECS's, at 169.254.170.2) wins over the full one, and a token file over the token, in
/// botocore, aws-config and the JavaScript SDK alike.
pub const PRECEDING_VARIABLES: [&str; 2] = [
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// The largest request head read (hyper's smallest buffer); an SDK's is about 200 bytes.
pub const MAX_REQUEST_HEAD: usize = 8192;
/// Connections served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 128;

/// What the endpoint checks a request against: where it listens and the run's token.
#[derive(Debug)]
pub struct Endpoint {
    /// `127.0.0.1:PORT`, `[::1]:PORT`: the authority of the URL handed out.
    authority: String,
    token: AuthToken,
}

/// The parts of a request the endpoint judges.
#[derive(Clone, Copy, Debug)]
pub struct RequestHead<'a> {
    /// `GET`.
    pub method: &'a str,
    /// The path and query as sent.
    pub target: &'a str,
    /// Every `Host` header's value.
    pub hosts: &'a [&'a [u8]],
    /// Every `Authorization` header's value.
    pub authorizations: &'a [&'a [u8]],
    /// A `Content-Length` other than 0, or a `Transfer-Encoding`.
    pub has_body: bool,
}

/// Why a request is not answered with the session: its HTTP status and the JSON error the
/// SDKs read (`Code`, `Message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 400, 403, 404, 405.
    pub status: u16,
    /// A short code.
    pub code: &'static str,
    /// One sentence; never the token.
    pub message: String,
}

impl Endpoint {
    /// The endpoint at `address` (as [`ListenAddr::authority`] gives it), with `token`.
    pub fn new(authority: String, token: AuthToken) -> Endpoint {
        Endpoint { authority, token }
    }

    /// The URL a program is given.
    pub fn url(&self) -> String {
        format!("http://{}{PATH}", self.authority)
    }

    /// The variables a program needs to use the endpoint.
    pub fn variables(&self) -> [(&'static str, String); 2] {
        [
            (FULL_URI_VARIABLE, self.url()),
            (TOKEN_VARIABLE, self.token.expose().to_owned()),
        ]
    }

    /// Whether `head` may have the session; else why not. The `Host` is checked first, so a
    /// page of another site that a browser sends here (DNS rebinding) learns nothing more;
    /// then the token, so a request without it learns nothing of the paths.
    pub fn judge(&self, head: &RequestHead<'_>) -> Result<(), Refusal> {
        let refuse = |status, code, message: String| Refusal {
            status,
            code,
            message,
        };
        match head.hosts {
            [host] if host.eq_ignore_ascii_case(self.authority.as_bytes()) => {}
            [] => {
                return Err(refuse(
                    400,
                    "NoHost",
                    "the request has no Host header".into(),
                ))
            }
            [host] => {
                return Err(refuse(
                    403,
                    "ForeignHost",
                    format!(
                        "the Host header names {}, not the address this endpoint listens on ({}): refused, as a web page's request through DNS rebinding would be",
                        shown_value(host),
                        self.authority
                    ),
                ))
            }
            _ => {
                return Err(refuse(
                    400,
                    "SeveralHosts",
                    "the request has several Host headers".into(),
                ))
            }
        }
        match head.authorizations {
            [] => {
                return Err(refuse(
                    401,
                    "NoToken",
                    format!("the request has no Authorization header: send the token of {TOKEN_VARIABLE}"),
                ))
            }
            [presented] if self.token.matches(presented) => {}
            _ => {
                return Err(refuse(
                    403,
                    "WrongToken",
                    format!("the Authorization header is not this endpoint's token ({TOKEN_VARIABLE} of the run that printed it)"),
                ))
            }
        }
        if head.method != "GET" {
            return Err(refuse(
                405,
                "MethodNotAllowed",
                format!(
                    "only GET is answered, not {}",
                    shown_value(head.method.as_bytes())
                ),
            ));
        }
        let path = head.target.split('?').next().unwrap_or_default();
        if path != PATH {
            return Err(refuse(404, "NotFound", format!("only {PATH} is served")));
        }
        if head.has_body {
            return Err(refuse(
                400,
                "Body",
                "a GET of the credentials carries no body".into(),
            ));
        }
        Ok(())
    }
}

/// A header's value as a message shows it: printable ASCII, at most 64 characters.
fn shown_value(value: &[u8]) -> String {
    let mut shown: String = value
        .iter()
        .take(64)
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect();
    if value.len() > 64 {
        shown.push('…');
    }
    format!("`{shown}`")
}

/// The answer the SDKs' container providers read: `AccessKeyId`, `SecretAccessKey`, `Token`,
/// `Expiration` (RFC 3339, UTC).
pub fn credentials_json(session: &SessionCredentials) -> String {
    serde_json::json!({
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key.expose(),
        "Token": session.session_token.expose(),
        "Expiration": time::rfc3339(session.expires_at),
    })
    .to_string()
}

/// An error answer: `Code` and `Message`, the keys the JavaScript SDK reads from a 4xx (and
/// aws-config from any answer, case-insensitively); botocore shows the whole body.
pub fn error_json(code: &str, message: &str) -> String {
    serde_json::json!({ "Code": code, "Message": message }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::keys::Secret;

    fn endpoint() -> Endpoint {
        Endpoint::new("127.0.0.1:4321".into(), AuthToken::from_text("tok-123"))
    }

    fn head<'a>(
        method: &'a str,
        target: &'a str,
        hosts: &'a [&'a [u8]],
        authorizations: &'a [&'a [u8]],
    ) -> RequestHead<'a> {
        RequestHead {
            method,
            target,
            hosts,
            authorizations,
            has_body: false,
        }
    }

    fn code(result: Result<(), Refusal>) -> (u16, &'static str) {
        let refusal = result.unwrap_err();
        assert!(!refusal.message.contains("tok-123"), "{refusal:?}");
        (refusal.status, refusal.code)
    }

    #[test]
    fn only_a_get_of_the_path_with_the_host_and_the_token_is_answered() {
        let e = endpoint();
        let host: &[&[u8]] = &[b"127.0.0.1:4321"];
        let token: &[&[u8]] = &[b"tok-123"];
        assert_eq!(e.judge(&head("GET", "/credentials", host, token)), Ok(()));
        assert_eq!(
            e.judge(&head("GET", "/credentials?x=1", host, token)),
            Ok(())
        );
        assert_eq!(
            code(e.judge(&head("POST", "/credentials", host, token))),
            (405, "MethodNotAllowed")
        );
        assert_eq!(
            code(e.judge(&head("GET", "/", host, token))),
            (404, "NotFound")
        );
        assert_eq!(
            code(e.judge(&head("GET", "/credentials", host, &[]))),
            (401, "NoToken")
        );
        assert_eq!(
            code(e.judge(&head("GET", "/credentials", host, &[b"tok-124"]))),
            (403, "WrongToken")
        );
        assert_eq!(
            code(e.judge(&head(
                "GET",
                "/credentials",
                host,
                &[b"tok-123", b"tok-123"]
            ))),
            (403, "WrongToken")
        );
        let mut with_body = head("GET", "/credentials", host, token);
        with_body.has_body = true;
        assert_eq!(code(e.judge(&with_body)), (400, "Body"));
    }

    #[test]
    fn a_foreign_host_is_refused_before_the_token_is_looked_at() {
        let e = endpoint();
        let token: &[&[u8]] = &[b"tok-123"];
        for host in [
            &b"evil.example:4321"[..],
            b"localhost:4321",
            b"127.0.0.1:4322",
            b"127.0.0.1",
        ] {
            assert_eq!(
                code(e.judge(&head("GET", "/credentials", &[host], token))),
                (403, "ForeignHost")
            );
        }
        assert_eq!(
            code(e.judge(&head("POST", "/x", &[b"evil.example"], &[]))),
            (403, "ForeignHost")
        );
        assert_eq!(
            code(e.judge(&head("GET", "/credentials", &[], token))),
            (400, "NoHost")
        );
        let shown = e
            .judge(&head("GET", "/credentials", &[b"a\x1b[2J\nb"], token))
            .unwrap_err()
            .message;
        assert!(shown.contains("`a?[2J?b`"), "{shown}");
    }

    #[test]
    fn the_answer_is_what_the_sdks_read() {
        let session = SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("s/+="),
            session_token: Secret::new("t"),
            expires_at: 1_893_456_000,
        };
        let json: serde_json::Value = serde_json::from_str(&credentials_json(&session)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s/+=",
                "Token": "t", "Expiration": "2030-01-01T00:00:00Z"})
        );
        let error: serde_json::Value =
            serde_json::from_str(&error_json("NoToken", "say \"x\"")).unwrap();
        assert_eq!(error["Code"], "NoToken");
        assert_eq!(error["Message"], "say \"x\"");
        assert_eq!(endpoint().url(), "http://127.0.0.1:4321/credentials");
    }
}
