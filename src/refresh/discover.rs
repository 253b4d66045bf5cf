//! The MFA device of a source that names none: found in IAM (ListMFADevices, which AWS's
//! example force-MFA policy allows without MFA), and recorded as the source's `mfa_serial`.
//!
//! Invariant: FIDO security keys and passkeys are never chosen (they give no code); a single
//! usable device is taken, several are offered to `choose`; the config file gets one
//! `mfa_serial` line in the source's profile (or that profile, appended), written under the
//! lock, every other byte as it was.

use crate::aws::iam::{is_fido, Caller, Iam, Signer};
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::input::keys::LongTermKeys;
use crate::input::MfaSerial;
use crate::profile::edit_locked;
use crate::profile::{find_section, FileKind, ProfileName};
use crate::text::shown::Shown;
use std::path::Path;

/// The key `setup` and discovery record the device under, which every tool reads.
pub const MFA_SERIAL: &str = "mfa_serial";

/// The IAM user the long-term `keys` belong to (GetCallerIdentity), refusing other callers.
pub fn user_of(iam: &dyn Iam, keys: &LongTermKeys, profile: &ProfileName) -> Result<String, Error> {
    user_of_caller(&iam.caller(Signer::LongTerm(keys))?, profile)
}

/// The IAM user `caller` is, refusing the root user and anything else.
pub fn user_of_caller(caller: &Caller, profile: &ProfileName) -> Result<String, Error> {
    match caller.user_name() {
        Some(user) => Ok(user.to_owned()),
        None => Err(KeyError::NotAUser {
            profile: profile.to_string(),
            hint: if caller.is_root() {
                "they are the account root user's, which should have no access keys at all; create an IAM user and use its keys"
            } else {
                "mfa-profile needs an IAM user's long-term access keys"
            },
            arn: caller.arn.clone(),
        }
        .into()),
    }
}

/// Picks one of several MFA devices: given the user and the usable serials, an index.
pub type ChooseDevice<'a> = dyn FnMut(&str, &[String]) -> Result<usize, Error> + 'a;

/// The MFA device to use for the IAM user whose long-term `keys` these are: the only usable
/// one, or the one `choose` picks (given the usable serials, it returns an index).
pub fn find_device(
    iam: &dyn Iam,
    keys: &LongTermKeys,
    profile: &ProfileName,
    choose: &mut ChooseDevice,
) -> Result<MfaSerial, Error> {
    let user = user_of(iam, keys, profile)?;
    find_device_of(iam, keys, &user, profile, choose)
}

/// [`find_device`] for IAM user `user`, known already.
pub fn find_device_of(
    iam: &dyn Iam,
    keys: &LongTermKeys,
    user: &str,
    profile: &ProfileName,
    choose: &mut ChooseDevice,
) -> Result<MfaSerial, Error> {
    let devices = iam.mfa_devices(Signer::LongTerm(keys), user)?;
    let fido = devices.iter().filter(|s| is_fido(s)).count();
    let usable: Vec<String> = devices.into_iter().filter(|s| !is_fido(s)).collect();
    let no_device = |why: String| {
        Error::from(KeyError::NoDevice {
            profile: profile.to_string(),
            why,
        })
    };
    let serial = match usable.len() {
        0 if fido > 0 => {
            return Err(no_device(format!(
                "IAM user {user} has only {fido} FIDO security key or passkey device(s), which sign in a browser and give no code a command line can send; add a virtual (authenticator app) or hardware TOTP device in the IAM console and run again"
            )))
        }
        0 => {
            return Err(no_device(format!(
                "IAM user {user} has no MFA device; assign one in the IAM console (Security credentials > Assign MFA device) and run again"
            )))
        }
        1 => usable[0].clone(),
        _ => {
            let index = choose(user, &usable)?;
            usable.get(index).cloned().ok_or_else(|| {
                no_device(format!("no device number {} was offered", index + 1))
            })?
        }
    };
    serial.parse().map_err(|error| Error::ProfileValue {
        profile: profile.to_string(),
        key: MFA_SERIAL,
        error,
    })
}

/// Records `serial` as `mfa_serial` of profile `source` in the config file at `path`, under
/// the lock, from a fresh read. Returns the header it went into, or `None` when the profile
/// has an `mfa_serial` already (another run recorded one meanwhile).
pub fn record_serial(
    path: &Path,
    source: &ProfileName,
    serial: &MfaSerial,
) -> Result<Option<String>, Error> {
    let refused = Error::refused_in(path);
    edit_locked(path, |doc| {
        let at = find_section(doc, FileKind::Config, source).map_err(refused)?;
        if let Some(id) = at {
            let section = doc.section(id);
            if section.get(MFA_SERIAL).is_some_and(|v| !v.is_empty()) {
                return Ok((None, false));
            }
            crate::profile::check_lines_of(&section, &[MFA_SERIAL]).map_err(refused)?;
        }
        let id = at.unwrap_or_else(|| doc.append_section(&FileKind::Config.header_for(source)));
        doc.section_mut(id).set(MFA_SERIAL, serial.as_str());
        Ok((Some(doc.section(id).header().to_owned()), true))
    })
}

/// The sentence saying where the device was recorded.
pub fn recorded_notice(serial: &MfaSerial, header: &str, path: &Path) -> String {
    format!(
        "found MFA device {serial} in IAM and recorded it as mfa_serial in {header} of {}; later runs read it from there",
        Shown(path)
    )
}
