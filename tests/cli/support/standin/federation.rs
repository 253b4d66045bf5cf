//! The federation endpoint (`GET /federation`), as the IAM User Guide's "Enable custom identity
//! broker access to the AWS console" describes it
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html>,
//! "Example code using IAM Query API operations", steps 5 and 6; quoted below as "the page").
//!
//! Invariant: a sign-in token is given only for a session the stand-in issued, presented whole
//! (key, secret and token) and not expired, with a `SessionDuration` in the page's range; a
//! login is accepted only with a token given less than 15 minutes before, for a role session;
//! every request is in the call log (action `getSigninToken` or `login`, the session's key id).
//!
//! AWS documents no error answer for this endpoint: a refusal here is HTTP 400 with a line of
//! text, the words AWS is known to use where there are any. The page's sentence "When you use
//! `DurationSeconds` in an `AssumeRole*` operation, you must call it as an IAM user with
//! long-term credentials. Otherwise, the call to the federation endpoint in step 3 fails" is
//! not enforced: read literally it refuses every role chained from an MFA session, which
//! aws-vault's users sign in with (ByteNess/aws-vault#67); mfa-profile sends no
//! `SessionDuration` for a chained role, so the reading does not decide its requests.

use super::world::{Principal, World};
use std::collections::BTreeMap;

/// "The URL is valid for 15 minutes from the time it is created" (the page, step 6).
pub const TOKEN_LIFETIME: i64 = 15 * 60;

/// A sign-in token the endpoint gave.
#[derive(Clone, Debug)]
pub struct SigninToken {
    pub token: String,
    /// The session it was given for.
    pub key_id: String,
    pub issued: i64,
    /// The `SessionDuration` asked, if any.
    pub duration: Option<i64>,
}

/// An answer: status, content type, body, and a `Location` for a redirect.
pub struct FederationAnswer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub location: Option<String>,
}

fn refused(message: &str) -> FederationAnswer {
    FederationAnswer {
        status: 400,
        content_type: "text/plain",
        body: format!("{message}\n"),
        location: None,
    }
}

/// Answers a GET of the federation endpoint with the query `params`; returns the answer and the
/// key id of the session concerned (for the log).
pub fn answer(
    world: &mut World,
    params: &BTreeMap<String, String>,
    now: i64,
) -> (FederationAnswer, String) {
    match params.get("Action").map(String::as_str) {
        Some("getSigninToken") => get_signin_token(world, params, now),
        Some("login") => login(world, params, now),
        _ => (refused("Unknown or missing Action"), String::new()),
    }
}

/// Step 5: "The request must include the `Action` and `Session` parameters, and (optionally)
/// if you used an AssumeRole API operation, a `SessionDuration` HTTP parameter"; the session
/// is the JSON `{"sessionId", "sessionKey", "sessionToken"}` of step 3; "You can specify a
/// `SessionDuration` maximum value of 43,200 (12 hours)", from 900 seconds (step 4 of the
/// overview: "from 900 seconds (15 minutes) to 43200 seconds (12 hours)"). The answer is
/// "a JSON document with a `SigninToken` value".
fn get_signin_token(
    world: &mut World,
    params: &BTreeMap<String, String>,
    now: i64,
) -> (FederationAnswer, String) {
    let Some(session) = params.get("Session") else {
        return (refused("Missing Session parameter"), String::new());
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(session) else {
        return (refused("Invalid credentials parameter"), String::new());
    };
    let field = |name: &str| json.get(name).and_then(serde_json::Value::as_str);
    let (Some(key_id), Some(secret), Some(token)) = (
        field("sessionId"),
        field("sessionKey"),
        field("sessionToken"),
    ) else {
        return (refused("Invalid credentials parameter"), String::new());
    };
    let key_id = key_id.to_owned();
    let duration = match params.get("SessionDuration") {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(secs) if (900..=43_200).contains(&secs) => Some(secs),
            _ => return (refused("Invalid SessionDuration"), key_id),
        },
    };
    let known = world
        .sessions
        .iter()
        .find(|s| s.key_id == key_id && s.secret == secret && s.token == token);
    match known {
        None => return (refused("Invalid credentials parameter"), key_id),
        Some(session) if session.expires <= now => {
            return (
                refused("The security token included in the request is expired"),
                key_id,
            )
        }
        Some(_) => {}
    }
    let n = world.next_serial();
    let token = format!("StandInSigninToken-{n:06}_EXAMPLE-x8Qv");
    world.signin_tokens.push(SigninToken {
        token: token.clone(),
        key_id: key_id.clone(),
        issued: now,
        duration,
    });
    let body = serde_json::json!({ "SigninToken": token }).to_string();
    (
        FederationAnswer {
            status: 200,
            content_type: "application/json",
            body,
            location: None,
        },
        key_id,
    )
}

/// Step 6: `Action=login&Issuer=...&Destination=...&SigninToken=...`, valid 15 minutes; the
/// browser is sent on to the destination. A GetSessionToken session is refused here, in the
/// words the console shows ("Only federation tokens or assume role tokens may be used for
/// federated login. Please contact your administrator.", 99designs/aws-vault#1191).
fn login(
    world: &mut World,
    params: &BTreeMap<String, String>,
    now: i64,
) -> (FederationAnswer, String) {
    let (Some(token), Some(destination)) = (params.get("SigninToken"), params.get("Destination"))
    else {
        return (refused("Missing SigninToken or Destination"), String::new());
    };
    let Some(given) = world
        .signin_tokens
        .iter()
        .find(|t| &t.token == token)
        .cloned()
    else {
        return (refused("Invalid SigninToken"), String::new());
    };
    if now - given.issued >= TOKEN_LIFETIME {
        return (refused("The sign-in token has expired"), given.key_id);
    }
    let role = world
        .sessions
        .iter()
        .find(|s| s.key_id == given.key_id)
        .is_some_and(|s| matches!(s.principal, Principal::AssumedRole { .. }));
    if !role {
        return (
            refused("Only federation tokens or assume role tokens may be used for federated login. Please contact your administrator."),
            given.key_id,
        );
    }
    (
        FederationAnswer {
            status: 302,
            content_type: "text/plain",
            body: String::new(),
            location: Some(destination.clone()),
        },
        given.key_id,
    )
}
