//! What a refresh asks STS for: the source's keys, the MFA device, the role, the session
//! length, the region and the endpoint, each from the flags, else what the target records,
//! else the source profile, else STS's default.
//!
//! Invariant: every value taken from a profile is parsed into its typed input here (an error
//! names the profile and the key); nothing here reads the environment or the disk.

use super::super::RefreshSettings;
use super::{Call, Chosen, PlannedRole};
use crate::aws::sts::{CustomEndpoint, EndpointOrigin, RoleRequest, TrustChoice};
use crate::error::Error;
use crate::ini::SectionId;
use crate::input::{
    InputError, MfaSerial, Region, RoleArn, RoleSessionName, SessionDuration, Span,
};
use crate::profile::source::{services_sts_endpoint, source_profile};
use crate::profile::{
    long_term_profiles, FileKind, ManagedTarget, ProfileName, SharedDocuments, SourceError,
    SourceKeys, SourceProfile, ACCESS_KEY_ID, MFA_EXTERNAL_ID, MFA_ROLE_ARN, MFA_ROLE_SESSION_NAME,
    SECRET_ACCESS_KEY,
};
use crate::text::notice::Notice;
use std::str::FromStr;

/// Everything but the code.
pub(super) fn plan_call(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    chosen: Chosen,
    notices: &mut dyn FnMut(Notice),
) -> Result<Call, Error> {
    let Chosen {
        target,
        at,
        summary,
        source,
    } = chosen;
    let profiles = docs.profiles_of(&[source.as_str()])?;
    let source_settings = source_profile(&profiles, &source).map_err(|error| match error {
        SourceError::Missing(name) => {
            let sources = long_term_profiles(&docs.credentials, &docs.config);
            let among = if sources.is_empty() {
                format!("no profile holds long-term keys yet: run `mfa-profile setup -s {name}`, which asks for your IAM user's access key, writes it into [{name}] and makes the first session")
            } else {
                let listed: Vec<String> = sources.iter().map(|s| format!("[{s}]")).collect();
                format!("the profiles with long-term keys are {}", listed.join(", "))
            };
            SourceError::MissingAmong(name, among)
        }
        other => other,
    })?;
    refuse_keys_spanning_lines(settings, docs, &source, &source_settings.keys)?;
    let recorded = summary.managed.as_ref();
    let (serial, record_serial) = serial(settings, &source, &source_settings, recorded, notices)?;
    let role = planned_role(settings, recorded, &target, &source)?;
    let duration = duration(
        settings,
        &source,
        &source_settings,
        recorded,
        role.is_some(),
    )?;
    let (region, carry_region) = regions(settings, docs, at, &source, &source_settings)?;
    let endpoint = endpoint(settings, docs, &source, &source_settings)?;
    let prompt = profile_value(&source, "mfa_prompt", source_settings.mfa_prompt.as_deref())?;
    let trust = trust(settings, &source, &source_settings);
    let rerun = rerun_command(
        &target,
        &source,
        recorded,
        role.as_ref(),
        (&serial, record_serial),
        settings.duration.map(|d| d.secs()),
    );
    let options = settings.sdk.with_profile(&source_settings.sdk);
    Ok(Call {
        rerun,
        target,
        at,
        source,
        keys: source_settings.keys,
        serial,
        record_serial,
        duration,
        region,
        role,
        profile_command: source_settings.mfa_process,
        prompt,
        carry_region,
        endpoint,
        trust,
        options,
    })
}

/// The command that asks for this refresh again, as a hint shows it: what the target does not
/// record yet (its source, its role and session name, its device, the length asked) is named,
/// so the command does what this one was asked to do, not a refresh from another source.
fn rerun_command(
    target: &ProfileName,
    source: &ProfileName,
    recorded: Option<&ManagedTarget>,
    role: Option<&PlannedRole>,
    (serial, record_serial): (&MfaSerial, bool),
    duration_asked: Option<u32>,
) -> String {
    let mut command = "mfa-profile".to_owned();
    let records_source = match recorded {
        Some(managed) => managed.source == source.as_str(),
        None => crate::profile::implicit_source(target).as_ref() == Some(source),
    };
    if !records_source {
        command.push_str(&format!(" -s {source}"));
    }
    command.push_str(&format!(" -t {target}"));
    if let Some(role) = role {
        command.push_str(&role_flags(recorded, role));
    }
    command.push_str(&duration_flag(recorded, duration_asked));
    let recorded_serial = recorded.and_then(|r| r.serial_number.as_deref());
    if record_serial && recorded_serial != Some(serial.as_str()) {
        command.push_str(&format!(" --serial-number {serial}"));
    }
    command
}

/// The role flags a rerun names: what of `role` the target does not record.
pub(super) fn role_flags(recorded: Option<&ManagedTarget>, role: &PlannedRole) -> String {
    let mut flags = String::new();
    let arn = role.request.arn.as_str();
    // What the target records goes with its own role only.
    let same_role = recorded.filter(|r| r.role_arn.as_deref() == Some(arn));
    if same_role.is_none() {
        flags.push_str(&format!(" --role-arn {arn}"));
    }
    let external_id = role.request.external_id.as_ref().map(|id| id.as_str());
    if external_id != same_role.and_then(|r| r.external_id.as_deref()) {
        if let Some(id) = external_id {
            flags.push_str(&format!(" --external-id {id}"));
        }
    }
    let name = role.chosen_session_name.as_ref().map(|n| n.as_str());
    if name != same_role.and_then(|r| r.role_session_name.as_deref()) {
        if let Some(name) = name {
            flags.push_str(&format!(" --role-session-name {name}"));
        }
    }
    flags
}

/// `--duration` for a rerun, when a length was asked that the target does not record.
pub(super) fn duration_flag(recorded: Option<&ManagedTarget>, asked: Option<u32>) -> String {
    match asked {
        Some(secs) if recorded.and_then(|r| r.duration) != Some(secs) => {
            format!(" --duration {secs}")
        }
        _ => String::new(),
    }
}

/// The region of the call (`--region`, else the source's, else us-east-1), and the source's
/// region to add to the target's config profile: none with `--no-config`, nor when the
/// target's own credentials section has a region (it wins for the AWS CLI and boto3, so one
/// added to the config file would have no effect).
pub(super) fn regions(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    at: Option<SectionId>,
    source: &ProfileName,
    profile: &SourceProfile,
) -> Result<(Region, Option<Region>), Error> {
    let source_region: Option<Region> = profile_value(source, "region", profile.region.as_deref())?;
    let region = call_region(settings.region.as_ref(), source, profile)?;
    let target_has_region =
        at.is_some_and(|id| docs.credentials.section(id).get("region").is_some());
    Ok((
        region,
        source_region.filter(|_| settings.carry_region && !target_has_region),
    ))
}

/// The region of a call for `source`: `flag` (`--region`), else the source profile's, else
/// us-east-1.
pub(crate) fn call_region(
    flag: Option<&Region>,
    source: &ProfileName,
    profile: &SourceProfile,
) -> Result<Region, Error> {
    if let Some(region) = flag {
        return Ok(region.clone());
    }
    Ok(profile_value(source, "region", profile.region.as_deref())?
        .unwrap_or_else(Region::us_east_1))
}

/// The certificates TLS trusts: `AWS_CA_BUNDLE`, else `ca_bundle` in the source profile (the
/// AWS SDKs' order), else the system's.
pub(super) fn trust(
    settings: &RefreshSettings,
    source: &ProfileName,
    profile: &SourceProfile,
) -> TrustChoice {
    let named = profile
        .ca_bundle
        .as_deref()
        .map(|path| (source.as_str(), path));
    TrustChoice::new(&settings.tls, named)
}

/// The MFA device: `--serial-number`, else `mfa_serial` of the source, else aws-mfa's
/// `aws_mfa_device` (said), else the one the target records; and whether to record it.
fn serial(
    settings: &RefreshSettings,
    source: &ProfileName,
    profile: &SourceProfile,
    recorded: Option<&ManagedTarget>,
    notices: &mut dyn FnMut(Notice),
) -> Result<(MfaSerial, bool), Error> {
    if let Some(serial) = &settings.serial {
        return Ok((serial.clone(), true));
    }
    if let Some(serial) = profile_value(source, "mfa_serial", profile.mfa_serial.as_deref())? {
        return Ok((serial, false));
    }
    if let Some(serial) =
        profile_value::<MfaSerial>(source, "aws_mfa_device", profile.aws_mfa_device.as_deref())?
    {
        notices(Notice::Info(format!(
            "using aws_mfa_device ({serial}) of [{source}] as the MFA device, as aws-mfa does; `aws configure set mfa_serial {serial} --profile {source}` makes it the key every tool reads"
        )));
        return Ok((serial, false));
    }
    let recorded = recorded.and_then(|r| r.serial_number.as_deref());
    if let Some(serial) = profile_value(source, crate::profile::MFA_SERIAL_NUMBER, recorded)? {
        return Ok((serial, true));
    }
    Err(Error::NoSerial {
        profile: source.to_string(),
    })
}

/// What serial a still-valid target's refresh would use, for `--json`: none is worth a parse
/// error on the skip path.
pub(super) fn serial_for_display(
    docs: &SharedDocuments,
    source: &ProfileName,
    recorded: &ManagedTarget,
) -> Option<String> {
    let from_source = docs
        .profiles_of(&[source.as_str()])
        .ok()
        .and_then(|profiles| source_profile(&profiles, source).ok())
        .and_then(|p| p.mfa_serial.or(p.aws_mfa_device));
    from_source.or_else(|| recorded.serial_number.clone())
}

/// The session length: `--duration`, else what the target records, else `duration_seconds` of
/// the source, else STS's default (12 h, or 1 h for a role); a role's at most 12 h.
pub(super) fn duration(
    settings: &RefreshSettings,
    source: &ProfileName,
    profile: &SourceProfile,
    recorded: Option<&ManagedTarget>,
    role: bool,
) -> Result<SessionDuration, Error> {
    if let Some((value, line)) = recorded.and_then(|r| r.unreadable_duration.clone()) {
        return Err(Error::RecordedValue {
            target: recorded.map(|r| r.name.clone()).unwrap_or_default(),
            key: crate::profile::MFA_DURATION,
            path: settings.files.credentials.clone(),
            line,
            value,
        });
    }
    let recorded = recorded
        .and_then(|r| r.duration)
        .map(|secs| SessionDuration::new(Span::from_secs(secs)))
        .transpose()
        .map_err(|error| Error::ProfileValue {
            profile: recorded.map(|r| r.name.clone()).unwrap_or_default(),
            key: crate::profile::MFA_DURATION,
            error,
        })?;
    let duration = match settings.duration.or(recorded) {
        Some(duration) => duration,
        None => match profile_value::<Span>(
            source,
            "duration_seconds",
            profile.duration_seconds.as_deref(),
        )? {
            Some(span) => SessionDuration::new(span).map_err(|error| Error::ProfileValue {
                profile: source.to_string(),
                key: "duration_seconds",
                error,
            })?,
            None if role => SessionDuration::DEFAULT_ROLE,
            None => SessionDuration::DEFAULT,
        },
    };
    if role {
        Ok(duration.for_role()?)
    } else {
        Ok(duration)
    }
}

/// The role to assume: `--role-arn`, else the one recorded in the target; `--external-id`
/// and `--role-session-name` change either.
pub(super) fn planned_role(
    settings: &RefreshSettings,
    recorded: Option<&ManagedTarget>,
    target: &ProfileName,
    source: &ProfileName,
) -> Result<Option<PlannedRole>, Error> {
    let given = &settings.role;
    let recorded_arn = recorded.and_then(|m| m.role_arn.as_deref());
    let arn = match (&given.arn, recorded_arn) {
        (Some(arn), _) => arn.clone(),
        (None, Some(arn)) => RoleArn::from_str(arn).map_err(|error| Error::ProfileValue {
            profile: target.to_string(),
            key: MFA_ROLE_ARN,
            error,
        })?,
        (None, None) if given.external_id.is_some() || given.session_name.is_some() => {
            return Err(Error::RoleOptionWithoutRole {
                target: target.to_string(),
            })
        }
        (None, None) => return Ok(None),
    };
    // What the target records goes with its role only, not with a new one.
    let recorded = recorded.filter(|_| given.arn.is_none());
    let session_name = match &given.session_name {
        Some(name) => Some(name.clone()),
        None => profile_value(
            target,
            MFA_ROLE_SESSION_NAME,
            recorded.and_then(|r| r.role_session_name.as_deref()),
        )?,
    };
    let external_id = match &given.external_id {
        Some(id) => Some(id.clone()),
        None => profile_value(
            target,
            MFA_EXTERNAL_ID,
            recorded.and_then(|r| r.external_id.as_deref()),
        )?,
    };
    let effective = session_name
        .clone()
        .unwrap_or_else(|| RoleSessionName::sanitized(&format!("mfa-profile-{source}")));
    Ok(Some(PlannedRole {
        request: RoleRequest {
            arn,
            session_name: effective,
            external_id,
        },
        chosen_session_name: session_name,
    }))
}

/// The endpoint: the one `app` chose (`--endpoint-url`, `AWS_ENDPOINT_URL_STS`), else the
/// source profile's, as the SDKs read it (`[services NAME]` `sts` `endpoint_url`, then the
/// profile's `endpoint_url`), unless configured endpoints are turned off; a plain-http one
/// only on this machine or with `--allow-insecure-endpoint`.
pub(super) fn endpoint(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    source: &ProfileName,
    profile: &SourceProfile,
) -> Result<Option<CustomEndpoint>, Error> {
    if settings.endpoint.is_some() {
        return Ok(settings.endpoint.clone());
    }
    let ignored = profile
        .ignore_configured_endpoint_urls
        .as_deref()
        .is_some_and(crate::aws::sts::setting_is_true);
    if !settings.configured_endpoints || ignored {
        return Ok(None);
    }
    let from_services = match &profile.services {
        Some(services) => services_sts_endpoint(&docs.profiles_of(&[services.as_str()])?, services)
            .map(|url| (url, EndpointOrigin::ProfileServices)),
        None => None,
    };
    let found = from_services.or_else(|| {
        profile
            .endpoint_url
            .clone()
            .map(|url| (url, EndpointOrigin::ProfileEndpointUrl))
    });
    let Some((text, origin)) = found else {
        return Ok(None);
    };
    let key = match origin {
        EndpointOrigin::ProfileServices => "services sts endpoint_url",
        _ => "endpoint_url",
    };
    let url = profile_value(source, key, Some(&text))?.expect("a value was given");
    let endpoint = CustomEndpoint { url, origin };
    endpoint.check(settings.allow_insecure_endpoint)?;
    Ok(Some(endpoint))
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

/// A value read from profile `profile`, parsed into its typed input.
pub(super) fn profile_value<T: FromStr<Err = InputError>>(
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
