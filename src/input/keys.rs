//! AWS access keys: an IAM user's long-term keys and the session keys STS returns, with their
//! secret parts wrapped in [`Secret`].
//!
//! Invariant: a [`Secret`] never shows its value through `Debug` or `Display`; the only way to
//! the value is [`Secret::expose`], called where the value is sent to STS, written to a file,
//! or printed because the user asked for it. Its memory is zeroed when it is dropped. Keys read
//! from a file are checked with [`LongTermKeys::unsendable`] and
//! [`SessionCredentials::unsendable`] where they are read, before any request is signed with
//! them: the SDK's signer panics on a value a header cannot carry.

use std::fmt;
use zeroize::Zeroize;

/// A string that must not appear in output, logs, errors or core dumps: zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the few places that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Whether `value` can travel in an HTTP header, as the access key id (in `Authorization`) and
/// the session token (`X-Amz-Security-Token`) do: visible ASCII, spaces and tabs only. The
/// SDK's signer panics on anything else (a control character, a non-ASCII letter).
pub fn fits_a_header(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// Whether `secret` holds no control character (it goes only into the signature, where any
/// other character is bytes to hash; a control character is never part of a key).
fn plain_secret(secret: &str) -> bool {
    !secret.chars().any(char::is_control)
}

/// Long-term keys read from the source profile.
#[derive(Clone, Debug)]
pub struct LongTermKeys {
    /// Access key id (not secret, but shown only by its last four characters).
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: Secret,
}

impl LongTermKeys {
    /// The name of the first key that no request can carry, if any: a control character (a
    /// line break included) or a non-ASCII letter in `aws_access_key_id`, a control character
    /// in `aws_secret_access_key`.
    pub fn unsendable(&self) -> Option<&'static str> {
        if !fits_a_header(&self.access_key_id) {
            Some("aws_access_key_id")
        } else if !plain_secret(self.secret_access_key.expose()) {
            Some("aws_secret_access_key")
        } else {
            None
        }
    }
}

/// Temporary credentials returned by STS.
#[derive(Clone, Debug)]
pub struct SessionCredentials {
    /// Access key id of the session.
    pub access_key_id: String,
    /// Secret access key of the session.
    pub secret_access_key: Secret,
    /// Session token.
    pub session_token: Secret,
    /// Expiration, seconds since the Unix epoch.
    pub expires_at: i64,
}

impl SessionCredentials {
    /// The name of the first key that no request can carry, if any (as
    /// [`LongTermKeys::unsendable`], and `aws_session_token` as the access key id).
    pub fn unsendable(&self) -> Option<&'static str> {
        if !fits_a_header(&self.access_key_id) {
            Some("aws_access_key_id")
        } else if !plain_secret(self.secret_access_key.expose()) {
            Some("aws_secret_access_key")
        } else if !fits_a_header(self.session_token.expose()) {
            Some("aws_session_token")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the finding "a control character in `aws_access_key_id` (or a session token) from
    /// the file panics (exit 134) after the code was given": such keys are found before
    /// anything is signed.
    #[test]
    fn keys_no_request_can_carry_are_found() {
        let long_term = |id: &str, secret: &str| LongTermKeys {
            access_key_id: id.into(),
            secret_access_key: Secret::new(secret),
        };
        assert_eq!(
            long_term("AKIAIOSFODNN7EXAMPLE", "wJalr/+=").unsendable(),
            None
        );
        assert_eq!(long_term("A", "S").unsendable(), None);
        assert_eq!(
            long_term("AKIA\u{1}EXAMPLE", "s").unsendable(),
            Some("aws_access_key_id")
        );
        assert_eq!(
            long_term("AKIA\u{7f}", "s").unsendable(),
            Some("aws_access_key_id")
        );
        assert_eq!(
            long_term("AKIAÉXAMPLE", "s").unsendable(),
            Some("aws_access_key_id")
        );
        assert_eq!(
            long_term("AKIA", "a\u{1b}b").unsendable(),
            Some("aws_secret_access_key")
        );
        let session = |token: &str| SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("s"),
            session_token: Secret::new(token),
            expires_at: 0,
        };
        assert_eq!(session("FwoGZXIvYXdz+/=").unsendable(), None);
        assert_eq!(
            session("Fwo\u{0}GZX").unsendable(),
            Some("aws_session_token")
        );
    }

    #[test]
    fn debug_is_redacted() {
        let creds = SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI"),
            session_token: Secret::new("FwoGZXIvYXdzEXAMPLETOKEN"),
            expires_at: 0,
        };
        let shown = format!(
            "{creds:?} {:?}",
            LongTermKeys {
                access_key_id: "AKIA".into(),
                secret_access_key: Secret::new("wJalrXUtnFEMI"),
            }
        );
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(!shown.contains("EXAMPLETOKEN"), "{shown}");
    }
    /// Every type that holds a secret key or token, or the text of a file holding one.
    #[test]
    fn every_type_holding_a_secret_has_a_redacting_debug() {
        use crate::ini::Document;
        use crate::profile::{ProfileName, SessionEntries, SharedDocuments, SharedFiles};
        const SECRET: &str = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
        const TOKEN: &str = "FwoGZXIvYXdzEXAMPLETOKEN";
        let file = format!(
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n\
[mfa]\naws_session_token =\n  t = {TOKEN}\n"
        );
        let doc = Document::parse(file.as_bytes()).unwrap();
        let session = SessionCredentials {
            access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new(SECRET),
            session_token: Secret::new(TOKEN),
            expires_at: 0,
        };
        let source = ProfileName::default_profile();
        let files = SharedFiles {
            credentials: file.clone(),
            config: file.clone(),
        };
        let profiles = files.profiles().unwrap();
        let source_profile = crate::profile::source::source_profile(&profiles, &source).unwrap();
        let mfa = doc.sections().nth(1).unwrap();
        let continuation: Vec<_> = mfa.entries().flat_map(|e| e.continuation()).collect();
        assert_eq!(continuation.len(), 1);
        let shown = [
            format!("{doc:?}"),
            format!(
                "{:?}",
                SharedDocuments {
                    credentials: doc.clone(),
                    config: doc.clone(),
                }
            ),
            format!("{files:?}"),
            format!("{session:?}"),
            format!("{source_profile:?}"),
            format!("{continuation:?}"),
            format!("{:?}", SessionEntries::plain(&session, &source)),
            format!(
                "{:?}",
                crate::refresh::Refreshed {
                    target: ProfileName::new("mfa").unwrap(),
                    source: source.clone(),
                    serial: Some("GAHT12345678".parse().unwrap()),
                    via: None,
                    session: session.clone(),
                    file: "/c".into(),
                }
            ),
            format!(
                "{:?}",
                crate::commands::handout::Handout::Ready(session.clone())
            ),
            format!("{:?}", crate::cli::TypedCode(SECRET.into())),
        ];
        for text in shown {
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains(TOKEN), "{text}");
            assert!(!text.contains("EXAMPLEKEY"), "{text}");
        }
    }
}
