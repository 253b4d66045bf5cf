//! AWS Signature Version 4 for one POST to the path `/` with no query string: what STS
//! requests need, and no more.
//!
//! Invariant: the signature covers the method, the headers given (names lower case, each
//! once) and the SHA-256 of the body, under the key derived for the day, region and service of
//! the request; the secret key goes into HMAC only, never into a string that outlives the
//! call, and the derived keys are zeroed when signing ends.

use ring::{digest, hmac};
use std::fmt::Write as _;
use zeroize::Zeroizing;

/// What a request is signed as: who, where, and when.
pub struct Scope<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// `us-east-1`.
    pub region: &'a str,
    /// `sts`.
    pub service: &'a str,
    /// `20150830T123600Z`: the `x-amz-date` header's value, which must be among the headers
    /// signed.
    pub amz_date: &'a str,
}

/// `20150830T123600Z`: a time as SigV4 writes it.
pub fn amz_date(epoch_seconds: i64) -> String {
    crate::time::rfc3339(epoch_seconds).replace(['-', ':'], "")
}

/// The `Authorization` header for a POST of `body` to `path` (as sent, so percent-encoded
/// once) with no query string and `headers`, which must be sorted by name, lower case, and hold
/// `host` and `x-amz-date`.
pub fn authorization(
    scope: &Scope<'_>,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> String {
    debug_assert!(headers.windows(2).all(|pair| pair[0].0 < pair[1].0));
    let day = &scope.amz_date[..scope.amz_date.len().min(8)];
    let mut canonical = String::with_capacity(512);
    canonical.push_str("POST\n");
    canonical.push_str(&canonical_path(path));
    canonical.push_str("\n\n");
    for (name, value) in headers {
        let _ = writeln!(canonical, "{name}:{}", value.trim());
    }
    let signed_headers = headers
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(";");
    let _ = write!(
        canonical,
        "\n{signed_headers}\n{}",
        hex(digest::digest(&digest::SHA256, body).as_ref())
    );
    let credential_scope = format!("{day}/{}/{}/aws4_request", scope.region, scope.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{credential_scope}\n{}",
        scope.amz_date,
        hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let secret = Zeroizing::new(format!("AWS4{}", scope.secret_access_key));
    let mut key = hmac_sha256(secret.as_bytes(), day.as_bytes());
    for part in [scope.region, scope.service, "aws4_request"] {
        key = hmac_sha256(&key[..], part.as_bytes());
    }
    let signature = hmac_sha256(&key[..], string_to_sign.as_bytes());
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{credential_scope}, SignedHeaders={signed_headers}, Signature={}",
        scope.access_key_id,
        hex(&signature[..])
    )
}

/// `path` URI-encoded, `/` kept: services other than S3 sign the path as sent encoded once
/// more.
fn canonical_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(tag.as_ref());
    out
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's SigV4 test suite, `post-x-www-form-urlencoded` (as the aws-sigv4 crate ships it).
    #[test]
    fn signs_the_test_suites_form_post() {
        let scope = Scope {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "service",
            amz_date: "20150830T123600Z",
        };
        let headers = [
            ("content-length", "13"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "example.amazonaws.com"),
            (
                "x-amz-content-sha256",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            ),
            ("x-amz-date", "20150830T123600Z"),
        ];
        assert_eq!(
            authorization(&scope, "/", &headers, b"Param1=value1"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, \
Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
        );
    }

    /// The suite's `get-space-unnormalized` path, `/example space/`, is `/example%20space/`
    /// in the canonical request; sent percent-encoded, it is encoded once more.
    #[test]
    fn a_path_is_encoded_for_the_canonical_request() {
        assert_eq!(canonical_path("/example space/"), "/example%20space/");
        assert_eq!(canonical_path("/example%20space/"), "/example%2520space/");
        assert_eq!(canonical_path("/sts/-_.~"), "/sts/-_.~");
    }

    #[test]
    fn writes_the_date_as_sigv4_does() {
        assert_eq!(amz_date(1_440_938_160), "20150830T123600Z");
    }
}
