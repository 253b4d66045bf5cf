//! The one error type of a command, with the exit code each kind maps to.
//!
//! Invariant: every message is one sentence naming the file, profile or line it concerns, paths
//! shown through [`Shown`]; none carries a secret (the types it wraps hold none); every variant
//! has its exit code written out in [`Error::exit_code`].

pub mod exit;
pub mod key_error;
pub mod schedule;

use crate::aws::sts::{StsError, TrustError};
use crate::fsio::FsError;
use crate::input::InputError;
use crate::profile::{NameError, NoHome, ReadError, Refusal, SourceError};
use crate::text::shown::Shown;
use std::path::PathBuf;

pub use crate::error::exit::{
    EXIT_CODE_REJECTED, EXIT_FAILURE, EXIT_NEEDS_CODE, EXIT_OK, EXIT_USAGE,
};

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A malformed argument.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A malformed value in a profile.
    #[error("{key} in [{profile}]: {error}")]
    ProfileValue {
        /// The profile.
        profile: String,
        /// The key.
        key: &'static str,
        /// What is wrong with it.
        error: InputError,
    },
    /// A value a target records that mfa-profile cannot read.
    #[error("{key} in [{target}] of {}, line {line}: `{value}` is not a duration (seconds, or like 15m, 12h, 1h30m); correct or remove it", Shown(path))]
    RecordedValue {
        /// The target.
        target: String,
        /// The key.
        key: &'static str,
        /// The credentials file.
        path: PathBuf,
        /// Its line.
        line: usize,
        /// What it says.
        value: String,
    },
    /// A derived target asked for a session longer than role chaining allows.
    #[error("[{target}] assumes its role with [{base}]'s session, and STS gives such a chained role session at most 1h (AssumeRole, DurationSeconds: \"role chaining limits your ... role session to a maximum of one hour\"), so {asked} cannot be had this way; for up to the role's maximum (12h at most), with a code of its own, assume it with the long-term keys: `{direct}`")]
    ChainedOverAnHour {
        /// The derived target.
        target: String,
        /// Its base.
        base: String,
        /// The length asked for (`4h`).
        asked: String,
        /// The command that makes it a role target of its own.
        direct: String,
    },
    /// A malformed value in an environment variable.
    #[error("{var}: {error}")]
    EnvValue {
        /// The variable.
        var: &'static str,
        /// What is wrong with it.
        error: InputError,
    },
    /// A plain-http STS endpoint that is not this machine.
    #[error("refusing to send the MFA code to {url} (from {origin}) over plain http: the code and the session STS returns would cross the network in clear text; use https://, or pass --allow-insecure-endpoint if this is on purpose")]
    InsecureEndpoint {
        /// The URL.
        url: String,
        /// The flag or variable it came from.
        origin: &'static str,
    },
    /// `--external-id` or `--role-session-name` without a role to go with.
    #[error("--external-id and --role-session-name go with a role: add --role-arn, or use a target that records one ([{target}] does not)")]
    RoleOptionWithoutRole {
        /// The target.
        target: String,
    },
    /// `AWS_PROFILE` names no target a command can use.
    #[error("AWS_PROFILE={value} {why}")]
    AwsProfile {
        /// Its value.
        value: String,
        /// What it names, and what to do.
        why: String,
    },
    /// A word that is neither an MFA code nor a command (a mistyped command, most often).
    #[error("`{typed}` is neither a command nor an MFA code; did you mean `{suggestion}`?")]
    MistypedCommand {
        /// What was typed: close to a command name, so no secret.
        typed: String,
        /// The command it is closest to.
        suggestion: String,
    },
    /// A profile's name where the MFA code goes.
    #[error("the MFA code is not six digits, and {meant}")]
    ProfileForCode {
        /// The command meant, with why.
        meant: String,
    },
    /// A malformed profile name.
    #[error(transparent)]
    Name(#[from] NameError),
    /// A code is needed and there is no way to ask for one.
    #[error("[{target}] needs an MFA code for {serial} and {why}; run `{rerun}` in a terminal, pass the code (`{rerun} 123456`), or set a code command (--code-command, mfa_process)")]
    NeedsCode {
        /// The target to refresh.
        target: String,
        /// The command that refreshes it, complete.
        rerun: String,
        /// The device.
        serial: String,
        /// Why none could be asked for.
        why: &'static str,
    },
    /// A derived target's base cannot give the session its role is assumed with.
    #[error("[{target}] cannot derive from [{base}]: {why}")]
    BadBase {
        /// The derived target.
        target: String,
        /// Its base.
        base: String,
        /// Why not, and what to do.
        why: String,
    },
    /// Another process kept the MFA device too long.
    #[error("another mfa-profile has been using MFA device {serial} (asking for its code) for more than {waited} s; answer or stop it, then run again")]
    DeviceBusy {
        /// The device.
        serial: String,
        /// Seconds waited.
        waited: u64,
    },
    /// The code given belongs to a 30-second window already used with this device: STS would
    /// reject it as reused.
    #[error("MFA device {serial} already sent the code of this 30 s window ({used_at}), and STS refuses a code twice; wait {wait}s for the next code and run again")]
    CodeWindowUsed {
        /// The device.
        serial: String,
        /// When it was used, for humans: "at 10:40:12 UTC".
        used_at: String,
        /// Seconds until the next window.
        wait: i64,
    },
    /// The code could not be read from standard input or the terminal.
    #[error("{0}")]
    CodeInput(String),
    /// The MFA code command failed or printed no code.
    #[error("the MFA code command `{command}` {problem}")]
    CodeCommand {
        /// The command.
        command: String,
        /// What went wrong, with its stderr when it said something.
        problem: String,
    },
    /// The target holds no session to hand out.
    #[error("[{target}] in {} {why}", Shown(path))]
    NoSession {
        /// The target profile.
        target: String,
        /// The credentials file.
        path: PathBuf,
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
    /// `prune TARGET...` refused to remove a target.
    #[error("{0}")]
    Prune(String),
    /// Source and target are the same profile.
    #[error("the source and the target are both [{0}]; the session must go to another profile (-t NAME)")]
    SameProfile(String),
    /// No MFA device configured.
    #[error("no MFA device for [{profile}]: pass --serial-number ARN, or set it once with `aws configure set mfa_serial arn:aws:iam::ACCOUNT_ID:mfa/DEVICE --profile {profile}`")]
    NoSerial {
        /// The source profile.
        profile: String,
    },
    /// A shared file could not be read or is not one the editor accepts.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A target section that cannot be edited safely.
    #[error("refusing to edit {}: {refusal}", Shown(path))]
    Refused {
        /// The file.
        path: PathBuf,
        /// What and where.
        refusal: Refusal,
    },
    /// The target holds long-term keys.
    #[error("refusing to overwrite [{target}] in {}: it holds long-term keys (aws_access_key_id without a session token), and overwriting them would destroy your only copy; choose another target (-t NAME) or move those keys to another profile", Shown(path))]
    LongTermTarget {
        /// The target profile.
        target: String,
        /// The credentials file.
        path: PathBuf,
    },
    /// The source profile is unusable.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A long-term key of the source goes on to the next line.
    #[error("source profile [{profile}]: {key} in {} goes on to line {line} (an indented line under it), which the SDKs read as part of the key; remove that line or move it to column 0", Shown(path))]
    KeySpansLines {
        /// The source profile.
        profile: String,
        /// The key.
        key: &'static str,
        /// The file.
        path: PathBuf,
        /// 1-based line of the indented line.
        line: usize,
    },
    /// Reading, locking or writing a file failed.
    #[error(transparent)]
    Fs(#[from] FsError),
    /// STS gave no session.
    #[error(transparent)]
    Sts(#[from] StsError),
    /// The CA bundle the user named cannot be used.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// No home directory.
    #[error(transparent)]
    NoHome(#[from] NoHome),
    /// The session holds a value the export format cannot carry safely.
    #[error("{0}")]
    Export(String),
    /// Writing to standard output failed (other than a closed pipe).
    #[error("cannot write to standard output: {0}")]
    Output(std::io::Error),
    /// Standard output was closed by its reader (`| head`): end quietly.
    #[error("standard output was closed")]
    ClosedPipe,
    /// The man page could not be rendered.
    #[error("cannot render the man page: {0}")]
    Man(std::io::Error),
    /// IAM (or GetCallerIdentity) gave no answer.
    #[error(transparent)]
    Iam(#[from] crate::aws::iam::IamError),
    /// Work on the long-term keys or the MFA device stopped.
    #[error(transparent)]
    Key(#[from] crate::error::key_error::KeyError),
    /// The background schedule could not be installed, removed or read.
    #[error(transparent)]
    Schedule(#[from] schedule::ScheduleError),
    /// The credentials endpoint could not be set up (`serve`, `exec --server`).
    #[error("cannot serve the session: {0}")]
    Serve(String),
    /// `console` of a target whose session AWS's sign-in does not take.
    #[error("[{target}] holds {what}, and AWS's console sign-in takes only role (or federation) sessions (it answers \"Only federation tokens or assume role tokens may be used for federated login\"); {hint}")]
    NotARoleSession {
        /// The target.
        target: String,
        /// "a GetSessionToken session".
        what: &'static str,
        /// What to use instead.
        hint: String,
    },
    /// `console`: a setting it cannot use.
    #[error("{0}")]
    ConsoleSetting(String),
    /// `console`: no sign-in token.
    #[error(transparent)]
    Signin(#[from] crate::aws::signin::FetchError),
    /// `console`: the browser could not be started.
    #[error("cannot open the browser with `{opener}`: {why}; print the sign-in URL instead with `{rerun}`")]
    Browser {
        /// The program tried.
        opener: String,
        /// Why it failed.
        why: String,
        /// The same command with --print.
        rerun: String,
    },
}

impl Error {
    /// The error for a target with no session to hand out, with the command that fixes it.
    pub fn no_session(
        target: &crate::profile::ProfileName,
        path: &std::path::Path,
        why: crate::profile::NoSession,
    ) -> Error {
        use crate::profile::NoSession;
        Error::NoSession {
            target: target.to_string(),
            path: path.to_path_buf(),
            why: match why {
                NoSession::Missing => "does not exist".to_owned(),
                NoSession::Incomplete(key) => format!(
                    "holds no session (no {key}); refresh it with `mfa-profile -t {target} --force`"
                ),
                NoSession::Refused(refusal) => format!("cannot be read safely: {refusal}"),
                NoSession::Unsendable(key) => format!(
                    "holds an {key} no request can carry (a control character, or a letter outside ASCII); refresh it with `mfa-profile -t {target} --force`"
                ),
            },
        }
    }

    /// What a refusal to edit the file at `path` is, as an error: for `map_err`.
    pub fn refused_in(path: &std::path::Path) -> impl Fn(Refusal) -> Error + Copy + '_ {
        move |refusal| Error::Refused {
            path: path.to_path_buf(),
            refusal,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Sts(StsError::CodeRejected) | Error::CodeWindowUsed { .. } => EXIT_CODE_REJECTED,
            Error::NeedsCode { .. } => EXIT_NEEDS_CODE,
            Error::Sts(_)
            | Error::Fs(_)
            | Error::Read(ReadError::Fs(_))
            | Error::CodeCommand { .. }
            | Error::DeviceBusy { .. }
            | Error::Expired { .. }
            | Error::Output(_)
            | Error::Man(_) => EXIT_FAILURE,
            Error::Exec { code, .. } => *code,
            Error::Iam(_) | Error::Serve(_) | Error::Signin(_) | Error::Browser { .. } => {
                EXIT_FAILURE
            }
            Error::Key(error) => error.exit_code(),
            Error::Schedule(error) => error.exit_code(),
            Error::ClosedPipe => EXIT_OK,
            Error::Trust(error) if error.is_io() => EXIT_FAILURE,
            Error::Trust(_) => EXIT_USAGE,
            Error::Input(_)
            | Error::ProfileValue { .. }
            | Error::RecordedValue { .. }
            | Error::ChainedOverAnHour { .. }
            | Error::EnvValue { .. }
            | Error::InsecureEndpoint { .. }
            | Error::RoleOptionWithoutRole { .. }
            | Error::BadBase { .. }
            | Error::AwsProfile { .. }
            | Error::MistypedCommand { .. }
            | Error::ProfileForCode { .. }
            | Error::Name(_)
            | Error::CodeInput(_)
            | Error::NoSession { .. }
            | Error::SameProfile(_)
            | Error::Prune(_)
            | Error::NoSerial { .. }
            | Error::Read(ReadError::Parse { .. })
            | Error::Refused { .. }
            | Error::LongTermTarget { .. }
            | Error::Source(_)
            | Error::KeySpansLines { .. }
            | Error::NoHome(_)
            | Error::NotARoleSession { .. }
            | Error::ConsoleSetting(_)
            | Error::Export(_) => EXIT_USAGE,
        }
    }

    /// True when the command should end without a message (a closed pipe).
    pub fn is_quiet(&self) -> bool {
        matches!(self, Error::ClosedPipe)
    }
}

impl From<crate::aws::sts::EndpointError> for Error {
    fn from(error: crate::aws::sts::EndpointError) -> Error {
        match error {
            crate::aws::sts::EndpointError::Malformed(var, error) => Error::EnvValue { var, error },
            crate::aws::sts::EndpointError::Insecure(endpoint) => Error::InsecureEndpoint {
                url: endpoint.url.to_string(),
                origin: endpoint.origin.as_str(),
            },
        }
    }
}
