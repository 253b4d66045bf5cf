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

use crate::error::Error;
use crate::fsio;
use crate::input::{
    ExternalId, MfaCode, MfaSerial, Region, RoleArn, RoleSessionName, SessionDuration, Span,
};
use crate::keys::SessionCredentials;
use crate::notice::Notice;
use crate::profile::{FileLocations, ProfileName, SharedDocuments, Shown};
use crate::sts::{self, CustomEndpoint, Sts, StsError, TrustRoots};
use std::path::PathBuf;

/// Where the certificates TLS trusts come from, as the environment says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// `AWS_CA_BUNDLE`: its certificates alone are trusted; it wins over `ca_bundle` in the
    /// source profile, as in the AWS SDKs.
    pub ca_bundle: Option<PathBuf>,
    /// `SSL_CERT_FILE` or `SSL_CERT_DIR` is set: the system's store is read where they say.
    pub openssl_variables: bool,
}

/// `--role-arn` and its companions; each may come alone, to change a recorded role.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleSettings {
    /// The role to assume.
    pub arn: Option<RoleArn>,
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
    /// Use endpoints configured in the source profile (off with
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`).
    pub configured_endpoints: bool,
    /// `--allow-insecure-endpoint`: a plain-http endpoint on another machine is allowed.
    pub allow_insecure_endpoint: bool,
    /// `--role-arn` and its companions; what they leave out comes from the role recorded in
    /// the target.
    pub role: RoleSettings,
    /// A managed target valid for longer than this is left alone.
    pub min_remaining: Span,
    /// Refresh even when the target is still valid.
    pub force: bool,
    /// The current time, epoch seconds.
    pub now: i64,
    /// Add the source's region to the target's config profile (off with `--no-config`).
    pub carry_region: bool,
    /// The certificates TLS trusts.
    pub tls: TlsSettings,
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
/// Called once per refresh, only after every local check passed.
pub trait CodeSource {
    /// A code for `request.serial`.
    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error>;
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
        /// It counts as stale when less than this is left (seconds).
        margin: i64,
        /// The MFA device its refresh would use, when one is known.
        serial: Option<String>,
        /// The credentials file.
        file: PathBuf,
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
    let docs = SharedDocuments::read(&settings.files)?;
    let call = match plan::plan(settings, &docs, notices)? {
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
    if let Some(notice) = call.endpoint.as_ref().and_then(CustomEndpoint::notice) {
        notices(notice);
    }
    let trust = match &call.endpoint {
        Some(endpoint) if endpoint.url.is_plain_http() => TrustRoots::default(),
        _ => sts::load_roots(&call.trust)?,
    };
    let code = codes.code(&CodeRequest {
        serial: &call.serial,
        target: &call.target,
        profile_command: call.profile_command.as_deref(),
    })?;
    let request = call.request(code, trust);
    let session = sts.get_session(&call.keys, &request)?;
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
