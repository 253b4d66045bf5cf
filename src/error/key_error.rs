//! What can stop the work on a source's long-term keys and its MFA device: finding the device,
//! a `credential_process` serving the keys, `rotate`, `setup`, `status --keys`.
//!
//! Invariant: every message is one sentence naming the profile it concerns and what to do;
//! none carries a secret; a rotation that stopped half-way says what state IAM and the files
//! are in.

use crate::error::exit::{EXIT_FAILURE, EXIT_USAGE};
use crate::input::InputError;

/// Why work on the long-term keys or the device stopped.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The keys are not an IAM user's.
    #[error("the keys of [{profile}] are not an IAM user's ({arn}); {hint}")]
    NotAUser {
        /// The source profile.
        profile: String,
        /// Whose they are.
        arn: String,
        /// What to do.
        hint: &'static str,
    },
    /// IAM lists no device the command line can use.
    #[error("no MFA device for [{profile}]: {why}")]
    NoDevice {
        /// The source profile.
        profile: String,
        /// What IAM lists, and what to do.
        why: String,
    },
    /// The source names no device, and IAM could not be asked for it.
    #[error("no MFA device for [{profile}]: it names none, and looking for one in IAM failed ({why}); pass --serial-number ARN, or set it once with `aws configure set mfa_serial arn:aws:iam::ACCOUNT_ID:mfa/DEVICE --profile {profile}`")]
    NoDeviceFound {
        /// The source profile.
        profile: String,
        /// Why IAM gave no answer.
        why: String,
    },
    /// Several devices and nobody to choose.
    #[error("IAM user {user} of [{profile}] has {count} MFA devices ({devices}); pass --serial-number with one, or run in a terminal to choose")]
    DeviceChoice {
        /// The source profile.
        profile: String,
        /// The user.
        user: String,
        /// How many.
        count: usize,
        /// Their serials.
        devices: String,
    },
    /// The device was found but could not be recorded.
    #[error("found MFA device {serial} for [{profile}] in IAM but could not record it in {file}: {why}; pass --serial-number {serial}")]
    RecordSerial {
        /// The source profile.
        profile: String,
        /// The device.
        serial: String,
        /// The config file.
        file: String,
        /// What went wrong.
        why: String,
    },
    /// The credential process failed.
    #[error("the credential_process of [{profile}] (`{command}`) {problem}")]
    Process {
        /// The source profile.
        profile: String,
        /// The command.
        command: String,
        /// What went wrong, with its stderr when it said something.
        problem: String,
    },
    /// The credential process printed something that is not long-term keys.
    #[error("the credential_process of [{profile}] (`{command}`) {problem}")]
    ProcessOutput {
        /// The source profile.
        profile: String,
        /// The command.
        command: String,
        /// What it printed instead, never the values.
        problem: String,
    },
    /// A plain-http IAM endpoint that is not this machine.
    #[error("refusing to send IAM requests to {url} (from {origin}) over plain http: sessions and new secret keys would cross the network in clear text; use https://, or pass --allow-insecure-endpoint if this is on purpose")]
    InsecureEndpoint {
        /// The URL.
        url: String,
        /// The flag or variable.
        origin: &'static str,
    },
    /// `AWS_ENDPOINT_URL_IAM` is not a URL.
    #[error("AWS_ENDPOINT_URL_IAM: {0}")]
    EndpointVariable(InputError),
    /// A rotation was refused before anything changed.
    #[error("{0}")]
    RotateRefused(String),
    /// A rotation stopped: what failed, then the state of IAM and the files.
    #[error("{failed}; {state}")]
    RotationStopped {
        /// What failed.
        failed: String,
        /// One sentence: what IAM and the files hold now, and what to run.
        state: String,
    },
    /// `setup` could not go on.
    #[error("{0}")]
    Setup(String),
    /// The OS keychain could not store or give the keys.
    #[error("{0}")]
    Keychain(String),
}

impl KeyError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            KeyError::RecordSerial { .. }
            | KeyError::Process { .. }
            | KeyError::RotationStopped { .. }
            | KeyError::RotateRefused(_)
            | KeyError::Keychain(_) => EXIT_FAILURE,
            KeyError::NotAUser { .. }
            | KeyError::NoDevice { .. }
            | KeyError::NoDeviceFound { .. }
            | KeyError::DeviceChoice { .. }
            | KeyError::ProcessOutput { .. }
            | KeyError::InsecureEndpoint { .. }
            | KeyError::EndpointVariable(_)
            | KeyError::Setup(_) => EXIT_USAGE,
        }
    }
}
