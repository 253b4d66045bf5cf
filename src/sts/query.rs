//! STS's Query protocol for the two actions mfa-profile calls: the form a request is sent as,
//! and the XML its answer comes back in (read with the SDKs' own XML decoder).
//!
//! Invariant: every value in a form is percent-encoded (all but `A-Z a-z 0-9 - _ . ~`); an
//! answer is a session only when its root, result and `Credentials` elements are the action's
//! own; an error answer yields STS's code and message, or nothing when it holds none (an HTML
//! page, an empty body). Nothing here panics on any bytes.

use super::SessionRequest;
use crate::keys::{Secret, SessionCredentials};
use aws_smithy_types::date_time::{DateTime, Format};
use aws_smithy_xml::decode::{try_data, Document, ScopedDecoder, XmlDecodeError};
use std::fmt::Write as _;

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

    fn name(self) -> &'static str {
        match self {
            Action::GetSessionToken => "GetSessionToken",
            Action::AssumeRole => "AssumeRole",
        }
    }
}

/// The body of the POST that asks for `request`'s session.
pub fn form(request: &SessionRequest) -> String {
    let action = Action::of(request);
    let mut fields: Vec<(&str, &str)> = vec![("Action", action.name()), ("Version", VERSION)];
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
    let mut body = String::with_capacity(256);
    for (n, (name, value)) in fields.into_iter().enumerate() {
        if n > 0 {
            body.push('&');
        }
        body.push_str(name);
        body.push('=');
        percent_encode(value, &mut body);
    }
    body
}

fn percent_encode(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// The session in a successful answer to `action`; why there is none otherwise.
pub fn read_session(body: &[u8], action: Action) -> Result<SessionCredentials, String> {
    match decode_session(body, action) {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err("it holds no credentials".into()),
        Err(error) => Err(super::root_cause(Some(&error))),
    }
}

fn decode_session(
    body: &[u8],
    action: Action,
) -> Result<Option<SessionCredentials>, XmlDecodeError> {
    let mut document = Document::try_from(body)?;
    let mut root = document.root_element()?;
    let name = action.name();
    if !root.start_el().matches(&format!("{name}Response")) {
        return Err(XmlDecodeError::custom(format!(
            "invalid root, expected {name}Response"
        )));
    }
    let Some(mut result) = root.next_tag() else {
        return Err(XmlDecodeError::custom(format!("expected {name}Result tag")));
    };
    if !result.start_el().matches(&format!("{name}Result")) {
        return Err(XmlDecodeError::custom(format!(
            "invalid result, expected {name}Result"
        )));
    }
    while let Some(mut tag) = result.next_tag() {
        if tag.start_el().matches("Credentials") {
            return read_credentials(&mut tag).map(Some);
        }
    }
    Ok(None)
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
        let name = field.start_el().local().to_owned();
        match name.as_str() {
            "AccessKeyId" => session.access_key_id = try_data(&mut field)?.into_owned(),
            "SecretAccessKey" => {
                session.secret_access_key = Secret::new(try_data(&mut field)?.into_owned());
            }
            "SessionToken" => {
                session.session_token = Secret::new(try_data(&mut field)?.into_owned());
            }
            "Expiration" => {
                let text = try_data(&mut field)?;
                session.expires_at = DateTime::from_str(text.as_ref(), Format::DateTimeWithOffset)
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

/// The code and message of an error answer (`ErrorResponse/Error/Code`, `.../Message`); empty
/// strings for what it does not hold, or when it is not XML.
pub fn read_error(body: &[u8]) -> (String, String) {
    let (mut code, mut message) = (String::new(), String::new());
    let Ok(mut document) = Document::try_from(body) else {
        return (code, message);
    };
    let Ok(mut root) = document.root_element() else {
        return (code, message);
    };
    while let Some(mut tag) = root.next_tag() {
        if tag.start_el().local() != "Error" {
            continue;
        }
        while let Some(mut field) = tag.next_tag() {
            let name = field.start_el().local().to_owned();
            let Ok(text) = try_data(&mut field) else {
                return (String::new(), String::new());
            };
            match name.as_str() {
                "Code" => code = text.into_owned(),
                "Message" => message = text.into_owned(),
                _ => {}
            }
        }
    }
    (code, message)
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

    #[test]
    fn an_error_answer_gives_code_and_message_or_nothing() {
        let error = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
<Type>Sender</Type><Code>AccessDenied</Code><Message>MultiFactorAuthentication failed &amp; more</Message>\
</Error><RequestId>c6104cbe</RequestId></ErrorResponse>";
        assert_eq!(
            read_error(error.as_bytes()),
            (
                "AccessDenied".to_owned(),
                "MultiFactorAuthentication failed & more".to_owned()
            )
        );
        assert_eq!(
            read_error(b"<html><body>Bad Gateway</body></html>"),
            (String::new(), String::new())
        );
        assert_eq!(read_error(b""), (String::new(), String::new()));
    }
}
