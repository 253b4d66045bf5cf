//! The XML of a Query answer, read with the AWS SDKs' own decoder: the `{Action}Result` of a
//! `{Action}Response`, or the `Code` and `Message` of an `ErrorResponse`.
//!
//! Invariant: a result is read only under the root and result elements of the action asked
//! for; nothing here panics on any bytes; errors name what is wrong, never the values read.

use aws_smithy_xml::decode::Document;
pub use aws_smithy_xml::decode::{try_data, ScopedDecoder, XmlDecodeError};

/// Runs `read` on the `{action}Result` element of `body`, a `{action}Response` document; an
/// answer with no result element is read as an empty one. Why it cannot, in words.
pub fn read_result<T>(
    body: &[u8],
    action: &str,
    read: impl FnOnce(Option<&mut ScopedDecoder<'_, '_>>) -> Result<T, XmlDecodeError>,
) -> Result<T, String> {
    let outcome = (|| {
        let mut document = Document::try_from(body)?;
        let mut root = document.root_element()?;
        if !root.start_el().matches(&format!("{action}Response")) {
            return Err(XmlDecodeError::custom(format!(
                "invalid root, expected {action}Response"
            )));
        }
        let wanted = format!("{action}Result");
        while let Some(mut tag) = root.next_tag() {
            if tag.start_el().matches(&wanted) {
                return read(Some(&mut tag));
            }
        }
        read(None)
    })();
    outcome.map_err(|error| super::root_cause(Some(&error)))
}

/// The text of a leaf element.
pub fn text(tag: &mut ScopedDecoder<'_, '_>) -> Result<String, XmlDecodeError> {
    try_data(tag).map(std::borrow::Cow::into_owned)
}

/// The local name of a child element (namespace prefix left out).
pub fn name_of(tag: &ScopedDecoder<'_, '_>) -> String {
    tag.start_el().local().to_owned()
}

/// The code and message of an error answer (`ErrorResponse/Error/Code`, `.../Message`);
/// empty strings for what it does not hold, or when it is not XML.
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
            let name = name_of(&field);
            let Ok(value) = text(&mut field) else {
                return (String::new(), String::new());
            };
            match name.as_str() {
                "Code" => code = value,
                "Message" => message = value,
                _ => {}
            }
        }
    }
    (code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let empty = (String::new(), String::new());
        assert_eq!(read_error(b"<html><body>Bad Gateway</body></html>"), empty);
        assert_eq!(read_error(b""), empty);
        assert_eq!(
            read_error(b"<ErrorResponse><Error><Code><x/></Code>"),
            empty
        );
    }

    #[test]
    fn a_result_is_read_under_its_own_action_only() {
        let body = b"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123</Account>\
</GetCallerIdentityResult></GetCallerIdentityResponse>";
        let account = |result: Option<&mut ScopedDecoder<'_, '_>>| {
            let mut found = None;
            if let Some(result) = result {
                while let Some(mut tag) = result.next_tag() {
                    if name_of(&tag) == "Account" {
                        found = Some(text(&mut tag)?);
                    }
                }
            }
            Ok(found)
        };
        assert_eq!(
            read_result(body, "GetCallerIdentity", account),
            Ok(Some("123".to_owned()))
        );
        let wrong = read_result(body, "ListAccessKeys", account).unwrap_err();
        assert!(wrong.contains("expected ListAccessKeysResponse"), "{wrong}");
        assert_eq!(
            read_result(
                b"<GetCallerIdentityResponse/>",
                "GetCallerIdentity",
                account
            ),
            Ok(None)
        );
        assert!(read_result(b"not xml <", "GetCallerIdentity", account).is_err());
    }
}
