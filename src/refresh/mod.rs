//! The refresh: from the source profile's long-term keys and an MFA code to a session written
//! into the target profile, in four steps: [`plan`] (pure: which target, which source, what to
//! ask STS), the code (from a [`CodeSource`]), the STS call (through [`Sts`]), and [`commit`]
//! (the write under the lock).
//!
//! Invariant: every check that can fail without STS runs before the code is asked for and
//! before STS is called; the file is written only after STS answered, under the lock, from a
//! fresh read; on any failure the file is untouched.

mod commit;
mod plan;
mod source_keys;

use crate::error::Error;
use crate::fsio;
use crate::input::{
    ExternalId, MfaCode, MfaSerial, Region, RoleArn, RoleSessionName, SessionDuration, Span,
};
use crate::keys::{LongTermKeys, SessionCredentials};
use crate::notice::Notice;
use crate::profile::{FileLocations, ProfileName, SharedDocuments, Shown};
use crate::sts::{self, CustomEndpoint, Sts, StsError};
use std::path::PathBuf;

pub use plan::default_target;
pub use source_keys::{DeviceRequest, KeysRequest};

/// `--role-arn` and its companions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSettings {
    /// The role to assume.
    pub arn: RoleArn,
    /// `--role-session-name`.
    pub session_name: Option<RoleSessionName>,
    /// `--external-id`.
    pub external_id: Option<ExternalId>,
}

/// What a refresh was asked to do, every input already typed.
#[derive(Clone, Debug)]
pub struct RefreshSettings {
    /// The shared files.
    pub files: FileLocations,
    /// `--source`; when absent, the source recorded in a managed target, else `default`.
    pub source: Option<ProfileName>,
    /// `--target`; derived from the source when absent.
    pub target: Option<ProfileName>,
    /// `AWS_PROFILE`: names the target when it is a managed one and neither `--source` nor
    /// `--target` is given.
    pub aws_profile: Option<String>,
    /// `--serial-number`.
    pub serial: Option<MfaSerial>,
    /// `--duration`.
    pub duration: Option<SessionDuration>,
    /// `--region`.
    pub region: Option<Region>,
    /// The STS endpoint (`--endpoint-url` or `AWS_ENDPOINT_URL_STS`), when not STS's own.
    pub endpoint: Option<CustomEndpoint>,
    /// `--role-arn` (with its companions); when absent, the role recorded in the target.
    pub role: Option<RoleSettings>,
    /// A managed target valid for longer than this is left alone.
    pub min_remaining: Span,
    /// Refresh even when the target is still valid.
    pub force: bool,
    /// The current time, epoch seconds.
    pub now: i64,
    /// Add the source's region to the target's config profile (off with `--no-config`).
    pub carry_region: bool,
}

/// What the code source is told when a code is needed.
#[derive(Clone, Copy, Debug)]
pub struct CodeRequest<'a> {
    /// The device the code is for.
    pub serial: &'a MfaSerial,
    /// The target being refreshed.
    pub target: &'a ProfileName,
    /// `mfa_process` of the source profile, if any.
    pub profile_command: Option<&'a str>,
}

/// Where the MFA code comes from: the argument, a code command, standard input, a prompt.
/// Called once per refresh, only after every local check passed. The process around the
/// refresh also answers here for what the files leave to it: the keys a source's
/// `credential_process` prints, and the MFA device of a source that names none.
pub trait CodeSource {
    /// A code for `request.serial`.
    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error>;

    /// The long-term keys `request.command` prints. By default no process is run.
    fn process_keys(&mut self, request: &KeysRequest) -> Result<LongTermKeys, Error> {
        Err(crate::key_error::KeyError::Process {
            profile: request.source.to_string(),
            command: request.command.to_owned(),
            problem: "is not run by this command".into(),
        }
        .into())
    }

    /// The MFA device of `request.source`, found in IAM; `None` when not looked for (the
    /// default).
    fn find_device(&mut self, request: &DeviceRequest) -> Result<Option<MfaSerial>, Error> {
        let _ = request;
        Ok(None)
    }
}

/// How a refresh ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A new session was written.
    Refreshed(Refreshed),
    /// The target was still valid for longer than `min_remaining`: nothing was asked for,
    /// sent or written.
    StillValid {
        /// The target.
        target: ProfileName,
        /// Its recorded source.
        source: ProfileName,
        /// When it expires.
        expires_at: i64,
    },
}

/// What a refresh did.
#[derive(Clone, Debug)]
pub struct Refreshed {
    /// Target profile written.
    pub target: ProfileName,
    /// Source profile read.
    pub source: ProfileName,
    /// MFA device used.
    pub serial: MfaSerial,
    /// The session written (its `Debug` is redacted), for callers that hand it on.
    pub session: SessionCredentials,
    /// The credentials file written.
    pub file: PathBuf,
}

/// Runs a refresh. `codes` is asked only when the target needs a new session and every local
/// check passed; `notices` receives what to tell the user.
pub fn refresh(
    settings: &RefreshSettings,
    sts: &dyn Sts,
    codes: &mut dyn CodeSource,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    let mut docs = SharedDocuments::read(&settings.files)?;
    let mut resolved = None;
    let planned =
        source_keys::plan_finding_device(settings, &mut docs, codes, &mut resolved, notices)?;
    let call = match planned {
        plan::Plan::Skip(outcome) => return Ok(outcome),
        plan::Plan::Call(call) => call,
    };
    let path = &settings.files.credentials;
    if let Some(mode) = fsio::loose_mode(path) {
        notices(Notice::Warning(format!(
            "{shown} can be read by other users (mode {mode:o}); run `chmod 600 {shown}`",
            shown = Shown(path)
        )));
    }
    if let Some((dir, mode)) = fsio::dir_writable_by_others(path) {
        notices(Notice::Warning(format!(
            "{shown} is writable by other users (mode {mode:o}): they can replace {file}; run `chmod go-w {shown}` or keep the file in a private directory",
            shown = Shown(&dir),
            file = Shown(path)
        )));
    }
    if let Some(notice) = settings.endpoint.as_ref().and_then(CustomEndpoint::notice) {
        notices(notice);
    }
    let keys = source_keys::resolve(&call.source, &call.keys, codes, &mut resolved)?;
    let code = codes.code(&CodeRequest {
        serial: &call.serial,
        target: &call.target,
        profile_command: call.profile_command.as_deref(),
    })?;
    let request = call.request(code);
    let session = sts.get_session(&keys, &request)?;
    sts::check_session(&session, settings.now)
        .map_err(|why| StsError::BadResponse(request.endpoint_shown(), why))?;
    let done = commit::commit(settings, &call, docs.credentials, session, notices)?;
    for problem in crate::profile::unreadable(&docs.config) {
        notices(Notice::Warning(
            problem.warning(&settings.files.config, Some(call.target.as_str())),
        ));
    }
    Ok(Outcome::Refreshed(done))
}

#[cfg(test)]
mod tests;
