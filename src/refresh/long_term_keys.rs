//! What the plan of a refresh leaves to the process around it: the long-term keys a
//! `credential_process` prints, and the MFA device of a source that names none.
//!
//! Invariant: a credential process runs at most once per refresh, before the code is asked
//! for; the device is looked for only when the plan found none, and once found it is recorded
//! in the config file and the refresh planned again from the files, so what is used is what
//! the files say.

use super::plan::call_region;
use super::plan::{self, Plan};
use super::{CodeSource, RefreshSettings};
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
    /// The source profile.
    pub source: &'a ProfileName,
    /// Its long-term keys.
    pub keys: &'a LongTermKeys,
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
    codes: &mut dyn CodeSource,
    resolved: &mut Resolved,
) -> Result<LongTermKeys, Error> {
    match keys {
        SourceKeys::Stored(keys) => Ok(keys.clone()),
        SourceKeys::Process(command) => {
            if let Some((_, keys)) = resolved.as_ref().filter(|(name, _)| name == source) {
                return Ok(keys.clone());
            }
            let keys = codes.process_keys(&KeysRequest { source, command })?;
            *resolved = Some((source.clone(), keys.clone()));
            Ok(keys)
        }
    }
}

/// The plan, after finding the source's MFA device in IAM when it names none.
pub(super) fn plan_finding_device(
    settings: &RefreshSettings,
    docs: &mut SharedDocuments,
    codes: &mut dyn CodeSource,
    resolved: &mut Resolved,
    notices: &mut dyn FnMut(Notice),
) -> Result<Plan, Error> {
    let source = match plan::plan(settings, docs, notices) {
        Err(Error::NoSerial { profile }) => ProfileName::new(&profile)?,
        other => return other,
    };
    let profile = source_profile(&docs.profiles_of(&[source.as_str()])?, &source)?;
    let keys = resolve(&source, &profile.keys, codes, resolved)?;
    let region = call_region(settings.region.as_ref(), &source, &profile)?;
    let options = settings.sdk.with_profile(&profile.sdk);
    let request = DeviceRequest {
        source: &source,
        keys: &keys,
        region: &region,
        sts_endpoint: settings.endpoint.as_ref(),
        options: &options,
    };
    let found = codes.find_device(&request).map_err(|error| match error {
        Error::Iam(why) => KeyError::NoDeviceFound {
            profile: source.to_string(),
            why: why.to_string(),
        }
        .into(),
        other => other,
    })?;
    let Some(serial) = found else {
        return Err(Error::NoSerial {
            profile: source.to_string(),
        });
    };
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
