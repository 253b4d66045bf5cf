//! The refresh: from the source profile's long-term keys and an MFA code to a session written
//! into the target profile, in four steps: [`plan`] (pure: which target, which source, what to
//! ask STS), the code (from a [`CodeSource`]), the STS call (through [`Sts`]), and [`commit`]
//! (the write under the lock). A derived target ([`derive`]) instead assumes its role with its
//! base's MFA session, the base refreshed first when it needs it.
//!
//! Invariant: every check that can fail without STS runs before the code is asked for and
//! before STS is called; the code is asked for and sent while this process holds the MFA
//! device (one process at a time per device, the plan made again from the file as the last
//! holder left it), and never in a 30 s window the device already sent a code in; the file is
//! written only after STS answered, under the lock, from a fresh read; on any failure the file
//! is untouched.

mod commit;
mod derive;
pub mod discover;
mod long_term_keys;
mod plan;
mod with_code;

use crate::aws::iam::Iam;
use crate::aws::sts::{self, CustomEndpoint, SessionRequest, Signer, Sts, StsError, TlsSettings};
use crate::error::Error;
use crate::fsio;
use crate::fsio::device::{Devices, HeldDevice};
use crate::input::keys::{LongTermKeys, SessionCredentials};
use crate::input::{
    ExternalId, MfaCode, MfaSerial, PromptKind, Region, RoleArn, RoleSessionName, SessionDuration,
    Span,
};
use crate::profile::{FileLocations, NoSession, ProfileName, SharedDocuments};
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use std::path::PathBuf;

pub(crate) use commit::add_region_to_config;
pub use long_term_keys::{DeviceRequest, KeysRequest};
pub(crate) use plan::call_region;

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
    /// `--source`; when absent, the source recorded in a managed target, else only for `[mfa]`
    /// `default` (a target with no recorded source is never given one by guess).
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
    /// `--via BASE`: assume the role with BASE's MFA session (a derived target).
    pub via: Option<ProfileName>,
    /// A managed target valid for longer than this is left alone.
    pub min_remaining: Span,
    /// Refresh even when the target is still valid.
    pub force: bool,
    /// The clock (epoch seconds), read when each step happens: the plan, the code asked for
    /// and sent, the session checked.
    pub clock: fn() -> i64,
    /// Where the MFA devices' locks and last codes are kept; `None`: neither is used.
    pub devices: Option<Devices>,
    /// Add the source's region to the target's config profile (off with `--no-config`).
    pub carry_region: bool,
    /// The certificates TLS trusts.
    pub tls: TlsSettings,
    /// What the environment says of FIPS, dual-stack and the app id (the source profile's
    /// keys are taken when it says nothing).
    pub sdk: crate::aws::SdkVariables,
}

impl RefreshSettings {
    /// A refresh of the files `files` with neutral settings: nothing named (the source and
    /// target the files and the rules give), the default margin, no device records kept, the
    /// endpoints and certificates AWS's own, the clock the system's. Callers set what they were
    /// given with struct update syntax.
    pub fn new(files: FileLocations) -> RefreshSettings {
        RefreshSettings {
            files,
            source: None,
            target: None,
            aws_profile: None,
            serial: None,
            duration: None,
            region: None,
            endpoint: None,
            configured_endpoints: true,
            allow_insecure_endpoint: false,
            role: RoleSettings::default(),
            via: None,
            min_remaining: crate::input::DEFAULT_MIN_REMAINING,
            force: false,
            clock: system_clock,
            devices: None,
            carry_region: true,
            tls: TlsSettings::default(),
            sdk: crate::aws::SdkVariables::default(),
        }
    }
}

/// Epoch seconds by the system's clock.
fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() as i64)
}

/// What the code source is told when a code is needed.
#[derive(Clone, Copy, Debug)]
pub struct CodeRequest<'a> {
    /// The device the code is for.
    pub serial: &'a MfaSerial,
    /// The target being refreshed.
    pub target: &'a ProfileName,
    /// The command that asks for this refresh again, complete (`mfa-profile -s work -t
    /// work-mfa`): what a hint tells to run.
    pub rerun: &'a str,
    /// `mfa_process` of the source profile, if any.
    pub profile_command: Option<&'a str>,
    /// `mfa_prompt` of the source profile, if any.
    pub profile_prompt: Option<PromptKind>,
    /// The device sent a code in the current 30 s window: a code may be sent again from this
    /// moment (epoch seconds) on, and a code already at hand is that window's.
    pub next_code_at: Option<i64>,
    /// When the device last sent a code (epoch seconds), if known.
    pub code_sent_at: Option<i64>,
}

/// What a refresh asks of the world around it, besides the files: STS, IAM (for the MFA
/// device of a source that names none), the person or program that gives codes, and the
/// process that prints a source's keys.
pub struct Services<'a> {
    /// STS.
    pub sts: &'a dyn Sts,
    /// IAM, for the device of a source that names none.
    pub iam: &'a dyn IamFor,
    /// The codes.
    pub codes: &'a mut dyn CodeSource,
    /// A source's `credential_process`.
    pub keys: &'a mut dyn KeySource,
}

/// IAM for the calls of one refresh (the region, STS endpoint and options its plan chose).
pub trait IamFor {
    /// A client for `request`'s calls; `None` when the MFA device is not looked for in IAM.
    fn iam_for(&self, request: &DeviceRequest) -> Result<Option<Box<dyn Iam + '_>>, Error>;
}

/// No IAM: a source that names no MFA device is refused.
pub struct NoIam;

impl IamFor for NoIam {
    fn iam_for(&self, _request: &DeviceRequest) -> Result<Option<Box<dyn Iam + '_>>, Error> {
        Ok(None)
    }
}

/// What prints a source's long-term keys when its profile has a `credential_process`.
pub trait KeySource {
    /// The long-term keys `request.command` prints.
    fn process_keys(&mut self, request: &KeysRequest) -> Result<LongTermKeys, Error>;
}

/// No process is run: a source whose keys come from one is refused.
#[cfg(test)]
pub struct NoProcess;

#[cfg(test)]
impl KeySource for NoProcess {
    fn process_keys(&mut self, request: &KeysRequest) -> Result<LongTermKeys, Error> {
        Err(crate::error::key_error::KeyError::Process {
            profile: request.source.to_string(),
            command: request.command.to_owned(),
            problem: "is not run by this command".into(),
        }
        .into())
    }
}

/// Where the MFA code comes from: the argument, a code command, standard input, a prompt.
/// Called once per refresh, only after every local check passed (again when a person can
/// give another after STS refused one); also asked which device to use when IAM lists
/// several for a source that names none.
pub trait CodeSource {
    /// A code for `request.serial`.
    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error>;

    /// Whether a person gave the last code (typed as the argument or at a prompt) and can be
    /// asked for another when STS rejects it. By default no one can.
    fn can_ask_again(&self, request: &CodeRequest) -> bool {
        let _ = request;
        false
    }

    /// Which of `devices` (IAM user `user`'s) gives the codes of `source`: the index. By
    /// default nobody is asked, and the error lists them.
    fn choose_device(
        &mut self,
        source: &ProfileName,
        user: &str,
        devices: &[String],
    ) -> Result<usize, Error> {
        Err(crate::error::key_error::KeyError::DeviceChoice {
            profile: source.to_string(),
            user: user.to_owned(),
            count: devices.len(),
            devices: devices.join(", "),
        }
        .into())
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
        /// It counts as stale when less than this is left (seconds).
        margin: i64,
        /// The MFA device its refresh would use, when one is known.
        serial: Option<String>,
        /// The credentials file.
        file: PathBuf,
        /// The session it holds, from the file the plan was made from.
        session: Result<SessionCredentials, NoSession>,
    },
}

impl Outcome {
    /// The target's session now: the one written, or the one it still holds.
    pub fn into_session(self) -> Result<SessionCredentials, Error> {
        match self {
            Outcome::Refreshed(done) => Ok(done.session),
            Outcome::StillValid {
                target,
                file,
                session,
                ..
            } => session.map_err(|why| Error::no_session(&target, &file, why)),
        }
    }
}

/// What a refresh did.
#[derive(Clone, Debug)]
pub struct Refreshed {
    /// Target profile written.
    pub target: ProfileName,
    /// Source profile read (for a derived target, its base's).
    pub source: ProfileName,
    /// MFA device used; `None` for a derived target.
    pub serial: Option<MfaSerial>,
    /// The base whose session a derived target's role was assumed with.
    pub via: Option<ProfileName>,
    /// The session written (its `Debug` is redacted), for callers that hand it on.
    pub session: SessionCredentials,
    /// The credentials file written.
    pub file: PathBuf,
}

/// Runs a refresh. Its codes are asked for only when the target needs a new session and
/// every local check passed; `notices` receives what to tell the user.
pub fn refresh(
    settings: &RefreshSettings,
    services: &mut Services<'_>,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    let mut docs = SharedDocuments::read(&settings.files)?;
    let mut resolved = None;
    let planned =
        long_term_keys::plan_finding_device(settings, &mut docs, services, &mut resolved, notices)?;
    carry_out(settings, planned, docs, services, resolved, notices)
}

/// Does what `plan` says: a refresh holds its MFA device (or derived target) for this
/// process, and when another process changed the file meanwhile, the plan made again decides;
/// one that needs another device (or target) starts over with it.
fn carry_out(
    settings: &RefreshSettings,
    plan: plan::Plan,
    docs: SharedDocuments,
    services: &mut Services<'_>,
    resolved: long_term_keys::Resolved,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    let Some((key, waiting)) = plan.lock() else {
        return match plan {
            plan::Plan::Skip(outcome) => Ok(outcome),
            _ => unreachable!("every refresh that calls STS has a lock"),
        };
    };
    let held = hold(settings, &key, waiting, notices)?;
    let (docs, plan) = match held
        .as_ref()
        .map(|_| plan_again(settings, &docs))
        .transpose()?
    {
        Some(Some((docs, again))) if again.lock().map(|(k, _)| k).as_deref() != Some(&*key) => {
            drop(held);
            return carry_out(settings, again, docs, services, resolved, notices);
        }
        Some(Some((docs, again))) => (docs, again),
        Some(None) | None => (docs, plan),
    };
    match plan {
        plan::Plan::Skip(outcome) => Ok(outcome),
        plan::Plan::Call(call) => {
            with_code::refresh_with_code(settings, call, docs, held, services, resolved, notices)
        }
        plan::Plan::Derive(derived) => {
            derive::refresh_derived(settings, derived, docs, held, services, notices)
        }
    }
}

/// What every refresh says just before STS is called: loose permissions, an endpoint that
/// is not AWS's.
fn before_sts(
    settings: &RefreshSettings,
    endpoint: Option<&CustomEndpoint>,
    notices: &mut dyn FnMut(Notice),
) {
    warn_about_permissions(settings, notices);
    if let Some(notice) = endpoint.and_then(CustomEndpoint::notice) {
        notices(notice);
    }
}

/// The session STS gives for `request`, signed by `signer`, checked.
fn checked_session(
    settings: &RefreshSettings,
    sts: &dyn Sts,
    signer: Signer<'_>,
    request: &SessionRequest,
) -> Result<SessionCredentials, StsError> {
    let session = sts.get_session(signer, request)?;
    sts::check_session(&session, (settings.clock)())
        .map_err(|why| StsError::BadResponse(request.endpoint_shown(), why))?;
    Ok(session)
}

/// Holds `key` (an MFA device, or a derived target) for this process, saying `waiting` when
/// another process has it. `None` without a place for the locks.
fn hold(
    settings: &RefreshSettings,
    key: &str,
    waiting: String,
    notices: &mut dyn FnMut(Notice),
) -> Result<Option<HeldDevice>, Error> {
    let Some(devices) = &settings.devices else {
        return Ok(None);
    };
    let held = devices.hold(key, || notices(Notice::Info(waiting)))?;
    held.map(Some).ok_or_else(|| Error::DeviceBusy {
        serial: key.to_owned(),
        waited: crate::fsio::device::DEVICE_LOCK_TIMEOUT.as_secs(),
    })
}

/// The plan made again from the file as it is now, when it changed since `docs` was read
/// (another process refreshed meanwhile); `None` when it did not change.
fn plan_again(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
) -> Result<Option<(SharedDocuments, plan::Plan)>, Error> {
    if fsio::holds(
        &settings.files.credentials,
        docs.credentials.input().as_bytes(),
    )? {
        return Ok(None);
    }
    let docs = SharedDocuments::read(&settings.files)?;
    // Its notices were given the first time.
    let plan = plan::plan(settings, &docs, &mut |_| {})?;
    Ok(Some((docs, plan)))
}

/// Warns when the credentials file or its directory is open to other users.
fn warn_about_permissions(settings: &RefreshSettings, notices: &mut dyn FnMut(Notice)) {
    let path = &settings.files.credentials;
    if let Some(mode) = fsio::loose_mode(path) {
        notices(Notice::Warning(format!(
            "{shown} can be read by other users (mode {mode:o}); run `chmod 600 {shown}`",
            shown = Shown(path)
        )));
    }
    if let Some((dir, mode)) = fsio::dir_writable_by_others(path) {
        notices(Notice::Warning(crate::profile::writable_dir_warning(
            &dir, mode, path,
        )));
    }
}

#[cfg(test)]
mod tests;
