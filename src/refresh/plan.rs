//! The plan of a refresh: which target and source, whether the target may be skipped, and the
//! STS request to make, decided from the parsed files and the settings alone.
//!
//! Invariant: pure (no I/O, no clock but `settings.now`); every refusal a refresh can make
//! without STS is made here.

use super::{Outcome, RefreshSettings, RoleSettings};
use crate::error::Error;
use crate::ini::SectionId;
use crate::input::{
    ExternalId, InputError, MfaCode, MfaSerial, Region, RoleArn, RoleSessionName, SessionDuration,
    Span,
};
use crate::profile::{
    locate_target, sections_for_profiles, FileKind, ManagedTarget, ProfileName, RecordedRole,
    SharedDocuments, SharedFiles, SourceKeys, SourceProfile, TargetSummary, ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
};
use crate::sts::{RoleRequest, SessionRequest};
use std::str::FromStr;

/// What to do.
pub(super) enum Plan {
    /// Nothing: the target is still valid.
    Skip(Outcome),
    /// Call STS, then write.
    Call(Call),
}

/// A refresh that goes to STS: everything but the code.
pub(super) struct Call {
    pub target: ProfileName,
    /// The target section, when it exists.
    pub at: Option<SectionId>,
    pub source: ProfileName,
    pub keys: SourceKeys,
    pub serial: MfaSerial,
    pub duration: SessionDuration,
    pub region: Region,
    pub role: Option<PlannedRole>,
    /// `mfa_process` of the source.
    pub profile_command: Option<String>,
    /// The source's own region, to add to the target's config profile.
    pub carry_region: Option<Region>,
    pub endpoint: Option<crate::sts::CustomEndpoint>,
}

/// The role to assume, and what of it the target records.
pub(super) struct PlannedRole {
    pub request: RoleRequest,
    /// The session name, recorded only when the user chose it.
    pub chosen_session_name: Option<RoleSessionName>,
}

impl Call {
    /// The STS request, with the code.
    pub fn request(&self, code: MfaCode) -> SessionRequest {
        SessionRequest {
            serial: self.serial.clone(),
            code,
            duration: self.duration,
            region: self.region.clone(),
            endpoint: self.endpoint.as_ref().map(|e| e.url.clone()),
            role: self.role.as_ref().map(|r| r.request.clone()),
        }
    }

    /// The role as the target records it.
    pub fn recorded_role(&self) -> Option<RecordedRole<'_>> {
        self.role.as_ref().map(|role| RecordedRole {
            arn: role.request.arn.as_str(),
            external_id: role.request.external_id.as_ref().map(ExternalId::as_str),
            session_name: role
                .chosen_session_name
                .as_ref()
                .map(RoleSessionName::as_str),
        })
    }
}

/// The target for a source: `mfa` for `default`, `SOURCE-mfa` otherwise.
pub fn default_target(source: &ProfileName) -> Result<ProfileName, Error> {
    if source.as_str() == "default" {
        Ok(ProfileName::new("mfa")?)
    } else {
        Ok(ProfileName::new(&format!("{source}-mfa"))?)
    }
}

/// Decides what a refresh does.
pub(super) fn plan(settings: &RefreshSettings, docs: &SharedDocuments) -> Result<Plan, Error> {
    let path = &settings.files.credentials;
    let refused = |refusal| Error::Refused {
        path: path.clone(),
        refusal,
    };
    let doc = &docs.credentials;
    let named = named_target(settings, doc);
    let target = match (&named, &settings.source) {
        (Some(target), _) => target.clone(),
        (None, Some(source)) => default_target(source)?,
        (None, None) => ProfileName::new("mfa")?,
    };
    let found = locate_target(doc, &target).map_err(refused)?;
    let (at, summary) = match found {
        Some((id, summary)) => (Some(id), summary),
        None => (None, TargetSummary::default()),
    };
    // A named target refreshes from the source recorded in it, unless one is given.
    let recorded = summary.managed.as_ref().filter(|_| named.is_some());
    let source = match (&settings.source, recorded) {
        (Some(source), _) => source.clone(),
        (None, Some(managed)) => ProfileName::new(&managed.source)?,
        (None, None) => ProfileName::default_profile(),
    };
    if source == target {
        return Err(Error::SameProfile(source.to_string()));
    }
    if summary.holds_long_term_keys() {
        return Err(Error::LongTermTarget {
            target: target.to_string(),
            path: path.clone(),
        });
    }
    if let Some(outcome) = still_valid(settings, &summary, &target, &source) {
        return Ok(Plan::Skip(outcome));
    }
    // Only the source's sections go to the SDK's parser: same reading, far less work.
    let shared = SharedFiles {
        credentials: sections_for_profiles(doc, &[source.as_str()]),
        config: sections_for_profiles(&docs.config, &[source.as_str()]),
    };
    let source_profile = crate::profile::source::source_profile(&shared.profiles()?, &source)?;
    refuse_keys_spanning_lines(settings, docs, &source, &source_profile.keys)?;
    let serial = match &settings.serial {
        Some(serial) => serial.clone(),
        None => profile_value(&source, "mfa_serial", source_profile.mfa_serial.as_deref())?
            .ok_or_else(|| Error::NoSerial {
                profile: source.to_string(),
            })?,
    };
    let role = planned_role(settings, summary.managed.as_ref(), &target, &source)?;
    let duration = match settings.duration {
        Some(duration) => duration,
        None => match profile_value::<Span>(
            &source,
            "duration_seconds",
            source_profile.duration_seconds.as_deref(),
        )? {
            Some(span) => SessionDuration::new(span).map_err(|error| Error::ProfileValue {
                profile: source.to_string(),
                key: "duration_seconds",
                error,
            })?,
            None if role.is_some() => SessionDuration::DEFAULT_ROLE,
            None => SessionDuration::DEFAULT,
        },
    };
    let duration = match role {
        Some(_) => duration.for_role()?,
        None => duration,
    };
    let source_region: Option<Region> =
        profile_value(&source, "region", source_profile.region.as_deref())?;
    let region = settings
        .region
        .clone()
        .or_else(|| source_region.clone())
        .unwrap_or_else(Region::us_east_1);
    let SourceProfile {
        keys, mfa_process, ..
    } = source_profile;
    Ok(Plan::Call(Call {
        target,
        at,
        source,
        keys,
        serial,
        duration,
        region,
        role,
        profile_command: mfa_process,
        carry_region: source_region.filter(|_| settings.carry_region),
        endpoint: settings.endpoint.clone(),
    }))
}

/// Refuses long-term keys that go on to the next line (an indented line under the key): the
/// SDKs read the next line as part of the key and fail to sign (the Rust SDK panics).
fn refuse_keys_spanning_lines(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    source: &ProfileName,
    keys: &SourceKeys,
) -> Result<(), Error> {
    let SourceKeys::Stored(keys) = keys else {
        return Ok(());
    };
    let values = [
        (ACCESS_KEY_ID, keys.access_key_id.as_str()),
        (SECRET_ACCESS_KEY, keys.secret_access_key.expose()),
    ];
    let Some((key, _)) = values.iter().find(|(_, value)| value.contains('\n')) else {
        return Ok(());
    };
    let files = [
        (
            &docs.credentials,
            FileKind::Credentials,
            &settings.files.credentials,
        ),
        (&docs.config, FileKind::Config, &settings.files.config),
    ];
    // The credentials file wins for the SDKs, and in a file the last of repeated keys.
    let found = files.iter().find_map(|(doc, kind, path)| {
        let line = doc
            .sections()
            .filter(|s| kind.sdk_profile(s) == Some(source.as_str()))
            .flat_map(|s| s.entries())
            .filter(|e| e.key().eq_ignore_ascii_case(key))
            .filter_map(|e| e.continuation().next())
            .last()?;
        Some(((*path).clone(), line.line))
    });
    let (path, line) = found.unwrap_or_else(|| (settings.files.credentials.clone(), 0));
    Err(Error::KeySpansLines {
        profile: source.to_string(),
        key,
        path,
        line,
    })
}

/// The target named by `--target`, else by `AWS_PROFILE` when that names a managed target.
fn named_target(settings: &RefreshSettings, doc: &crate::ini::Document) -> Option<ProfileName> {
    if let Some(target) = &settings.target {
        return Some(target.clone());
    }
    let env = ProfileName::new(settings.aws_profile.as_deref()?).ok()?;
    let id =
        crate::profile::find_section(doc, crate::profile::FileKind::Credentials, &env).ok()??;
    ManagedTarget::read(&doc.section(id)).map(|_| env)
}

/// The skip: a managed target from the same source, valid for longer than `min_remaining`.
fn still_valid(
    settings: &RefreshSettings,
    summary: &TargetSummary,
    target: &ProfileName,
    source: &ProfileName,
) -> Option<Outcome> {
    let managed = summary.managed.as_ref()?;
    let expires_at = managed.expires_at?;
    let valid = !settings.force
        && managed.source == source.as_str()
        && expires_at - settings.now > i64::from(settings.min_remaining.secs());
    valid.then(|| Outcome::StillValid {
        target: target.clone(),
        source: source.clone(),
        expires_at,
    })
}

/// The role to assume: `--role-arn` (with its companions), else the one recorded in the target.
fn planned_role(
    settings: &RefreshSettings,
    recorded: Option<&ManagedTarget>,
    target: &ProfileName,
    source: &ProfileName,
) -> Result<Option<PlannedRole>, Error> {
    let role = match (&settings.role, recorded.and_then(|m| m.role_arn.as_ref())) {
        (Some(given), _) => given.clone(),
        (None, Some(arn)) => {
            let recorded = recorded.expect("a recorded role");
            RoleSettings {
                arn: RoleArn::from_str(arn).map_err(|error| Error::ProfileValue {
                    profile: target.to_string(),
                    key: crate::profile::MFA_ROLE_ARN,
                    error,
                })?,
                session_name: profile_value(
                    target,
                    crate::profile::MFA_ROLE_SESSION_NAME,
                    recorded.role_session_name.as_deref(),
                )?,
                external_id: profile_value(
                    target,
                    crate::profile::MFA_EXTERNAL_ID,
                    recorded.external_id.as_deref(),
                )?,
            }
        }
        (None, None) => return Ok(None),
    };
    let session_name = role
        .session_name
        .clone()
        .unwrap_or_else(|| RoleSessionName::sanitized(&format!("mfa-profile-{source}")));
    Ok(Some(PlannedRole {
        request: RoleRequest {
            arn: role.arn,
            session_name,
            external_id: role.external_id,
        },
        chosen_session_name: role.session_name,
    }))
}

/// A value read from profile `profile`, parsed into its typed input.
fn profile_value<T: FromStr<Err = InputError>>(
    profile: &ProfileName,
    key: &'static str,
    value: Option<&str>,
) -> Result<Option<T>, Error> {
    value
        .map(|text| {
            text.parse().map_err(|error| Error::ProfileValue {
                profile: profile.to_string(),
                key,
                error,
            })
        })
        .transpose()
}
