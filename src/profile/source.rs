//! The source profile: its long-term keys and the settings a refresh takes from it, read with
//! the AWS SDK's own profile parser (`aws-config`) from the very bytes mfa-profile edits.
//!
//! Invariant: nothing here reads the process environment or the disk; the caller hands over the
//! file contents, so what was checked is what is used.

use super::{ProfileName, ACCESS_KEY_ID, MFA_SOURCE_PROFILE, SECRET_ACCESS_KEY, SESSION_TOKEN};
use crate::input::keys::{LongTermKeys, Secret};
pub use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use zeroize::Zeroize;

/// The contents of the two shared files, as read. Its `Debug` shows only sizes.
#[derive(Clone, Default)]
pub struct SharedFiles {
    /// The credentials file (empty when missing).
    pub credentials: String,
    /// The config file (empty when missing).
    pub config: String,
}

impl std::fmt::Debug for SharedFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedFiles")
            .field("credentials_bytes", &self.credentials.len())
            .field("config_bytes", &self.config.len())
            .finish()
    }
}

impl Drop for SharedFiles {
    fn drop(&mut self) {
        self.credentials.zeroize();
        self.config.zeroize();
    }
}

impl SharedFiles {
    /// The same contents in the form the SDK's profile loader takes.
    pub fn to_env_config_files(&self) -> EnvConfigFiles {
        EnvConfigFiles::builder()
            .with_contents(EnvConfigFileKind::Config, self.config.clone())
            .with_contents(EnvConfigFileKind::Credentials, self.credentials.clone())
            .build()
    }

    /// Parses both files as the SDK does: profiles merged across them, the credentials file
    /// winning key by key.
    pub fn profiles(&self) -> Result<ProfileSet, SourceError> {
        let files = self.to_env_config_files();
        let fs = Fs::from_slice(&[]);
        let env = Env::from_slice(&[]);
        // With in-memory contents the loader never waits on I/O: one poll completes it.
        ready(aws_config::profile::load(&fs, &env, &files, None))
            .map_err(|e| SourceError::Unparsable(e.to_string()))
    }
}

/// Where the source profile's long-term keys are.
#[derive(Clone, Debug)]
pub enum SourceKeys {
    /// In the files.
    Stored(LongTermKeys),
    /// Printed by the profile's `credential_process` (a password manager, a keychain), run
    /// only when they are needed and never written anywhere.
    Process(String),
}

/// What a refresh takes from the source profile, as found there (the refresh parses each
/// setting into its typed input).
#[derive(Clone, Debug)]
pub struct SourceProfile {
    /// The long-term keys, or the command that prints them.
    pub keys: SourceKeys,
    /// `mfa_serial`, from either file.
    pub mfa_serial: Option<String>,
    /// `duration_seconds`, unparsed.
    pub duration_seconds: Option<String>,
    /// `region`.
    pub region: Option<String>,
    /// `mfa_process`: a command printing the MFA code (aws-vault's key).
    pub mfa_process: Option<String>,
    /// `mfa_prompt`: where to ask for a code (`terminal` or `gui`).
    pub mfa_prompt: Option<String>,
    /// `aws_mfa_device`: broamski/aws-mfa's name for the MFA device.
    pub aws_mfa_device: Option<String>,
    /// `endpoint_url`: the endpoint for every service, as the SDKs read it from a profile.
    pub endpoint_url: Option<String>,
    /// `services`: the `[services NAME]` section with per-service settings.
    pub services: Option<String>,
    /// `ignore_configured_endpoint_urls`: `true` turns configured endpoints off.
    pub ignore_configured_endpoint_urls: Option<String>,
    /// `ca_bundle`: the certificates to trust instead of the system's.
    pub ca_bundle: Option<String>,
    /// `use_fips_endpoint`, `use_dualstack_endpoint`, `sdk_ua_app_id`.
    pub sdk: crate::aws::ProfileOptions,
}

/// The `endpoint_url` that section `[services NAME]` gives STS (`sts =` with an indented
/// `endpoint_url = URL`), as the SDKs read it.
pub fn services_sts_endpoint(profiles: &ProfileSet, services: &str) -> Option<String> {
    let key = aws_runtime::env_config::property::PropertiesKey::builder()
        .section_key("services")
        .section_name(services)
        .property_name("sts")
        .sub_property_name("endpoint_url")
        .build()
        .ok()?;
    profiles
        .other_sections()
        .get(&key)
        .cloned()
        .filter(|url| !url.is_empty())
}

/// Why the source profile cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The SDK's parser rejected a file.
    #[error("the AWS SDK cannot parse the shared files: {0}")]
    Unparsable(String),
    /// No such profile in either file.
    #[error("source profile [{0}] is in neither the credentials nor the config file")]
    Missing(String),
    /// No such profile in either file; these hold long-term keys.
    #[error("source profile [{0}] is in neither the credentials nor the config file; {1}")]
    MissingAmong(String, String),
    /// The profile has no access key.
    #[error("source profile [{0}] has no aws_access_key_id (nor a credential_process printing one); mfa-profile needs an IAM user's long-term access keys there")]
    NoKeys(String),
    /// Access key without secret.
    #[error("source profile [{0}] has aws_access_key_id but no aws_secret_access_key")]
    NoSecret(String),
    /// A key holds a character no request can carry.
    #[error("source profile [{0}]: its {1} holds a character no request can carry (a control character, or in a key id a letter outside ASCII); retype the key")]
    Unsendable(String, &'static str),
    /// The profile resolves to temporary credentials.
    #[error("source profile [{0}] {1}; GetSessionToken needs an IAM user's long-term access keys (AKIA...), so use the profile that holds them as --source")]
    Temporary(String, &'static str),
}

/// Reads the source profile from the parsed files.
pub fn source_profile(
    profiles: &ProfileSet,
    name: &ProfileName,
) -> Result<SourceProfile, SourceError> {
    let owned = || name.as_str().to_owned();
    let profile = profiles
        .get_profile(name.as_str())
        .ok_or_else(|| SourceError::Missing(owned()))?;
    if profile.get(MFA_SOURCE_PROFILE).is_some() {
        return Err(SourceError::Temporary(
            owned(),
            "is itself a session written by mfa-profile",
        ));
    }
    if profile.get(SESSION_TOKEN).is_some() {
        return Err(SourceError::Temporary(
            owned(),
            "holds temporary credentials (it has aws_session_token)",
        ));
    }
    let setting = |key: &str| {
        profile
            .get(key)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let process = || setting("credential_process").filter(|_| profile.get("role_arn").is_none());
    let keys = match (profile.get(ACCESS_KEY_ID), process()) {
        (Some(access_key_id), _) => SourceKeys::Stored(LongTermKeys {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: Secret::new(
                profile
                    .get(SECRET_ACCESS_KEY)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| SourceError::NoSecret(owned()))?,
            ),
        }),
        (None, Some(command)) => SourceKeys::Process(command),
        (None, None) => {
            return Err(indirect_source(profile, owned()));
        }
    };
    if let SourceKeys::Stored(stored) = &keys {
        // A key going on to the next line is refused with that line by the refresh's plan and
        // the rotation's checks; any other character no request can carry, here.
        let without_lines = LongTermKeys {
            access_key_id: stored.access_key_id.replace('\n', ""),
            secret_access_key: Secret::new(stored.secret_access_key.expose().replace('\n', "")),
        };
        if let Some(key) = without_lines.unsendable() {
            return Err(SourceError::Unsendable(owned(), key));
        }
    }
    Ok(SourceProfile {
        keys,
        mfa_serial: setting("mfa_serial"),
        duration_seconds: setting("duration_seconds"),
        region: setting("region"),
        mfa_process: setting("mfa_process"),
        mfa_prompt: setting("mfa_prompt"),
        aws_mfa_device: setting("aws_mfa_device"),
        endpoint_url: setting("endpoint_url"),
        services: setting("services"),
        ignore_configured_endpoint_urls: setting("ignore_configured_endpoint_urls"),
        ca_bundle: setting("ca_bundle"),
        sdk: crate::aws::ProfileOptions {
            use_fips_endpoint: setting("use_fips_endpoint"),
            use_dualstack_endpoint: setting("use_dualstack_endpoint"),
            sdk_ua_app_id: setting("sdk_ua_app_id"),
        },
    })
}

/// The settings of profile `name` that say where its calls go (`region`, and
/// `use_fips_endpoint`, `use_dualstack_endpoint`, `sdk_ua_app_id`), read whatever its keys
/// hold: a command that checks the keys itself, with their lines (`rotate`), needs these first.
pub fn call_settings(
    profiles: &ProfileSet,
    name: &ProfileName,
) -> (Option<String>, crate::aws::ProfileOptions) {
    let Some(profile) = profiles.get_profile(name.as_str()) else {
        return Default::default();
    };
    let setting = |key: &str| {
        profile
            .get(key)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    (
        setting("region"),
        crate::aws::ProfileOptions {
            use_fips_endpoint: setting("use_fips_endpoint"),
            use_dualstack_endpoint: setting("use_dualstack_endpoint"),
            sdk_ua_app_id: setting("sdk_ua_app_id"),
        },
    )
}

/// Why a profile with neither keys nor a `credential_process` cannot be a source.
fn indirect_source(profile: &aws_config::profile::Profile, name: String) -> SourceError {
    let indirect = [
        ("role_arn", "assumes a role (role_arn)"),
        (
            "sso_session",
            "signs in with IAM Identity Center (sso_session)",
        ),
        (
            "sso_start_url",
            "signs in with IAM Identity Center (sso_start_url)",
        ),
        (
            "web_identity_token_file",
            "uses web identity (web_identity_token_file)",
        ),
    ];
    match indirect.iter().find(|(key, _)| profile.get(key).is_some()) {
        Some((_, how)) => SourceError::Temporary(name, how),
        None => SourceError::NoKeys(name),
    }
}

/// Drives a future that is known not to wait (the profile loader with in-memory contents).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(credentials: &str, config: &str, name: &str) -> Result<SourceProfile, SourceError> {
        let files = SharedFiles {
            credentials: credentials.into(),
            config: config.into(),
        };
        source_profile(&files.profiles()?, &ProfileName::new(name).unwrap())
    }

    #[test]
    fn reads_keys_and_settings_across_both_files() {
        let source = load(
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalr\n",
            "[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n",
            "default",
        )
        .unwrap();
        let SourceKeys::Stored(keys) = &source.keys else {
            panic!("stored keys")
        };
        assert_eq!(keys.access_key_id, "AKIAIOSFODNN7EXAMPLE");
        assert_eq!(keys.secret_access_key.expose(), "wJalr");
        assert_eq!(
            source.mfa_serial.as_deref(),
            Some("arn:aws:iam::123456789012:mfa/alice")
        );
        assert_eq!(source.region.as_deref(), Some("eu-west-1"));
        let source = load(
            "[work]\naws_access_key_id = A\naws_secret_access_key = S\nmfa_serial = GAHT12345678\n",
            "[profile work]\nduration_seconds = 3600\n",
            "work",
        )
        .unwrap();
        assert_eq!(source.mfa_serial.as_deref(), Some("GAHT12345678"));
        assert_eq!(source.duration_seconds.as_deref(), Some("3600"));
    }

    #[test]
    fn refuses_what_is_not_long_term_keys() {
        assert_eq!(
            load("", "", "default").unwrap_err(),
            SourceError::Missing("default".into())
        );
        assert!(matches!(
            load("[default]\naws_access_key_id = A\naws_secret_access_key = S\naws_session_token = T\n", "", "default"),
            Err(SourceError::Temporary(..))
        ));
        assert!(matches!(
            load(
                "",
                "[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
                "r"
            ),
            Err(SourceError::Temporary(..))
        ));
        assert_eq!(
            load("[a]\nregion = x\n", "", "a").unwrap_err(),
            SourceError::NoKeys("a".into())
        );
        assert_eq!(
            load("[a]\naws_access_key_id = A\n", "", "a").unwrap_err(),
            SourceError::NoSecret("a".into())
        );
    }

    /// Pins the finding "a control character in `aws_access_key_id` from the file panics
    /// (exit 134) after the code was given": the source is refused where it is read.
    #[test]
    fn keys_no_request_can_carry_are_refused() {
        assert_eq!(
            load(
                "[a]\naws_access_key_id = AKIA\u{1}X\naws_secret_access_key = S\n",
                "",
                "a"
            )
            .unwrap_err(),
            SourceError::Unsendable("a".into(), "aws_access_key_id")
        );
        // A key going on to the next line: refused with its line by the refresh's plan and the
        // rotation's checks.
        assert!(load(
            "[a]\naws_access_key_id = AKIAX\n  more\naws_secret_access_key = S\n",
            "",
            "a"
        )
        .is_ok());
        let error = load(
            "[a]\naws_access_key_id = A\naws_secret_access_key = s\u{7}x\n",
            "",
            "a",
        )
        .unwrap_err();
        assert_eq!(
            error,
            SourceError::Unsendable("a".into(), "aws_secret_access_key")
        );
        assert!(!error.to_string().contains("s\u{7}x"), "{error}");
    }
}
