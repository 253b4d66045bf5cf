//! The refresh: from the source profile's long-term keys and an MFA code to a session written
//! into the target profile.
//!
//! Invariant: every check that can fail without STS runs before the code is asked for and
//! before STS is called; the file is written only after STS answered, under the lock, from a
//! fresh read; on any failure the file is untouched.

use crate::code::{check_code, check_serial, code_from_command};
use crate::error::Error;
use crate::fsio;
use crate::ini::Document;
use crate::paths::{self, FileLocations};
use crate::profile::{self, ProfileName, SectionAt, SectionSummary, SessionEntries};
use crate::secret::SessionCredentials;
use crate::source::{source_profile, SharedFiles};
use crate::stored::is_managed;
use crate::sts::RoleRequest;
use crate::sts::{SessionRequest, Sts};
use crate::units;
use std::path::PathBuf;

/// Default session length: 12 hours, as STS's own default.
pub const DEFAULT_DURATION: u32 = 43_200;
/// Default session length of an assumed role: 1 hour, as STS's own default (and the
/// MaxSessionDuration of a role nobody changed).
pub const DEFAULT_ROLE_DURATION: u32 = 3_600;
/// Region used when neither `--region` nor the source profile names one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// `--role-arn` and its companions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSettings {
    /// The role to assume.
    pub arn: String,
    /// `--role-session-name`.
    pub session_name: Option<String>,
    /// `--external-id`.
    pub external_id: Option<String>,
}

/// What a refresh was asked to do, every flag already in plain form.
#[derive(Clone, Debug)]
pub struct RefreshSettings {
    /// `--source`; when absent, the source recorded in a managed target, else `default`.
    pub source: Option<String>,
    /// `--target`; derived from the source when absent.
    pub target: Option<String>,
    /// `--serial-number`.
    pub serial: Option<String>,
    /// `--duration`, unparsed.
    pub duration: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// The code given on the command line.
    pub code: Option<String>,
    /// The shared files.
    pub files: FileLocations,
    /// The home directory, to show paths as `~/...`.
    pub home: Option<PathBuf>,
    /// A managed target valid for longer than this (seconds) is left alone.
    pub min_remaining: i64,
    /// Refresh even when the target is still valid.
    pub force: bool,
    /// The current time, epoch seconds.
    pub now: i64,
    /// `--role-arn` (with its companions); when absent, the role recorded in the target.
    pub role: Option<RoleSettings>,
    /// `--code-command`; when absent, `mfa_process` of the source profile.
    pub code_command: Option<String>,
    /// `--no-config`: never add the source's region to the target's config profile.
    pub no_config: bool,
    /// `AWS_PROFILE`: names the target when it is a managed one and neither `--source` nor
    /// `--target` is given.
    pub aws_profile: Option<String>,
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
    pub serial: String,
    /// The session written (its `Debug` is redacted), for callers that hand it on.
    pub session: SessionCredentials,
    /// The credentials file written.
    pub file: PathBuf,
}

/// The target for a source: `mfa` for `default`, `SOURCE-mfa` otherwise.
pub fn default_target(source: &ProfileName) -> Result<ProfileName, Error> {
    if source.as_str() == "default" {
        Ok(ProfileName::new("mfa")?)
    } else {
        Ok(ProfileName::new(&format!("{source}-mfa"))?)
    }
}

/// Runs a refresh. `ask_code` is called (with the device serial) only when no code was given
/// and every local check passed; `notice` receives progress messages for stderr.
pub fn refresh(
    settings: &RefreshSettings,
    sts: &dyn Sts,
    ask_code: &mut dyn FnMut(&str) -> Result<Option<String>, String>,
    notice: &mut dyn FnMut(&str),
) -> Result<Outcome, Error> {
    let credentials_path = &settings.files.credentials;
    let shown = paths::display(credentials_path, settings.home.as_deref());
    let (doc, config) = read_shared(settings)?;

    let given_source = settings
        .source
        .as_deref()
        .map(ProfileName::new)
        .transpose()?;
    let from_env = settings
        .aws_profile
        .as_deref()
        .filter(|name| settings.target.is_none() && is_managed(&doc, name));
    let named = settings.target.as_deref().or(from_env);
    let target = match (named, &given_source) {
        (Some(target), _) => ProfileName::new(target)?,
        (None, Some(source)) => default_target(source)?,
        (None, None) => ProfileName::new("mfa")?,
    };
    let (at, summary) = check_target(&doc, &target, &shown)?;
    // A named target refreshes from the source recorded in it, unless one is given.
    let recorded = summary
        .source_profile
        .as_deref()
        .filter(|_| named.is_some());
    let source = match (given_source, recorded) {
        (Some(source), _) => source,
        (None, Some(recorded)) => ProfileName::new(recorded)?,
        (None, None) => ProfileName::new("default")?,
    };
    if source == target {
        return Err(Error::SameProfile(source.to_string()));
    }
    refuse_long_term(&summary, &target, &shown)?;
    let expires_at = summary.expiration.as_deref().and_then(units::parse_rfc3339);
    if let (false, Some(expires_at), Some(recorded)) =
        (settings.force, expires_at, &summary.source_profile)
    {
        if recorded == source.as_str() && expires_at - settings.now > settings.min_remaining {
            return Ok(Outcome::StillValid {
                target,
                source,
                expires_at,
            });
        }
    }
    if let Some(mode) = fsio::loose_mode(credentials_path) {
        notice(&format!(
            "warning: {shown} can be read by other users (mode {mode:o}); run `chmod 600 {shown}`"
        ));
    }
    // Only the source's sections go to the SDK's parser: same reading, far less work.
    let shared = SharedFiles {
        credentials: profile::sections_for_profiles(&doc, &[source.as_str()]),
        config: profile::sections_for_profiles(&config, &[source.as_str()]),
    };
    drop(config);
    let source_settings = source_profile(&shared.profiles()?, &source)?;

    let serial = settings
        .serial
        .clone()
        .or(source_settings.mfa_serial.clone())
        .ok_or_else(|| Error::NoSerial {
            profile: source.to_string(),
        })?;
    check_serial(&serial).map_err(Error::BadInput)?;
    let role = role_request(settings, &summary, &source)?;
    let duration = match settings
        .duration
        .as_deref()
        .or(source_settings.duration_seconds.as_deref())
    {
        Some(text) => units::parse_duration(text).map_err(Error::BadInput)?,
        None if role.is_some() => DEFAULT_ROLE_DURATION,
        None => DEFAULT_DURATION,
    };
    let duration = units::check_duration(duration).map_err(Error::BadInput)?;
    let region = settings
        .region
        .clone()
        .or(source_settings.region.clone())
        .unwrap_or_else(|| DEFAULT_REGION.to_owned());
    check_region(&region)?;
    if let Some(url) = &settings.endpoint_url {
        check_endpoint(url)?;
    }
    let code_command = settings
        .code_command
        .as_deref()
        .or(source_settings.mfa_process.as_deref());
    let code = match (&settings.code, code_command) {
        (Some(code), _) => code.clone(),
        (None, Some(command)) => code_from_command(command).map_err(Error::CodeCommand)?,
        (None, None) => ask_code(&format!("{serial} (for [{target}])"))
            .map_err(Error::BadInput)?
            .ok_or(Error::NoCode)?,
    };
    check_code(&code).map_err(Error::BadInput)?;

    let request = SessionRequest {
        serial: serial.clone(),
        code,
        duration_seconds: duration,
        region,
        endpoint_url: settings.endpoint_url.clone(),
        role: role.clone(),
    };
    let session = sts.get_session(&source_settings.keys, &request)?;

    let real = fsio::real_path(credentials_path)?;
    let lock = fsio::lock_dir_of(&real, |dir| {
        notice(&format!(
            "waiting for another mfa-profile to finish writing in {}",
            paths::display(dir, settings.home.as_deref())
        ))
    })?;
    // Another writer may have changed the file since the first read: start again from what
    // is there now (parsing it again only if it changed).
    let (mut doc, at) = if fsio::holds(credentials_path, doc.input().as_bytes())? {
        (doc, at)
    } else {
        let now_read = fsio::read_optional(credentials_path)?.unwrap_or_default();
        let doc = parse_credentials(now_read, settings)?;
        let (at, summary) = check_target(&doc, &target, &shown)?;
        refuse_long_term(&summary, &target, &shown)?;
        (doc, at)
    };
    let expiration = units::rfc3339(session.expires_at);
    let entries = SessionEntries {
        access_key_id: &session.access_key_id,
        secret_access_key: session.secret_access_key.expose(),
        session_token: session.session_token.expose(),
        expiration: &expiration,
        source_profile: source.as_str(),
        role: match &role {
            None => SessionEntries::NO_ROLE,
            Some(role) => [
                (profile::MFA_ROLE_ARN, Some(role.arn.as_str())),
                (profile::MFA_EXTERNAL_ID, role.external_id.as_deref()),
                (profile::MFA_ROLE_SESSION_NAME, role.recorded_name()),
            ],
        },
    };
    profile::write_session(&mut doc, at, &target, &entries);
    fsio::replace(credentials_path, doc.render().as_bytes(), &lock)?;
    drop(lock);
    if !settings.no_config {
        if let Some(region) = &source_settings.region {
            carry_region_over(settings, &target, &source, region, notice);
        }
    }

    Ok(Outcome::Refreshed(Refreshed {
        target,
        source,
        serial,
        session,
        file: credentials_path.clone(),
    }))
}

/// Adds the source's region to the target's config profile when it has none, saying so. The
/// session is written already: a failure here is a warning, not a failed refresh.
fn carry_region_over(
    settings: &RefreshSettings,
    target: &ProfileName,
    source: &ProfileName,
    region: &str,
    notice: &mut dyn FnMut(&str),
) {
    let config = &settings.files.config;
    let shown = paths::display(config, settings.home.as_deref());
    match crate::region::carry_region(config, settings.home.as_deref(), target, region) {
        Ok(Some(header)) => notice(&format!(
            "added region = {region} (from [{source}]) to {header} in {shown}; --no-config leaves the config file alone"
        )),
        Ok(None) => {}
        Err(error) => notice(&format!(
            "warning: the session is written, but region = {region} was not added to [profile {target}] in {shown}: {error}"
        )),
    }
}

/// Reads the credentials file (its bytes, and parsed) and the config file (parsed).
fn read_shared(settings: &RefreshSettings) -> Result<(Document, Document), Error> {
    let home = settings.home.as_deref();
    let credentials = fsio::read_optional(&settings.files.credentials)?.unwrap_or_default();
    let doc = parse_credentials(credentials, settings)?;
    let config = fsio::read_optional(&settings.files.config)?.unwrap_or_default();
    // The config file is only read here; it must still be one both readers agree on.
    let config_doc = Document::parse_owned(config).map_err(|error| Error::Parse {
        path: paths::display(&settings.files.config, home),
        error,
    })?;
    Ok((doc, config_doc))
}

fn parse_credentials(bytes: Vec<u8>, settings: &RefreshSettings) -> Result<Document, Error> {
    Document::parse_owned(bytes).map_err(|error| Error::Parse {
        path: paths::display(&settings.files.credentials, settings.home.as_deref()),
        error,
    })
}

/// Locates the target section, refusing input the AWS CLI and the SDKs read differently.
fn check_target(
    doc: &Document,
    target: &ProfileName,
    shown: &str,
) -> Result<(Option<SectionAt>, SectionSummary), Error> {
    let refused = |refusal| Error::Refused {
        path: shown.to_owned(),
        refusal,
    };
    profile::check_leaking_defaults(doc).map_err(refused)?;
    let at = profile::find_credentials_section(doc, target).map_err(refused)?;
    let Some(at) = at else {
        return Ok((None, SectionSummary::default()));
    };
    let summary = profile::inspect_target(doc, at).map_err(refused)?;
    Ok((Some(at), summary))
}

/// Refuses a target that holds long-term keys: overwriting them would destroy the only copy.
fn refuse_long_term(
    summary: &SectionSummary,
    target: &ProfileName,
    shown: &str,
) -> Result<(), Error> {
    if summary.holds_long_term_keys() {
        return Err(Error::LongTermTarget {
            target: target.to_string(),
            path: shown.to_owned(),
        });
    }
    Ok(())
}

/// The role to assume: `--role-arn` (with its companions), else the one recorded in the target.
fn role_request(
    settings: &RefreshSettings,
    recorded: &SectionSummary,
    source: &ProfileName,
) -> Result<Option<RoleRequest>, Error> {
    let role = match (&settings.role, &recorded.role_arn) {
        (Some(given), _) => given.clone(),
        (None, Some(arn)) => RoleSettings {
            arn: arn.clone(),
            session_name: recorded.role_session_name.clone(),
            external_id: recorded.external_id.clone(),
        },
        (None, None) => return Ok(None),
    };
    check_role_arn(&role.arn)?;
    let explicit_name = role.session_name.is_some();
    let session_name = role.session_name.unwrap_or_else(|| {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c);
        format!("mfa-profile-{source}")
            .chars()
            .map(|c| if allowed(c) { c } else { '-' })
            .take(64)
            .collect()
    });
    check_role_session_name(&session_name)?;
    if let Some(id) = &role.external_id {
        let ok = (2..=1224).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c));
        if !ok {
            return Err(Error::BadInput(format!(
                "external ID `{}` is not 2 to 1224 of A-Z a-z 0-9 + = , . @ : / - _",
                id.escape_debug()
            )));
        }
    }
    Ok(Some(RoleRequest {
        arn: role.arn,
        session_name,
        external_id: role.external_id,
        session_name_given: explicit_name,
    }))
}

fn check_role_arn(arn: &str) -> Result<(), Error> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].starts_with("role/")
        && parts[5].len() > 5
        && arn.len() <= 2048
        && arn.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::BadInput(format!(
            "`{}` is not a role ARN (arn:aws:iam::ACCOUNT_ID:role/NAME)",
            arn.escape_debug()
        )))
    }
}

fn check_role_session_name(name: &str) -> Result<(), Error> {
    let ok = (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::BadInput(format!(
            "role session name `{}` is not 2 to 64 of A-Z a-z 0-9 + = , . @ - _ ",
            name.escape_debug()
        )))
    }
}

fn check_region(region: &str) -> Result<(), Error> {
    let ok = !region.is_empty()
        && region.len() <= 64
        && region.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::BadInput(format!(
            "region `{}` is not a region name like us-east-1",
            region.escape_debug()
        )))
    }
}

fn check_endpoint(url: &str) -> Result<(), Error> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(Error::BadInput(format!(
            "endpoint URL `{}` is not an http:// or https:// URL",
            url.escape_debug()
        ))),
    }
}
