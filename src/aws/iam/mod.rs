//! The one place that talks to IAM about an IAM user's own access keys and MFA devices, and to
//! STS for GetCallerIdentity (whose keys these are, and whether a new key works yet), behind
//! the [`Iam`] trait; its implementation on the AWS SDK is [`SdkIam`].
//!
//! Invariant: every IAM call names the user explicitly (real IAM infers the user only from a
//! long-term signing key, and moto never does), with the credentials, region and endpoints
//! passed in; nothing here reads the process environment. CreateAccessKey is sent once and
//! never retried: a retry after a lost answer would make a second key whose secret nobody
//! has. Every failure is one [`IamError`] sentence that carries no secret.

mod client;
mod endpoint;

pub use crate::aws::sts::Signer;
pub use client::SdkIam;
pub use endpoint::{resolve_iam_endpoint, IamEndpoint, IamEndpointError};

use crate::input::keys::LongTermKeys;

/// Who a set of keys belongs to, as GetCallerIdentity says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// `arn:aws:iam::123456789012:user/alice` for an IAM user.
    pub arn: String,
    /// The account id.
    pub account: String,
}

impl Caller {
    /// The IAM user's name, when the caller is an IAM user (the ARN's last path segment).
    pub fn user_name(&self) -> Option<&str> {
        let resource = self.arn.splitn(6, ':').nth(5)?;
        let path = resource.strip_prefix("user/")?;
        path.rsplit('/').next().filter(|name| !name.is_empty())
    }

    /// True for the account's root user (`arn:aws:iam::ACCOUNT:root`).
    pub fn is_root(&self) -> bool {
        self.arn.ends_with(":root")
    }
}

/// Whether an access key can sign requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    /// It can.
    Active,
    /// It cannot (until made active again).
    Inactive,
}

/// One of the user's access keys, as ListAccessKeys describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKeyInfo {
    /// The key id.
    pub id: String,
    /// Active or inactive.
    pub status: KeyStatus,
    /// When it was created, epoch seconds.
    pub created: Option<i64>,
}

/// When and where a key was last used, as GetAccessKeyLastUsed says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LastUsed {
    /// Epoch seconds; `None` when it was never used (since IAM started tracking, April 2015).
    pub when: Option<i64>,
    /// The service it was last used with (`N/A` when never).
    pub service: String,
    /// The region it was last used in (`N/A` when never).
    pub region: String,
}

/// The calls mfa-profile makes about an IAM user's own keys and devices.
pub trait Iam {
    /// STS GetCallerIdentity: whose keys sign the call. No policy can deny it.
    fn caller(&self, signer: Signer) -> Result<Caller, IamError>;
    /// ListAccessKeys of `user`.
    fn access_keys(&self, signer: Signer, user: &str) -> Result<Vec<AccessKeyInfo>, IamError>;
    /// CreateAccessKey for `user`, sent once (never retried).
    fn create_access_key(&self, signer: Signer, user: &str) -> Result<LongTermKeys, IamError>;
    /// UpdateAccessKey to Inactive.
    fn deactivate_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError>;
    /// DeleteAccessKey.
    fn delete_access_key(&self, signer: Signer, user: &str, id: &str) -> Result<(), IamError>;
    /// GetAccessKeyLastUsed.
    fn last_used(&self, signer: Signer, id: &str) -> Result<LastUsed, IamError>;
    /// ListMFADevices of `user`: their serials (device ARNs, hardware serials, FIDO ARNs).
    fn mfa_devices(&self, signer: Signer, user: &str) -> Result<Vec<String>, IamError>;
}

/// Why an IAM (or GetCallerIdentity) call gave no answer. Each message is one sentence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IamError {
    /// A policy denies the call.
    #[error("IAM denied {action} ({message}); under a policy that requires MFA (the usual one), this call needs an MFA session")]
    AccessDenied {
        /// The operation.
        action: &'static str,
        /// IAM's message.
        message: String,
    },
    /// The user has the most keys IAM allows (two).
    #[error("IAM refused {action}: the user already has the two access keys IAM allows (LimitExceeded: {message})")]
    LimitExceeded {
        /// The operation.
        action: &'static str,
        /// IAM's message.
        message: String,
    },
    /// The user or key does not exist.
    #[error("IAM found no such entity for {action} ({message})")]
    NoSuchEntity {
        /// The operation.
        action: &'static str,
        /// IAM's message.
        message: String,
    },
    /// The signing key is unknown (deleted, mistyped, or not yet known everywhere).
    #[error("AWS does not know the access key that signed {action} (InvalidClientTokenId): it was deleted, deactivated or mistyped, or is too new to be known everywhere yet")]
    UnknownKey {
        /// The operation.
        action: &'static str,
    },
    /// The secret does not belong to the key.
    #[error("AWS rejected the signature of {action} (SignatureDoesNotMatch): the secret access key does not belong to the access key, or the clock is off")]
    BadSignature {
        /// The operation.
        action: &'static str,
    },
    /// The session expired.
    #[error(
        "the session that signed {action} has expired (ExpiredToken); refresh it and run again"
    )]
    ExpiredToken {
        /// The operation.
        action: &'static str,
    },
    /// Throttled, after retries.
    #[error("AWS is throttling {action} ({code}); wait a minute and run again")]
    Throttled {
        /// The operation.
        action: &'static str,
        /// The error code.
        code: String,
    },
    /// Any other error AWS answered.
    #[error("{action} failed: {code}: {message}")]
    Service {
        /// The operation.
        action: &'static str,
        /// The error code, or the HTTP status when there was none.
        code: String,
        /// The message.
        message: String,
    },
    /// No answer in time.
    #[error(
        "no answer to {action} from {endpoint} within {secs} s; check the network or the endpoint"
    )]
    Timeout {
        /// The operation.
        action: &'static str,
        /// Where it went.
        endpoint: String,
        /// The bound.
        secs: u64,
    },
    /// Could not connect.
    #[error("cannot reach {endpoint} for {action}: {why}")]
    Unreachable {
        /// The operation.
        action: &'static str,
        /// Where it went.
        endpoint: String,
        /// The cause.
        why: String,
    },
    /// An answer that is not a valid one.
    #[error("{endpoint} sent an answer to {action} that is not a valid one: {why}")]
    BadResponse {
        /// The operation.
        action: &'static str,
        /// Where it went.
        endpoint: String,
        /// What is wrong with it.
        why: String,
    },
}

impl IamError {
    /// True when a policy denied the call.
    pub fn is_access_denied(&self) -> bool {
        matches!(self, IamError::AccessDenied { .. })
    }

    /// True when the call might succeed if repeated in a few seconds: the key is not known
    /// yet everywhere, or the network faltered.
    pub fn may_pass_later(&self) -> bool {
        matches!(
            self,
            IamError::UnknownKey { .. }
                | IamError::BadSignature { .. }
                | IamError::Timeout { .. }
                | IamError::Unreachable { .. }
                | IamError::Throttled { .. }
        )
    }
}

/// True for a FIDO security key or passkey (`arn:aws:iam::ACCOUNT:u2f/...`): it signs a
/// browser challenge and gives no six-digit code, so a command line cannot use it.
pub fn is_fido(serial: &str) -> bool {
    serial.starts_with("arn:") && serial.contains(":u2f/")
}

/// An error code and message, as one [`IamError`].
fn classify(action: &'static str, code: &str, message: &str) -> IamError {
    let message = message.to_owned();
    match code {
        "AccessDenied" | "AccessDeniedException" => IamError::AccessDenied { action, message },
        "LimitExceeded" => IamError::LimitExceeded { action, message },
        "NoSuchEntity" => IamError::NoSuchEntity { action, message },
        "InvalidClientTokenId" => IamError::UnknownKey { action },
        "SignatureDoesNotMatch" => IamError::BadSignature { action },
        "ExpiredToken" | "ExpiredTokenException" => IamError::ExpiredToken { action },
        code if crate::aws::sts::is_throttling(code) => IamError::Throttled {
            action,
            code: code.to_owned(),
        },
        "" => IamError::Service {
            action,
            code: "(no code)".into(),
            message: if message.is_empty() {
                "AWS answered with an error and no message".into()
            } else {
                message
            },
        },
        _ => IamError::Service {
            action,
            code: code.to_owned(),
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_arns() {
        let caller = |arn: &str| Caller {
            arn: arn.into(),
            account: "123456789012".into(),
        };
        assert_eq!(
            caller("arn:aws:iam::123456789012:user/alice").user_name(),
            Some("alice")
        );
        assert_eq!(
            caller("arn:aws:iam::123456789012:user/division/team/bob").user_name(),
            Some("bob")
        );
        assert_eq!(caller("arn:aws:iam::123456789012:root").user_name(), None);
        assert!(caller("arn:aws:iam::123456789012:root").is_root());
        assert_eq!(
            caller("arn:aws:sts::123456789012:assumed-role/r/s").user_name(),
            None
        );
    }

    #[test]
    fn fido_devices() {
        assert!(is_fido("arn:aws:iam::123456789012:u2f/user/alice/key-ABC"));
        assert!(!is_fido("arn:aws:iam::123456789012:mfa/alice"));
        assert!(!is_fido("GAHT12345678"));
    }
}
