//! GetSessionToken and AssumeRole in the Query protocol: the form a request is sent as, and
//! the session its answer holds.
//!
//! Invariant: an answer is a session only when its root, result and `Credentials` elements
//! are the action's own; a field it lacks is left empty (the expiration: the epoch), as the
//! SDKs do, for `check_session` to refuse.

use super::SessionRequest;
use crate::keys::{Secret, SessionCredentials};
use crate::query::xml::{self, name_of, text, ScopedDecoder, XmlDecodeError};
use aws_smithy_types::date_time::{DateTime, Format};

/// The API version every STS request names.
const VERSION: &str = "2011-06-15";

/// The action a request calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// GetSessionToken.
    GetSessionToken,
    /// AssumeRole.
    AssumeRole,
}

impl Action {
    /// The action `request` calls.
    pub fn of(request: &SessionRequest) -> Action {
        if request.role.is_some() {
            Action::AssumeRole
        } else {
            Action::GetSessionToken
        }
    }

    /// `GetSessionToken`, `AssumeRole`.
    pub fn name(self) -> &'static str {
        match self {
            Action::GetSessionToken => "GetSessionToken",
            Action::AssumeRole => "AssumeRole",
        }
    }
}

/// The body of the POST that asks for `request`'s session.
pub fn form(request: &SessionRequest) -> String {
    let mut fields: Vec<(&str, &str)> = Vec::with_capacity(6);
    if let Some(role) = &request.role {
        fields.push(("RoleArn", role.arn.as_str()));
        fields.push(("RoleSessionName", role.session_name.as_str()));
        if let Some(id) = &role.external_id {
            fields.push(("ExternalId", id.as_str()));
        }
    }
    let duration = request.duration.secs().to_string();
    fields.push(("DurationSeconds", &duration));
    if let Some(mfa) = &request.mfa {
        fields.push(("SerialNumber", mfa.serial.as_str()));
        fields.push(("TokenCode", mfa.code.as_str()));
    }
    crate::query::form(Action::of(request).name(), VERSION, &fields)
}

/// The session in a successful answer to `action`; why there is none otherwise.
pub fn read_session(body: &[u8], action: Action) -> Result<SessionCredentials, String> {
    let found = xml::read_result(body, action.name(), |result| {
        let Some(result) = result else {
            return Ok(None);
        };
        while let Some(mut tag) = result.next_tag() {
            if name_of(&tag) == "Credentials" {
                return read_credentials(&mut tag).map(Some);
            }
        }
        Ok(None)
    })?;
    found.ok_or_else(|| "it holds no credentials".to_owned())
}

/// A `Credentials` element. A field that is missing is left empty (expiration: the epoch), as
/// the SDKs do; `check_session` refuses such a session before it is used.
fn read_credentials(tag: &mut ScopedDecoder<'_, '_>) -> Result<SessionCredentials, XmlDecodeError> {
    let mut session = SessionCredentials {
        access_key_id: String::new(),
        secret_access_key: Secret::new(""),
        session_token: Secret::new(""),
        expires_at: 0,
    };
    while let Some(mut field) = tag.next_tag() {
        match name_of(&field).as_str() {
            "AccessKeyId" => session.access_key_id = text(&mut field)?,
            "SecretAccessKey" => session.secret_access_key = Secret::new(text(&mut field)?),
            "SessionToken" => session.session_token = Secret::new(text(&mut field)?),
            "Expiration" => {
                let value = text(&mut field)?;
                session.expires_at = DateTime::from_str(&value, Format::DateTimeWithOffset)
                    .map_err(|_| {
                        XmlDecodeError::custom("expected (timestamp: `com.amazonaws.sts#dateType`)")
                    })?
                    .secs();
            }
            _ => {}
        }
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SessionDuration;
    use crate::sts::{MfaAnswer, RoleRequest, TrustRoots};

    fn request(role: Option<RoleRequest>) -> SessionRequest {
        SessionRequest {
            mfa: Some(MfaAnswer {
                serial: "arn:aws:iam::123456789012:mfa/alice".parse().unwrap(),
                code: "123456".parse().unwrap(),
            }),
            duration: SessionDuration::DEFAULT,
            region: "us-east-1".parse().unwrap(),
            endpoint: None,
            role,
            trust: TrustRoots::default(),
        }
    }

    #[test]
    fn a_form_names_the_action_and_encodes_every_value() {
        assert_eq!(
            form(&request(None)),
            "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=43200\
&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&TokenCode=123456"
        );
        let role = RoleRequest {
            arn: "arn:aws:iam::123456789012:role/admin".parse().unwrap(),
            session_name: "alice@example.com".parse().unwrap(),
            external_id: Some("a=b+c/d".parse().unwrap()),
        };
        let mut assume = request(Some(role));
        assume.duration = SessionDuration::DEFAULT_ROLE;
        assert_eq!(
            form(&assume),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin\
&RoleSessionName=alice%40example.com&ExternalId=a%3Db%2Bc%2Fd&DurationSeconds=3600\
&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&TokenCode=123456"
        );
    }

    const ANSWER: &str = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/admin/a</Arn></AssumedRoleUser>\
<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJalr&amp;XUtn</SecretAccessKey>\
<SessionToken>FwoGZXIvYXdz</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>\
</AssumeRoleResult></AssumeRoleResponse>";

    #[test]
    fn an_answer_is_read_for_its_own_action_only() {
        let session = read_session(ANSWER.as_bytes(), Action::AssumeRole).unwrap();
        assert_eq!(session.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(session.secret_access_key.expose(), "wJalr&XUtn");
        assert_eq!(session.session_token.expose(), "FwoGZXIvYXdz");
        assert_eq!(session.expires_at, 4_070_908_800);
        let wrong = read_session(ANSWER.as_bytes(), Action::GetSessionToken).unwrap_err();
        assert!(
            wrong
                .to_string()
                .contains("expected GetSessionTokenResponse"),
            "{wrong}"
        );
        let bare = "<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>";
        let none = read_session(bare.as_bytes(), Action::AssumeRole).unwrap_err();
        assert!(none.to_string().contains("holds no credentials"), "{none}");
        let late = ANSWER.replace("2099-01-01T00:00:00Z", "next tuesday");
        assert!(read_session(late.as_bytes(), Action::AssumeRole).is_err());
        assert!(read_session(b"<html>", Action::AssumeRole).is_err());
    }
}
