//! AWS's Query protocol over HTTP, as STS and IAM speak it: a form POSTed to the service and
//! signed with SigV4 ([`sigv4`]), its answer read under a bound ([`post`]), an XML document
//! whose `{Action}Result` holds what was asked or whose `Error` says why not ([`xml`]).
//!
//! The AWS SDKs' clients did this before; building one (its endpoint partition tables,
//! interceptors and identity cache) and running its orchestrator cost more CPU than the rest of
//! a refresh outside TLS, and the two SDK crates made most of the binary (README,
//! Performance). The HTTP connector, the XML decoder and the error codes are still the SDKs'.
//!
//! Invariant: every value in a form is percent-encoded (all but `A-Z a-z 0-9 - _ . ~`); a call
//! is made again only as [`retried`] allows, when its caller, who knows which calls may be
//! repeated, says so; nothing here reads the environment or panics on any answer.

mod attempts;
mod post;
pub mod sigv4;
pub mod xml;

pub use attempts::{block_on, retried, Failed};
pub use post::{post, root_cause, Answer, Call, Keys, PostError, Target, MAX_RESPONSE_BYTES};

use std::fmt::Write as _;

/// A form of `Action`, `Version` and then `fields`, each value percent-encoded.
pub fn form(action: &str, version: &str, fields: &[(&str, &str)]) -> String {
    let mut body = String::with_capacity(256);
    body.push_str("Action=");
    percent_encode(action, &mut body);
    body.push_str("&Version=");
    percent_encode(version, &mut body);
    for (name, value) in fields {
        body.push('&');
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_encodes_all_but_the_unreserved_characters() {
        assert_eq!(
            form(
                "ListAccessKeys",
                "2010-05-08",
                &[("UserName", "a+b=c/d é~_.-")]
            ),
            "Action=ListAccessKeys&Version=2010-05-08&UserName=a%2Bb%3Dc%2Fd%20%C3%A9~_.-"
        );
    }
}
