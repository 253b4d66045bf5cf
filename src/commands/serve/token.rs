//! The endpoint's token: 32 bytes from the operating system's random generator, as 64 hex
//! digits (a header value every SDK sends as it is).
//!
//! Invariant: the token is compared in constant time ([`subtle`]), never shown by `Debug`, and
//! zeroed when dropped.

use crate::input::keys::Secret;
use subtle::ConstantTimeEq;

/// Random bytes in a token: 256 bits.
const TOKEN_BYTES: usize = 32;

/// A run's token.
pub struct AuthToken(Secret);

/// The random generator failed.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random generator failed, so no token can be made")]
pub struct TokenError;

impl AuthToken {
    /// A new token from the operating system's random generator.
    pub fn generate() -> Result<AuthToken, TokenError> {
        use ring::rand::SecureRandom;
        let mut bytes = zeroize::Zeroizing::new([0u8; TOKEN_BYTES]);
        ring::rand::SystemRandom::new()
            .fill(bytes.as_mut())
            .map_err(|_| TokenError)?;
        let mut text = String::with_capacity(2 * TOKEN_BYTES);
        for byte in bytes.iter() {
            text.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            text.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
        }
        Ok(AuthToken(Secret::new(text)))
    }

    /// A token of the text given (tests).
    #[cfg(test)]
    pub fn from_text(text: &str) -> AuthToken {
        AuthToken(Secret::new(text))
    }

    /// Whether `presented` is the token, compared in constant time (the length is no secret).
    pub fn matches(&self, presented: &[u8]) -> bool {
        self.0.expose().as_bytes().ct_eq(presented).into()
    }

    /// The token, for the program that is to send it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl std::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_never_shown() {
        let one = AuthToken::generate().unwrap();
        let two = AuthToken::generate().unwrap();
        assert_eq!(one.expose().len(), 64);
        assert!(one.expose().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(one.expose(), two.expose());
        assert!(one.matches(one.expose().as_bytes()));
        assert!(!one.matches(two.expose().as_bytes()));
        assert!(!one.matches(&one.expose().as_bytes()[..63]));
        assert!(!one.matches(b""));
        assert_eq!(format!("{one:?}"), "AuthToken(***)");
    }
}
