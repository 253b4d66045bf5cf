//! What STS returned, checked before anything is written or printed.
//!
//! Invariant: a session that passes [`check_session`] has an access key id of `A-Z 0-9`, a
//! secret and a token of base64 characters within their length caps, and an expiration in
//! the future: every value can be written into the credentials file and printed in every
//! export format as it is, and none can run code or break a line.

use crate::input::keys::SessionCredentials;
pub use crate::input::MAX_SECRET_LEN;
use crate::input::{is_base64, is_key_id_form, ACCESS_KEY_ID_LEN};
/// The longest session token accepted. AWS promises no maximum; tokens are a few hundred
/// bytes to a few KiB today (more with session tags and policies).
pub const MAX_TOKEN_LEN: usize = 32 * 1024;

/// Refuses a session that must never reach the file. The SDK turns a truncated response into
/// empty strings and an epoch-0 expiration rather than an error; a hostile or broken STS can
/// send anything. The messages never repeat the values.
pub fn check_session(session: &SessionCredentials, now: i64) -> Result<(), String> {
    let id = &session.access_key_id;
    if !is_key_id_form(id) {
        return Err(format!(
            "its access key id is not {} to {} of A-Z 0-9",
            ACCESS_KEY_ID_LEN.start(),
            ACCESS_KEY_ID_LEN.end()
        ));
    }
    check_base64(
        "secret access key",
        session.secret_access_key.expose(),
        MAX_SECRET_LEN,
    )?;
    check_base64(
        "session token",
        session.session_token.expose(),
        MAX_TOKEN_LEN,
    )?;
    if session.expires_at <= now {
        return Err(format!(
            "the session it describes expired at {} (if that looks wrong, check the system clock)",
            crate::text::time::rfc3339(session.expires_at)
        ));
    }
    Ok(())
}

/// A value of base64 characters (`A-Z a-z 0-9 + / =`), 1 to `max` bytes long.
fn check_base64(what: &str, value: &str, max: usize) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("its {what} is empty"));
    }
    if value.len() > max {
        return Err(format!(
            "its {what} is {} bytes long, more than the {max} accepted",
            value.len()
        ));
    }
    if !is_base64(value) {
        return Err(format!(
            "its {what} holds characters other than A-Z a-z 0-9 + / ="
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::keys::Secret;

    fn good() -> SessionCredentials {
        SessionCredentials {
            access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            session_token: Secret::new("FwoGZXIvYXdzEXAMPLE+/="),
            expires_at: 2000,
        }
    }

    #[test]
    fn incomplete_sessions_are_refused() {
        let good = SessionCredentials {
            secret_access_key: Secret::new("s"),
            session_token: Secret::new("t"),
            ..good()
        };
        assert!(check_session(&good, 1000).is_ok());
        assert!(check_session(&good, 2000).is_err());
        for broken in [
            SessionCredentials {
                access_key_id: String::new(),
                ..good.clone()
            },
            SessionCredentials {
                secret_access_key: Secret::new(""),
                ..good.clone()
            },
            SessionCredentials {
                session_token: Secret::new("a b"),
                ..good.clone()
            },
            SessionCredentials {
                session_token: Secret::new("a\nb = c"),
                ..good.clone()
            },
        ] {
            assert!(check_session(&broken, 1000).is_err());
        }
    }

    #[test]
    fn values_that_could_run_code_or_break_the_file_are_refused_without_being_repeated() {
        assert!(check_session(&good(), 1000).is_ok());
        let hostile = [
            SessionCredentials {
                access_key_id: "ASIAX;{id,-un}>x".into(),
                ..good()
            },
            SessionCredentials {
                access_key_id: "asiaiosfodnn7example".into(),
                ..good()
            },
            SessionCredentials {
                access_key_id: "ASIA0123456789A".into(),
                ..good()
            },
            SessionCredentials {
                access_key_id: "A".repeat(129),
                ..good()
            },
            SessionCredentials {
                secret_access_key: Secret::new("abc$(id)"),
                ..good()
            },
            SessionCredentials {
                secret_access_key: Secret::new("a".repeat(MAX_SECRET_LEN + 1)),
                ..good()
            },
            SessionCredentials {
                session_token: Secret::new("tok'en"),
                ..good()
            },
            SessionCredentials {
                session_token: Secret::new("t\u{2019}"),
                ..good()
            },
            SessionCredentials {
                session_token: Secret::new("t".repeat(2 << 20)),
                ..good()
            },
        ];
        for session in hostile {
            let why = check_session(&session, 1000).unwrap_err();
            assert!(!why.contains("id,-un"), "{why}");
            assert!(!why.contains("$(id)"), "{why}");
            assert!(!why.contains("tok'en"), "{why}");
            assert!(why.len() < 200, "{why}");
        }
        let longest = SessionCredentials {
            access_key_id: "A".repeat(128),
            secret_access_key: Secret::new("a".repeat(MAX_SECRET_LEN)),
            session_token: Secret::new("t".repeat(MAX_TOKEN_LEN)),
            ..good()
        };
        assert!(check_session(&longest, 1000).is_ok());
    }
}
