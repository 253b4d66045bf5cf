//! The OS keychain for a source's long-term keys (`setup --keychain`, `source-keys`): on Linux
//! the Secret Service (GNOME Keyring, KeePassXC, KWallet's bridge) through `secret-tool` from
//! libsecret; elsewhere not available here, said plainly.
//!
//! Invariant: the keys travel only through the helper's standard input and output, never its
//! arguments (which other users can list); what is read back is zeroed once used; an item is
//! found by the attributes `service = mfa-profile`, `profile = NAME`.

use crate::error::Error;
use crate::key_error::KeyError;
use crate::keys::LongTermKeys;
use crate::process_keys::long_term_keys;
use crate::profile::ProfileName;
use std::io::Write;
use std::process::{Command, Stdio};
use zeroize::Zeroizing;

/// The helper run for the keychain.
const HELPER: &str = "secret-tool";

/// Stores `keys` as the long-term keys of `source`, replacing an earlier item.
pub(super) fn store(source: &ProfileName, keys: &LongTermKeys) -> Result<(), Error> {
    let json = Zeroizing::new(process_json(keys));
    let label = format!("mfa-profile: long-term keys of [{source}]");
    let mut child = helper(&["store", "--label", &label], source)?
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(cannot_run)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(json.as_bytes())
            .map_err(|e| failed(&format!("took no input ({})", crate::plain::io_error(&e))))?;
    }
    let out = child.wait_with_output().map_err(cannot_run)?;
    if !out.status.success() {
        return Err(failed(&stderr_of(&out.stderr)));
    }
    Ok(())
}

/// The long-term keys stored for `source`.
pub(super) fn lookup(source: &ProfileName) -> Result<LongTermKeys, Error> {
    let out = helper(&["lookup"], source)?
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(cannot_run)?;
    let stored = Zeroizing::new(out.stdout);
    if !out.status.success() || stored.is_empty() {
        return Err(KeyError::Keychain(format!(
            "the keychain holds no keys for [{source}] (store them with `mfa-profile setup -s {source} --keychain`){}",
            match stderr_of(&out.stderr) {
                why if why.is_empty() => String::new(),
                why => format!(": {why}"),
            }
        ))
        .into());
    }
    long_term_keys(&stored).map_err(|why| {
        KeyError::Keychain(format!("the keychain's item for [{source}] {why}")).into()
    })
}

/// The credential_process JSON of long-term keys.
pub(super) fn process_json(keys: &LongTermKeys) -> String {
    serde_json::json!({
        "Version": 1,
        "AccessKeyId": keys.access_key_id,
        "SecretAccessKey": keys.secret_access_key.expose(),
    })
    .to_string()
}

/// `secret-tool ARGS service mfa-profile profile SOURCE`.
#[cfg(target_os = "linux")]
fn helper(args: &[&str], source: &ProfileName) -> Result<Command, Error> {
    let mut command = Command::new(HELPER);
    command
        .args(args)
        .args(["service", "mfa-profile", "profile", source.as_str()]);
    Ok(command)
}

#[cfg(not(target_os = "linux"))]
fn helper(_args: &[&str], _source: &ProfileName) -> Result<Command, Error> {
    Err(KeyError::Keychain(
        "the OS keychain is supported on Linux (the Secret Service, through secret-tool) only; here, keep the keys in the credentials file or serve them with a credential_process of your password manager".into(),
    )
    .into())
}

fn cannot_run(error: std::io::Error) -> Error {
    KeyError::Keychain(format!(
        "cannot run {HELPER} ({}); install libsecret's tools (Debian: libsecret-tools) and a Secret Service (GNOME Keyring, KeePassXC)",
        crate::plain::io_error(&error)
    ))
    .into()
}

fn failed(why: &str) -> Error {
    KeyError::Keychain(format!("{HELPER} could not store the keys: {why}")).into()
}

/// The helper's last line of standard error, made printable.
fn stderr_of(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    super::terminal::printable(last.trim()).into_owned()
}
