//! MFA devices and the one-time codes they accept.
//!
//! Invariant: a device accepts at most one code per 30 s window of the stand-in's clock, the
//! way a TOTP device shows one code per window and a verifier "MUST NOT accept the second
//! attempt of the OTP after the successful validation has been issued for the first OTP"
//! (RFC 6238, section 5.2); which code is right is the test's choice ([`Codes`]).
//!
//! AWS's words: a code that is wrong or already used is AccessDenied "MultiFactorAuthentication
//! failed with invalid MFA one time pass code." (GetSessionToken API reference: "If you do not
//! supply a correct MFA code, then the API returns an access denied error"; the wording is
//! STS's), and a serial number that is not one of the caller's devices is AccessDenied
//! "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial
//! number is valid and associated with this user." (as STS answers it, two spaces included;
//! aws/aws-cli#6325).

use super::answer::AwsError;
use ring::hmac;
use std::collections::BTreeSet;

/// The length of a TOTP window ("Configuring MFA-protected API access": a virtual MFA device
/// shows a six-digit code; RFC 6238's default time step, 30 s).
pub const WINDOW_SECS: i64 = 30;

/// Which code a device takes in a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codes {
    /// Any six digits, once per window: the code a test gives is always "the one the device
    /// shows", and a second code in the window is a reuse. The default: the CLI tests pass a
    /// fixed `123456` and move to the next window ([`super::StandIn::next_code_window`]).
    AnySixDigits,
    /// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) with a secret derived from the serial: only
    /// the code of the current window, once ([`super::StandIn::code_now`] gives it). For tests
    /// that need a wrong code refused.
    Totp,
    /// Any six digits, as often as sent: a test hook (not AWS) for tests that run the tool
    /// hundreds of times with one fixed code (kills at random moments, generated files) and
    /// are about something else than codes.
    AnyTime,
}

/// An MFA device of a user.
#[derive(Clone, Debug)]
pub struct Device {
    pub serial: String,
    /// Epoch seconds (ListMFADevices' `EnableDate`).
    pub enabled: i64,
    used_windows: BTreeSet<i64>,
}

impl Device {
    pub fn new(serial: &str, enabled: i64) -> Device {
        Device {
            serial: serial.to_owned(),
            enabled,
            used_windows: BTreeSet::new(),
        }
    }
}

pub fn window_of(epoch: i64) -> i64 {
    epoch.div_euclid(WINDOW_SECS)
}

/// The RFC 6238 code of `serial`'s device in `window` (RFC 4226 dynamic truncation).
pub fn totp(serial: &str, window: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, serial.as_bytes());
    let mac = hmac::sign(&key, &window.to_be_bytes());
    let mac = mac.as_ref();
    let offset = (mac[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    format!("{:06}", binary % 1_000_000)
}

pub fn invalid_code() -> AwsError {
    AwsError::access_denied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

pub fn not_the_users_device() -> AwsError {
    AwsError::access_denied(
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.",
    )
}

/// Checks `code` for the device `serial` among `devices` at `now`, and uses up the window when
/// it is accepted.
pub fn accept(
    devices: &mut [Device],
    serial: &str,
    code: &str,
    codes: Codes,
    now: i64,
) -> Result<(), AwsError> {
    let Some(device) = devices.iter_mut().find(|d| d.serial == serial) else {
        return Err(not_the_users_device());
    };
    let window = window_of(now);
    let six_digits = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    if codes == Codes::AnyTime {
        return if six_digits {
            Ok(())
        } else {
            Err(invalid_code())
        };
    }
    if device.used_windows.contains(&window) {
        return Err(invalid_code());
    }
    let right = match codes {
        Codes::AnySixDigits | Codes::AnyTime => six_digits,
        Codes::Totp => code == totp(serial, window),
    };
    if !right {
        return Err(invalid_code());
    }
    device.used_windows.insert(window);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 vector (secret "12345678901234567890", T = 59 s:
    /// 94287082, whose last six digits are the six-digit code).
    #[test]
    fn totp_matches_rfc_6238s_test_vector() {
        assert_eq!(totp("12345678901234567890", 59 / 30), "287082");
        assert_eq!(totp("12345678901234567890", 1111111109 / 30), "081804");
    }

    #[test]
    fn a_device_takes_one_code_per_window() {
        let mut devices = vec![Device::new("arn:aws:iam::123456789012:mfa/alice", 0)];
        let serial = devices[0].serial.clone();
        let at = 1_000_000_000;
        accept(&mut devices, &serial, "123456", Codes::AnySixDigits, at).unwrap();
        let again = accept(&mut devices, &serial, "654321", Codes::AnySixDigits, at + 1);
        assert_eq!(again.unwrap_err(), invalid_code());
        accept(
            &mut devices,
            &serial,
            "123456",
            Codes::AnySixDigits,
            at + 30,
        )
        .unwrap();
        let other = accept(
            &mut devices,
            "GAHT12345678",
            "123456",
            Codes::AnySixDigits,
            at + 60,
        );
        assert_eq!(other.unwrap_err(), not_the_users_device());
    }
}
