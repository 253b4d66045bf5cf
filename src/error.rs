//! The one error type of a command, with the exit code each kind maps to.
//!
//! Invariant: every message is one sentence naming the file, profile or line it concerns, and
//! none carries a secret (the types it wraps hold none).

use crate::fsio::FsError;
use crate::ini::ParseError;
use crate::paths::NoHome;
use crate::profile::{NameError, Refusal};
use crate::source::SourceError;
use crate::sts::StsError;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a failure that is not the input's fault (STS, network, disk).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad usage or bad input (arguments, code, names, the files' contents).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: STS rejected the MFA code; ask for a new one and run again.
pub const EXIT_CODE_REJECTED: u8 = 3;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A malformed argument or setting.
    #[error("{0}")]
    BadInput(String),
    /// A malformed profile name.
    #[error(transparent)]
    Name(#[from] NameError),
    /// No code to be had.
    #[error("no MFA code: give it as an argument (mfa-profile 123456), pipe it on standard input, or run in a terminal to be asked")]
    NoCode,
    /// The MFA code command failed or printed no code.
    #[error("{0}")]
    CodeCommand(String),
    /// The target holds no session to hand out.
    #[error("[{target}] in {path} {why}")]
    NoSession {
        /// The target profile.
        target: String,
        /// The file, for humans.
        path: String,
        /// What is missing, with the command that fixes it.
        why: String,
    },
    /// The target's session has expired (or is about to) and may not be refreshed here.
    #[error("the session in [{target}] {when}; {hint}")]
    Expired {
        /// The target profile.
        target: String,
        /// "expired 2h ago" or "expires in 3m".
        when: String,
        /// How to get a new one.
        hint: String,
    },
    /// The command given to `exec` could not be started.
    #[error("cannot run `{command}`: {reason}")]
    Exec {
        /// The command.
        command: String,
        /// Why.
        reason: String,
        /// 126 or 127, as shells use.
        code: u8,
    },
    /// Source and target are the same profile.
    #[error("the source and the target are both [{0}]; the session must go to another profile (-t NAME)")]
    SameProfile(String),
    /// No MFA device configured.
    #[error("no MFA device for [{profile}]: pass --serial-number ARN, or set it once with `aws configure set mfa_serial arn:aws:iam::ACCOUNT_ID:mfa/DEVICE --profile {profile}`")]
    NoSerial {
        /// The source profile.
        profile: String,
    },
    /// A shared file the editor does not accept.
    #[error("cannot use {path}: {error}")]
    Parse {
        /// The file, for humans.
        path: String,
        /// What and where.
        error: ParseError,
    },
    /// A target section that cannot be edited safely.
    #[error("refusing to edit {path}: {refusal}")]
    Refused {
        /// The file, for humans.
        path: String,
        /// What and where.
        refusal: Refusal,
    },
    /// The target holds long-term keys.
    #[error("refusing to overwrite [{target}] in {path}: it holds long-term keys (aws_access_key_id without a session token), and overwriting them would destroy your only copy; choose another target (-t NAME) or move those keys to another profile")]
    LongTermTarget {
        /// The target profile.
        target: String,
        /// The file, for humans.
        path: String,
    },
    /// The source profile is unusable.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Reading, locking or writing a file failed.
    #[error(transparent)]
    Fs(#[from] FsError),
    /// STS gave no session.
    #[error(transparent)]
    Sts(#[from] StsError),
    /// No home directory.
    #[error(transparent)]
    NoHome(#[from] NoHome),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Sts(StsError::CodeRejected) => EXIT_CODE_REJECTED,
            Error::Sts(_) | Error::Fs(_) | Error::CodeCommand(_) | Error::Expired { .. } => {
                EXIT_FAILURE
            }
            Error::Exec { code, .. } => *code,
            _ => EXIT_USAGE,
        }
    }
}
