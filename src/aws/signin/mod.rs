//! Console sign-in for a role session, by AWS's flow for a custom identity broker (IAM User
//! Guide, "Enable custom identity broker access to the AWS console"): the session is sent to
//! the partition's federation endpoint (`Action=getSigninToken`), which answers a sign-in
//! token; the sign-in URL (`Action=login`) carries that token to the console.
//!
//! Invariant: only a role session is sent (AWS's sign-in accepts "only federation tokens or
//! assume role tokens"; a GetSessionToken session is refused before any request, by the
//! caller); the request URL, which holds the session, and the sign-in URL, which holds the
//! token, are [`Secret`]s: no message, error or `Debug` shows them; a message names the
//! endpoint alone ([`SigninEndpoint::shown`]).

mod fetch;

pub use fetch::{fetch_signin_token, FetchError};

use crate::input::keys::{Secret, SessionCredentials};
use crate::input::EndpointUrl;

/// What the sign-in URL names as its issuer: where the console sends the person when the
/// session ends (aws-vault sends its own name the same way).
pub const ISSUER: &str = "mfa-profile";

/// The console session's bounds for `SessionDuration`: "from 900 seconds (15 minutes) to 43200
/// seconds (12 hours)" (the IAM User Guide's page above, step 4).
pub const SESSION_DURATION: std::ops::RangeInclusive<i64> = 900..=43_200;

/// An AWS partition with a console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    /// `aws`.
    Aws,
    /// `aws-cn`, China.
    China,
    /// `aws-us-gov`, GovCloud (US).
    GovCloud,
}

impl Partition {
    /// The partition of an ARN (`arn:PARTITION:...`); `None` for one without a known console.
    pub fn of_arn(arn: &str) -> Option<Partition> {
        match arn.split(':').nth(1)? {
            "aws" => Some(Partition::Aws),
            "aws-cn" => Some(Partition::China),
            "aws-us-gov" => Some(Partition::GovCloud),
            _ => None,
        }
    }

    /// The federation endpoint (the page above: `https://signin.aws.amazon.com/federation`;
    /// China's and GovCloud's in their own domains).
    pub fn federation_url(self) -> &'static str {
        match self {
            Partition::Aws => "https://signin.aws.amazon.com/federation",
            Partition::China => "https://signin.amazonaws.cn/federation",
            Partition::GovCloud => "https://signin.amazonaws-us-gov.com/federation",
        }
    }

    /// The console's home page, in `region` when given.
    pub fn console_home(self, region: Option<&str>) -> String {
        let domain = match self {
            Partition::Aws => "console.aws.amazon.com",
            Partition::China => "console.amazonaws.cn",
            Partition::GovCloud => "console.amazonaws-us-gov.com",
        };
        match region {
            Some(region) => format!("https://{domain}/console/home?region={region}"),
            None => format!("https://{domain}/console/home"),
        }
    }
}

/// The federation endpoint a sign-in goes through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninEndpoint(EndpointUrl);

impl SigninEndpoint {
    /// `url`: a partition's, or `--signin-endpoint`'s.
    pub fn new(url: EndpointUrl) -> SigninEndpoint {
        SigninEndpoint(url)
    }

    /// The partition's own endpoint.
    pub fn of(partition: Partition) -> SigninEndpoint {
        SigninEndpoint(
            partition
                .federation_url()
                .parse()
                .expect("a partition's endpoint is a URL"),
        )
    }

    /// The endpoint as a message shows it: without a query (there is none to show).
    pub fn shown(&self) -> &str {
        self.0.as_str()
    }

    /// The URL.
    pub fn url(&self) -> &EndpointUrl {
        &self.0
    }

    /// `URL?query`, or `URL&query` when the endpoint already has a query (a fragment, which
    /// no server sees, is dropped).
    fn with_query(&self, query: &str) -> Secret {
        let base = self.0.as_str().split('#').next().unwrap_or_default();
        let joiner = if base.contains('?') { '&' } else { '?' };
        Secret::new(format!("{base}{joiner}{query}"))
    }

    /// The `getSigninToken` request for `session` (the page above, step 5): `Session` is the
    /// JSON `{"sessionId", "sessionKey", "sessionToken"}`, form-encoded; `SessionDuration`
    /// only when `duration` is given.
    pub fn token_request(&self, session: &SessionCredentials, duration: Option<i64>) -> Secret {
        let json = zeroize::Zeroizing::new(
            serde_json::json!({
                "sessionId": session.access_key_id,
                "sessionKey": session.secret_access_key.expose(),
                "sessionToken": session.session_token.expose(),
            })
            .to_string(),
        );
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("Action", "getSigninToken");
        if let Some(secs) = duration {
            query.append_pair("SessionDuration", &secs.to_string());
        }
        query.append_pair("Session", &json);
        let query = zeroize::Zeroizing::new(query.finish());
        self.with_query(&query)
    }

    /// The sign-in URL (the page above, step 6): `Action=login`, `Issuer`, `Destination`,
    /// `SigninToken`.
    pub fn login_url(&self, destination: &str, token: &Secret) -> Secret {
        let query = zeroize::Zeroizing::new(
            form_urlencoded::Serializer::new(String::new())
                .append_pair("Action", "login")
                .append_pair("Issuer", ISSUER)
                .append_pair("Destination", destination)
                .append_pair("SigninToken", token.expose())
                .finish(),
        );
        self.with_query(&query)
    }
}

/// The console session's length to ask for a role session valid for `remaining` more seconds:
/// as long as the role session, within [`SESSION_DURATION`].
pub fn console_duration(remaining: i64) -> i64 {
    remaining.clamp(*SESSION_DURATION.start(), *SESSION_DURATION.end())
}

/// The sign-in token of the federation endpoint's answer, `{"SigninToken": "..."}`.
pub fn read_token_answer(body: &[u8]) -> Result<Secret, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "its answer is not JSON".to_owned())?;
    match value.get("SigninToken").and_then(serde_json::Value::as_str) {
        Some(token) if !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Secret::new(token))
        }
        Some(_) => Err("its SigninToken is empty or holds characters no token has".to_owned()),
        None => Err("its answer holds no SigninToken".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> SessionCredentials {
        SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("se/cr+et="),
            session_token: Secret::new("to ken"),
            expires_at: 0,
        }
    }

    fn query_of(url: &str) -> Vec<(String, String)> {
        let query = url.split_once('?').unwrap().1;
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn each_partition_has_its_endpoint_and_console() {
        assert_eq!(
            Partition::of_arn("arn:aws:iam::123456789012:role/admin"),
            Some(Partition::Aws)
        );
        assert_eq!(
            Partition::of_arn("arn:aws-cn:iam::123456789012:role/a").map(Partition::federation_url),
            Some("https://signin.amazonaws.cn/federation")
        );
        assert_eq!(
            Partition::of_arn("arn:aws-us-gov:iam::1:role/a").map(Partition::federation_url),
            Some("https://signin.amazonaws-us-gov.com/federation")
        );
        assert_eq!(Partition::of_arn("arn:aws-iso:iam::1:role/a"), None);
        assert_eq!(
            Partition::Aws.console_home(Some("eu-west-1")),
            "https://console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            Partition::China.console_home(None),
            "https://console.amazonaws.cn/console/home"
        );
    }

    #[test]
    fn the_token_request_carries_the_session_as_json() {
        let endpoint = SigninEndpoint::of(Partition::Aws);
        let url = endpoint.token_request(&session(), Some(3600));
        assert!(url
            .expose()
            .starts_with("https://signin.aws.amazon.com/federation?Action=getSigninToken&"));
        let query = query_of(url.expose());
        assert_eq!(query[0], ("Action".into(), "getSigninToken".into()));
        assert_eq!(query[1], ("SessionDuration".into(), "3600".into()));
        assert_eq!(query[2].0, "Session");
        let json: serde_json::Value = serde_json::from_str(&query[2].1).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"sessionId": "ASIAEXAMPLE", "sessionKey": "se/cr+et=", "sessionToken": "to ken"})
        );
        let without = endpoint.token_request(&session(), None);
        assert!(!without.expose().contains("SessionDuration"));
        assert_eq!(format!("{url:?}"), "Secret(***)");
    }

    #[test]
    fn the_login_url_carries_the_token_and_the_destination() {
        let endpoint = SigninEndpoint::new("http://127.0.0.1:5/federation?x=1".parse().unwrap());
        let url = endpoint.login_url(
            "https://console.aws.amazon.com/s3/home?region=eu-west-1",
            &Secret::new("TOKEN-_x"),
        );
        assert!(url
            .expose()
            .starts_with("http://127.0.0.1:5/federation?x=1&Action=login&"));
        let query = query_of(url.expose());
        assert_eq!(
            query[1..],
            [
                ("Action".into(), "login".into()),
                ("Issuer".into(), "mfa-profile".into()),
                (
                    "Destination".into(),
                    "https://console.aws.amazon.com/s3/home?region=eu-west-1".into()
                ),
                ("SigninToken".into(), "TOKEN-_x".into()),
            ]
        );
    }

    #[test]
    fn the_answer_gives_the_token() {
        assert_eq!(
            read_token_answer(br#"{"SigninToken":"abc-_"}"#)
                .unwrap()
                .expose(),
            "abc-_"
        );
        assert!(read_token_answer(b"<html>").is_err());
        assert!(read_token_answer(br#"{"x":1}"#).is_err());
        assert!(read_token_answer(br#"{"SigninToken":"a\u001bb"}"#).is_err());
        assert_eq!(console_duration(100), 900);
        assert_eq!(console_duration(3000), 3000);
        assert_eq!(console_duration(100_000), 43_200);
    }
}
