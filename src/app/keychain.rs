//! The OS keychain for a source's long-term keys (`setup --keychain`, `source-keys`): on Linux
//! the Secret Service (GNOME Keyring, KeePassXC, KWallet's bridge) through libsecret's
//! `secret-tool`; on Windows the Credential Manager; elsewhere not available, said plainly.
//!
//! Invariant: the keys never travel in a command's arguments (which other users can list);
//! what is read back is zeroed once used and handed on only when it is a pair of well formed
//! long-term keys; an item is found by service `mfa-profile` and the profile's name.

use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::input::keys::LongTermKeys;
use crate::profile::process_keys::long_term_keys;
use crate::profile::ProfileName;
use zeroize::Zeroizing;

/// The service the items are stored under.
const SERVICE: &str = "mfa-profile";

/// Stores `keys` as the long-term keys of `source`, replacing an earlier item.
pub(super) fn store(source: &ProfileName, keys: &LongTermKeys) -> Result<(), Error> {
    let json = Zeroizing::new(crate::profile::process_keys::long_term_process_json(keys));
    platform::put(source, &json)
        .map_err(|why| KeyError::Keychain(format!("the keys could not be stored: {why}")).into())
}

/// The long-term keys stored for `source`.
pub(super) fn lookup(source: &ProfileName) -> Result<LongTermKeys, Error> {
    let stored = platform::get(source)
        .map_err(|why| KeyError::Keychain(format!("cannot read the keychain for [{source}]: {why}")))?
        .ok_or_else(|| {
            KeyError::Keychain(format!(
                "the keychain holds no keys for [{source}] (store them with `mfa-profile setup -s {source} --keychain`)"
            ))
        })?;
    long_term_keys(&stored).map_err(|why| {
        KeyError::Keychain(format!("the keychain's item for [{source}] {why}")).into()
    })
}

/// The Secret Service, through `secret-tool` (attributes `service`, `profile`).
#[cfg(target_os = "linux")]
mod platform {
    use super::SERVICE;
    use crate::profile::ProfileName;
    use std::io::Write;
    use std::process::{Command, Stdio};
    use zeroize::Zeroizing;

    const HELPER: &str = "secret-tool";

    /// Stores `secret` (on the helper's standard input).
    pub fn put(source: &ProfileName, secret: &str) -> Result<(), String> {
        let label = format!("{SERVICE}: long-term keys of [{source}]");
        let mut child = helper(&["store", "--label", &label], source)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(cannot_run)?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(secret.as_bytes()).map_err(|e| {
                format!(
                    "{HELPER} took no input ({})",
                    crate::text::plain::io_error(&e)
                )
            })?;
        }
        let out = child.wait_with_output().map_err(cannot_run)?;
        match out.status.success() {
            true => Ok(()),
            false => Err(format!("{HELPER}: {}", last_line(&out.stderr))),
        }
    }

    /// The stored secret; `None` when there is none; `Err` when the keychain could not be
    /// asked. (`secret-tool lookup` fails with nothing on standard error when it finds no item.)
    pub fn get(source: &ProfileName) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        let out = helper(&["lookup"], source)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(cannot_run)?;
        let stored = Zeroizing::new(out.stdout);
        if out.status.success() && !stored.is_empty() {
            return Ok(Some(stored));
        }
        match last_line(&out.stderr) {
            why if why.is_empty() => Ok(None),
            why => Err(format!("{HELPER}: {why}")),
        }
    }

    fn helper(args: &[&str], source: &ProfileName) -> Command {
        let mut command = Command::new(HELPER);
        command
            .args(args)
            .args(["service", SERVICE, "profile", source.as_str()]);
        command
    }

    fn cannot_run(error: std::io::Error) -> String {
        format!(
            "cannot run {HELPER} ({}); install libsecret's tools (Debian: libsecret-tools) and a Secret Service (GNOME Keyring, KeePassXC)",
            crate::text::plain::io_error(&error)
        )
    }

    /// The helper's last line of standard error, made printable.
    fn last_line(stderr: &[u8]) -> String {
        let text = String::from_utf8_lossy(stderr);
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        crate::app::terminal::printable(last.trim()).into_owned()
    }
}

/// The Credential Manager (a generic credential for `mfa-profile` and the profile's name).
#[cfg(windows)]
mod platform {
    use super::SERVICE;
    use crate::profile::ProfileName;
    use zeroize::Zeroizing;

    pub fn put(source: &ProfileName, secret: &str) -> Result<(), String> {
        entry(source)?
            .set_password(secret)
            .map_err(|e| e.to_string())
    }

    pub fn get(source: &ProfileName) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        match entry(source)?.get_password() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret.into_bytes()))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(other) => Err(other.to_string()),
        }
    }

    fn entry(source: &ProfileName) -> Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, source.as_str()).map_err(|e| e.to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_secret_put_in_the_credential_manager_is_got_back() {
            let name = ProfileName::new("mfa-profile-unit-test").unwrap();
            put(&name, "{\"Version\": 1}").unwrap();
            assert_eq!(get(&name).unwrap().unwrap().as_slice(), b"{\"Version\": 1}");
            entry(&name).unwrap().delete_credential().unwrap();
            assert_eq!(get(&name).unwrap(), None);
        }
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod platform {
    use crate::profile::ProfileName;
    use zeroize::Zeroizing;

    const UNSUPPORTED: &str = "the OS keychain is supported on Linux (the Secret Service) and Windows (the Credential Manager) only; here, keep the keys in the credentials file or serve them with your password manager's credential_process";

    pub fn put(_source: &ProfileName, _secret: &str) -> Result<(), String> {
        Err(UNSUPPORTED.into())
    }

    pub fn get(_source: &ProfileName) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        Err(UNSUPPORTED.into())
    }
}
