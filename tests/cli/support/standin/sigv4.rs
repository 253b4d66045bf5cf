//! Signature Version 4, checked as AWS checks it: the `Authorization` header read, the
//! canonical request rebuilt from what arrived, the signature recomputed with the secret the
//! stand-in knows, and the request refused with AWS's code and words when anything differs.
//!
//! Invariant: a request is accepted only when the signature it carries is the HMAC the
//! documentation's four steps give for the bytes received; nothing here trusts the client's
//! idea of its canonical request.
//!
//! Sources (IAM User Guide): "Create a signed AWS API request"
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>, "Elements of
//! an AWS API request signature"
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html>,
//! "Troubleshoot signed requests for AWS APIs"
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html>.

use super::answer::AwsError;
use ring::{digest, hmac};

/// The only algorithm of SigV4 with an `Authorization` header ("Create a signed AWS API
/// request", step 2: "AWS4-HMAC-SHA256").
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// How far a request's `X-Amz-Date` may be from the service's clock. "Elements of an AWS API
/// request signature", Date: "AWS rejects the request if the time stamp is more than 15 minutes
/// from the time on the server" (also "Troubleshoot signed requests": "Signature expired").
pub const SKEW_ALLOWED_SECS: i64 = 15 * 60;

/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
/// Signature=...` header.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub key_id: String,
    /// `YYYYMMDD` of the credential scope.
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lower-case header names, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl Authorization {
    /// `YYYYMMDD/region/service/aws4_request`.
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// What a request brings to be verified: method, the path and query as they arrived (still
/// percent-encoded), its headers, its body.
pub struct Received<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Received<'_> {
    /// Every value of header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }
}

/// AWS's "IncompleteSignature" (HTTP 403, "Common Errors" of the STS and IAM API references:
/// "The request signature does not conform to AWS standards").
fn incomplete(message: String) -> AwsError {
    AwsError::new(403, "IncompleteSignature", message)
}

/// Reads the `Authorization` header. A request without one is AWS's
/// `MissingAuthenticationToken` ("Common Errors": "The request must contain either a valid
/// (registered) AWS access key ID or X.509 certificate", HTTP 403).
pub fn authorization(request: &Received) -> Result<Authorization, AwsError> {
    let Some(header) = request.header("authorization") else {
        return Err(AwsError::new(
            403,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        ));
    };
    let Some(fields) = header.strip_prefix(ALGORITHM).map(str::trim_start) else {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{}'",
            header.split_whitespace().next().unwrap_or_default()
        )));
    };
    let field = |name: &str| {
        fields
            .split(',')
            .map(str::trim)
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_owned)
    };
    let (Some(credential), Some(signed), Some(signature)) = (
        field("Credential"),
        field("SignedHeaders"),
        field("Signature"),
    ) else {
        return Err(incomplete(format!(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={header}"
        )));
    };
    let parts: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = parts[..] else {
        return Err(incomplete(format!(
            "Credential should have 5 parts, found {}: {credential}",
            parts.len()
        )));
    };
    if terminator != "aws4_request" {
        return Err(incomplete(format!(
            "Credential should have the terminator 'aws4_request', not '{terminator}'"
        )));
    }
    Ok(Authorization {
        key_id: key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
        signature,
    })
}

/// The request's time (`X-Amz-Date`, ISO 8601 basic, `20261207T120000Z`) in epoch seconds,
/// and the text as sent. "Elements of an AWS API request signature", Date: the `x-amz-date`
/// header (or `Date` in that format) is the signing time.
pub fn request_time(request: &Received) -> Result<(i64, String), AwsError> {
    let text = request
        .header("x-amz-date")
        .or_else(|| request.header("date"))
        .ok_or_else(|| {
            incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                    .to_owned(),
            )
        })?;
    let parsed = epoch_of_amz_date(text).ok_or_else(|| {
        incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{text}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    })?;
    Ok((parsed, text.to_owned()))
}

/// Epoch seconds of `20261207T120000Z`.
pub fn epoch_of_amz_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let date = jiff::civil::date(
        i16::try_from(digits(0..4)?).ok()?,
        i8::try_from(digits(4..6)?).ok()?,
        i8::try_from(digits(6..8)?).ok()?,
    );
    let time = jiff::civil::Time::new(
        i8::try_from(digits(9..11)?).ok()?,
        i8::try_from(digits(11..13)?).ok()?,
        i8::try_from(digits(13..15)?).ok()?,
        0,
    )
    .ok()?;
    let at = date
        .to_datetime(time)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()?;
    Some(at.timestamp().as_second())
}

/// `20261207T120000Z` for epoch seconds.
pub fn amz_date(epoch: i64) -> String {
    jiff::Timestamp::from_second(epoch)
        .expect("a time in jiff's range")
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Refuses a request signed more than 15 minutes from `now`, with STS's words ("Troubleshoot
/// signed requests for AWS APIs", Credential scope errors: "Signature expired: date is now
/// earlier than date", "Signature not yet current: date is still later than date"; the
/// `(NOW - 15 min.)` tail is what STS answers, e.g. aws/aws-cli#6676), as
/// `SignatureDoesNotMatch`, HTTP 403.
pub fn check_skew(signed_at: i64, signed_text: &str, now: i64) -> Result<(), AwsError> {
    if signed_at < now - SKEW_ALLOWED_SECS {
        return Err(AwsError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Signature expired: {signed_text} is now earlier than {} ({} - 15 min.)",
                amz_date(now - SKEW_ALLOWED_SECS),
                amz_date(now)
            ),
        ));
    }
    if signed_at > now + SKEW_ALLOWED_SECS {
        return Err(AwsError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Signature not yet current: {signed_text} is still later than {} ({} + 15 min.)",
                amz_date(now + SKEW_ALLOWED_SECS),
                amz_date(now)
            ),
        ));
    }
    Ok(())
}

/// The credential scope's date must be the request date's ("Troubleshoot signed requests",
/// Date: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from
/// HTTP").
pub fn check_scope_date(auth: &Authorization, signed_text: &str) -> Result<(), AwsError> {
    let day = &signed_text[..signed_text.len().min(8)];
    if auth.date != day {
        return Err(AwsError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{day}', from '{signed_text}'.",
                auth.date
            ),
        ));
    }
    Ok(())
}

/// The headers every signature must cover. "Create a signed AWS API request", step 1,
/// CanonicalHeaders: "you must include the host header ... If you include a date or
/// x-amz-date header, you must also include ... in the list of signed headers"; a session's
/// `x-amz-security-token` ("Elements of an AWS API request signature", Session token: "add it
/// ... to the signed headers" for the services that require it) is checked by the caller
/// against the token issued, signed or not.
pub fn check_signed_headers(auth: &Authorization, request: &Received) -> Result<(), AwsError> {
    if !auth.signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_owned(),
        ));
    }
    if request.header("x-amz-date").is_some()
        && !auth.signed_headers.iter().any(|h| h == "x-amz-date")
    {
        return Err(incomplete(
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.".to_owned(),
        ));
    }
    for name in &auth.signed_headers {
        if request.header(name).is_none() {
            return Err(AwsError::signature_mismatch());
        }
    }
    Ok(())
}

/// "Create a signed AWS API request", step 1: URI-encode every byte except the unreserved
/// characters `A-Z a-z 0-9 - _ . ~`, as `%XY` with upper-case hex.
pub fn uri_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding (`+` stays `+`: in a query string it is not a space for SigV4, which
/// re-encodes what was sent).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// CanonicalURI: the path normalised (RFC 3986: `.` and `..` segments removed, "/" for an
/// empty one), each segment URI-encoded twice for every service but S3 ("Create a signed AWS
/// API request", step 1: "Each path segment must be URI-encoded twice").
pub fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    if segments.is_empty() {
        return "/".to_owned();
    }
    let trailing = path.ends_with('/');
    let mut out = String::new();
    for segment in segments {
        let once = uri_encode(&percent_decode(segment));
        out.push('/');
        out.push_str(&uri_encode(once.as_bytes()));
    }
    if trailing {
        out.push('/');
    }
    out
}

/// CanonicalQueryString: each name and value URI-encoded, sorted by name then value, joined
/// with `&` (step 1: "Sort the parameter names by character code point in ascending order").
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(name)),
                uri_encode(&percent_decode(value)),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// CanonicalHeaders: for each signed header, in the order of the sorted names, `name:value\n`,
/// the values trimmed, inner runs of spaces made one, several values joined with `,`.
fn canonical_headers(request: &Received, signed: &[String]) -> String {
    let mut names: Vec<&String> = signed.iter().collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let values: Vec<String> = request
            .header_values(name)
            .iter()
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        out.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Step 1: the canonical request of what arrived.
pub fn canonical_request(request: &Received, auth: &Authorization) -> String {
    let mut signed = auth.signed_headers.clone();
    signed.sort();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        canonical_uri(request.path),
        canonical_query(request.query),
        canonical_headers(request, &signed),
        signed.join(";"),
        sha256_hex(request.body)
    )
}

/// Step 2: the string to sign.
pub fn string_to_sign(signed_text: &str, auth: &Authorization, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{signed_text}\n{}\n{}",
        auth.scope(),
        sha256_hex(canonical.as_bytes())
    )
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

/// Steps 3 and 4: the signing key derived from the secret (`kDate`, `kRegion`, `kService`,
/// `kSigning`), then the signature in lower-case hex.
pub fn signature(secret: &str, auth: &Authorization, to_sign: &str) -> String {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac_sha256(&k_date, auth.region.as_bytes());
    let k_service = hmac_sha256(&k_region, auth.service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    hex(&hmac_sha256(&k_signing, to_sign.as_bytes()))
}

/// Recomputes the signature with `secret` and compares it with the one sent.
pub fn verify(
    request: &Received,
    auth: &Authorization,
    signed_text: &str,
    secret: &str,
) -> Result<(), AwsError> {
    let canonical = canonical_request(request, auth);
    let expected = signature(secret, auth, &string_to_sign(signed_text, auth, &canonical));
    if expected == auth.signature {
        Ok(())
    } else {
        Err(AwsError::signature_mismatch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of "Create a signed AWS API request" (IAM ListUsers, GET, 20150830T123600Z,
    /// secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY): its canonical request hash and
    /// signature, as the page gives them.
    #[test]
    fn the_documentations_example_signs_to_the_documented_signature() {
        let headers = vec![
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
            ),
            ("Host".to_owned(), "iam.amazonaws.com".to_owned()),
            ("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned()),
        ];
        let request = Received {
            method: "GET",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: &headers,
            body: b"",
        };
        let auth = Authorization {
            key_id: "AKIDEXAMPLE".into(),
            date: "20150830".into(),
            region: "us-east-1".into(),
            service: "iam".into(),
            signed_headers: vec!["content-type".into(), "host".into(), "x-amz-date".into()],
            signature: "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7".into(),
        };
        let canonical = canonical_request(&request, &auth);
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
        );
        verify(
            &request,
            &auth,
            "20150830T123600Z",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .unwrap();
        let wrong = verify(&request, &auth, "20150830T123600Z", "another secret");
        assert_eq!(wrong.unwrap_err().code, "SignatureDoesNotMatch");
    }
}
