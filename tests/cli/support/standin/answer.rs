//! The bytes the stand-in answers: AWS's Query-protocol XML for a result and for an error, in
//! STS's or IAM's namespace.
//!
//! Invariant: every answer is well-formed XML in the service's namespace (text escaped), with
//! the request id the `x-amzn-RequestId` header carries.
//!
//! Sources: "Common Errors" of the STS API reference
//! <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html> and of the IAM API
//! reference <https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html>; the
//! example responses of each action's page (e.g. GetSessionToken, "Examples").

/// Which Query API answers: its namespace, API version and credential-scope name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Sts,
    Iam,
}

impl Service {
    pub fn namespace(self) -> &'static str {
        match self {
            Service::Sts => "https://sts.amazonaws.com/doc/2011-06-15/",
            Service::Iam => "https://iam.amazonaws.com/doc/2010-05-08/",
        }
    }

    pub fn version(self) -> &'static str {
        match self {
            Service::Sts => "2011-06-15",
            Service::Iam => "2010-05-08",
        }
    }

    /// The service name of a SigV4 credential scope.
    pub fn signing_name(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Iam => "iam",
        }
    }
}

/// An error as AWS answers it: HTTP status, `Code`, `Message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl AwsError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> AwsError {
        AwsError {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A signature that is not the one the secret gives ("Troubleshoot signed requests for
    /// AWS APIs", Canonicalization errors; the sentence STS answers in full, e.g. in
    /// aws/aws-cli#5166), HTTP 403.
    pub fn signature_mismatch() -> AwsError {
        AwsError::new(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    }

    /// An access key AWS does not know, or a session's key without its token (STS API
    /// reference, Common Errors: InvalidClientTokenId, "The X.509 certificate or AWS access key
    /// ID provided does not exist in our records", HTTP 403; the message STS answers).
    pub fn invalid_client_token() -> AwsError {
        AwsError::new(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    }

    /// A session past its expiration (Common Errors: ExpiredTokenException; the Query APIs
    /// answer the code `ExpiredToken`, HTTP 403, e.g. aws/aws-sdk-java-v2#1649).
    pub fn expired_token() -> AwsError {
        AwsError::new(
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
        )
    }

    /// Common Errors: ValidationError / "The input fails to satisfy the constraints specified
    /// by an AWS service", HTTP 400.
    pub fn validation(message: impl Into<String>) -> AwsError {
        AwsError::new(400, "ValidationError", message)
    }

    /// AccessDenied, HTTP 403.
    pub fn access_denied(message: impl Into<String>) -> AwsError {
        AwsError::new(403, "AccessDenied", message)
    }

    /// The `Type` of the error XML: `Receiver` for the server's own failures (5xx).
    fn kind(&self) -> &'static str {
        if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        }
    }
}

/// `text` with `& < > " '` escaped for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `<ErrorResponse xmlns="NS"><Error><Type>..</Type><Code>..</Code><Message>..</Message>
/// </Error><RequestId>..</RequestId></ErrorResponse>`, as STS and IAM answer an error.
pub fn error_xml(service: Service, error: &AwsError, request_id: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"{}\">\n  <Error>\n    <Type>{}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
        service.namespace(),
        error.kind(),
        escape(&error.code),
        escape(&error.message)
    )
}

/// `<ActionResponse xmlns="NS"><ActionResult>RESULT</ActionResult><ResponseMetadata>
/// <RequestId>..</RequestId></ResponseMetadata></ActionResponse>`; an action with no result
/// (UpdateAccessKey, DeleteAccessKey) has no `ActionResult`. `result` is XML already escaped.
pub fn result_xml(
    service: Service,
    action: &str,
    result: Option<&str>,
    request_id: &str,
) -> String {
    let result = result
        .map(|inner| format!("\n  <{action}Result>\n{inner}\n  </{action}Result>"))
        .unwrap_or_default();
    format!(
        "<{action}Response xmlns=\"{}\">{result}\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n",
        service.namespace()
    )
}

/// `<name>escaped value</name>`.
pub fn element(name: &str, value: &str) -> String {
    format!("<{name}>{}</{name}>", escape(value))
}

/// RFC 3339 UTC with seconds, as STS writes `Expiration` and IAM `CreateDate`.
pub fn timestamp(epoch: i64) -> String {
    jiff::Timestamp::from_second(epoch)
        .expect("a time in jiff's range")
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The HTTP `Date` of `epoch` (RFC 7231 IMF-fixdate).
pub fn http_date(epoch: i64) -> String {
    jiff::Timestamp::from_second(epoch)
        .expect("a time in jiff's range")
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
