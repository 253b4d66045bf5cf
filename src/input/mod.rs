//! Typed inputs: every value a user types or a profile holds, parsed once, at the edge, into a
//! type that cannot hold a malformed value. Each type has `FromStr`, so clap uses it as a
//! value parser and the refresh uses it for values read from profiles.
//!
//! Invariant: a value of one of these types satisfies what STS (or the SDKs) accept for it;
//! the core never re-checks, and no parse error repeats what a secret could have been.

mod access_key;
mod code;
mod duration;
mod endpoint;
pub mod keys;
mod prompt;
mod region;
mod role;
mod serial;

pub use access_key::{
    check_secret, is_base64, is_key_id_form, AccessKeyId, ACCESS_KEY_ID_LEN, MAX_SECRET_LEN,
};
pub use code::MfaCode;
pub use duration::{SessionDuration, Span, DEFAULT_MIN_REMAINING, MAX_CHAINED_DURATION};
pub use endpoint::EndpointUrl;
pub use prompt::PromptKind;
pub use region::Region;
pub use role::{ExternalId, RoleArn, RoleSessionName};
pub use serial::MfaSerial;

/// Why a typed input was not accepted. Each message is one sentence that says what is
/// expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Not six digits. The text is not repeated: it may have been anything, a key included.
    #[error("the MFA code is not six digits")]
    Code,
    /// Not a device serial.
    #[error(
        "MFA device `{0}` is not a device ARN (arn:aws:iam::ACCOUNT:mfa/NAME) or a hardware serial"
    )]
    Serial(String),
    /// An ARN, but not of an MFA device.
    #[error("MFA device `{serial}` is an ARN but not of an MFA device{hint}")]
    SerialNotDevice {
        /// The ARN given.
        serial: String,
        /// What it looks like instead, if known.
        hint: &'static str,
    },
    /// Not a role ARN.
    #[error("`{0}` is not a role ARN (arn:aws:iam::ACCOUNT_ID:role/NAME)")]
    RoleArn(String),
    /// Not a role session name.
    #[error("role session name `{0}` is not 2 to 64 of A-Z a-z 0-9 + = , . @ - _ ")]
    RoleSessionName(String),
    /// Not an external ID.
    #[error("external ID `{0}` is not 2 to 1224 of A-Z a-z 0-9 + = , . @ : / - _")]
    ExternalId(String),
    /// Not a region name.
    #[error("region `{0}` is not a region name like us-east-1")]
    Region(String),
    /// Not an http(s) URL.
    #[error("endpoint URL `{0}` is not an http:// or https:// URL")]
    Endpoint(String),
    /// Not a duration.
    #[error("duration `{0}` is not a number of seconds or a span like 15m, 12h, 1h30m")]
    Duration(String),
    /// Not a prompt kind.
    #[error("prompt `{0}` is not terminal or gui")]
    Prompt(String),
    /// Not a long-term access key id.
    #[error("`{0}` is not an IAM user's access key id (AKIA and upper-case letters and digits, 20 today)")]
    AccessKeyId(String),
    /// A session's access key id where long-term keys are needed.
    #[error("`{0}` is the access key id of a session (ASIA...), not an IAM user's long-term key (AKIA...)")]
    SessionKeyId(String),
    /// Not a secret access key; the value is not repeated.
    #[error("the secret access key ({length} characters) is not 1 to 128 of A-Z a-z 0-9 + / =")]
    Secret {
        /// Its length in characters.
        length: usize,
    },
    /// A duration STS does not grant.
    #[error("duration {shown} is outside what STS grants {what}: {range}")]
    DurationOutOfRange {
        /// The duration, for humans.
        shown: String,
        /// "an IAM user", "an assumed role".
        what: &'static str,
        /// The range, for humans.
        range: &'static str,
    },
}

/// `value` escaped for an error message: control characters shown as escapes.
fn shown(value: &str) -> String {
    value.escape_debug().to_string()
}
