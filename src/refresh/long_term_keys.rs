//! What the plan of a refresh leaves to the services around it: the long-term keys a
//! `credential_process` prints ([`KeySource`](super::KeySource)), and the MFA device of a source
//! that names none, found in IAM ([`IamFor`](super::IamFor)), chosen by the code source when
//! IAM lists several.
//!
//! Invariant: a credential process runs at most once per refresh, before the code is asked
//! for; the device is looked for only when the plan found none, and once found it is recorded
//! in the config file and the refresh planned again from the files, so what is used is what
//! the files say.

use super::plan::call_region;
use super::plan::{self, Plan};
use super::{KeySource, RefreshSettings, Services};
use crate::aws::sts::CustomEndpoint;
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::input::keys::LongTermKeys;
use crate::input::Region;
use crate::profile::source::source_profile;
use crate::profile::{ProfileName, SharedDocuments, SourceKeys};
use crate::refresh::discover::{record_serial, recorded_notice};
use crate::text::notice::Notice;

/// What a credential process is run for.
#[derive(Clone, Copy, Debug)]
pub struct KeysRequest<'a> {
    /// The source profile.
    pub source: &'a ProfileName,
    /// Its `credential_process`.
    pub command: &'a str,
}

/// What the MFA device is looked for with.
#[derive(Clone, Copy, Debug)]
pub struct DeviceRequest<'a> {
    /// The region of its calls.
    pub region: &'a Region,
    /// The STS endpoint of the refresh, when not STS's own.
    pub sts_endpoint: Option<&'a CustomEndpoint>,
    /// FIPS, dual-stack, the app id, from the environment and the source profile.
    pub options: &'a crate::aws::CallOptions,
}

/// Keys a credential process printed during this refresh, by source.
pub(super) type Resolved = Option<(ProfileName, LongTermKeys)>;

/// The source's long-term keys: from the files, or from its credential process (run once).
pub(super) fn resolve(
    source: &ProfileName,
    keys: &SourceKeys,
    processes: &mut dyn KeySource,
    resolved: &mut Resolved,
) -> Result<LongTermKeys, Error> {
    match keys {
        SourceKeys::Stored(keys) => Ok(keys.clone()),
        SourceKeys::Process(command) => {
            if let Some((_, keys)) = resolved.as_ref().filter(|(name, _)| name == source) {
                return Ok(keys.clone());
            }
            let keys = processes.process_keys(&KeysRequest { source, command })?;
            *resolved = Some((source.clone(), keys.clone()));
            Ok(keys)
        }
    }
}

/// The plan, after finding the source's MFA device in IAM when it names none.
pub(super) fn plan_finding_device(
    settings: &RefreshSettings,
    docs: &mut SharedDocuments,
    services: &mut Services<'_>,
    resolved: &mut Resolved,
    notices: &mut dyn FnMut(Notice),
) -> Result<Plan, Error> {
    let source = match plan::plan(settings, docs, notices) {
        Err(Error::NoSerial { profile }) => ProfileName::new(&profile)?,
        other => return other,
    };
    let profile = source_profile(&docs.profiles_of(&[source.as_str()])?, &source)?;
    let keys = resolve(&source, &profile.keys, services.keys, resolved)?;
    let region = call_region(settings.region.as_ref(), &source, &profile)?;
    let options = settings.sdk.with_profile(&profile.sdk);
    let request = DeviceRequest {
        region: &region,
        sts_endpoint: settings.endpoint.as_ref(),
        options: &options,
    };
    let Some(iam) = services.iam.iam_for(&request)? else {
        return Err(Error::NoSerial {
            profile: source.to_string(),
        });
    };
    notices(Notice::Info(format!(
        "[{source}] names no MFA device (mfa_serial); looking for it in IAM"
    )));
    let codes = &mut *services.codes;
    let mut choose = |user: &str, devices: &[String]| codes.choose_device(&source, user, devices);
    let serial =
        super::discover::find_device(&*iam, &keys, &source, &mut choose).map_err(|error| {
            match error {
                Error::Iam(why) => KeyError::NoDeviceFound {
                    profile: source.to_string(),
                    why: why.to_string(),
                }
                .into(),
                other => other,
            }
        })?;
    let path = &settings.files.config;
    match record_serial(path, &source, &serial) {
        Ok(Some(header)) => notices(Notice::Info(recorded_notice(&serial, &header, path))),
        Ok(None) => {}
        Err(error) => {
            return Err(KeyError::RecordSerial {
                profile: source.to_string(),
                serial: serial.to_string(),
                file: crate::text::shown::Shown(path).to_string(),
                why: error.to_string(),
            }
            .into())
        }
    }
    *docs = SharedDocuments::read(&settings.files)?;
    // The notices of this plan were given the first time.
    plan::plan(settings, docs, &mut |_| {})
}
