//! The commands, wired to the process: the environment, the clock, the terminal, standard
//! streams and the real STS. One submodule per command, plus the terminal.
//!
//! Invariant: the only module (with `main`) that reads the process environment, the clock or
//! the terminal, and that writes to standard output or standard error.

mod background;
mod code_command;
mod code_source;
mod console;
mod credential_process;
mod desktop_prompt;
mod doctor;
mod exec;
mod export;
mod generate;
mod handout;
mod iam;
mod key_status;
mod keychain;
mod notify;
mod process_keys;
mod prune;
mod refresh;
mod rotate;
mod schedule;
mod serve;
mod setup;
mod source_keys;
mod status;
mod terminal;

use crate::aws::sts::{resolve_endpoint, CustomEndpoint};
use crate::cli::{Cli, Command};
use crate::error::{Error, EXIT_OK, EXIT_USAGE};
use crate::input::EndpointUrl;
use crate::profile::locations::{self, FileLocations};
use crate::text::notice::Notice;
use std::io::Write;
use std::path::{Path, PathBuf};
use terminal::colour::Colour;

/// Keeps the secrets this process reads out of core dumps and away from other processes of
/// the same user: the process is marked non-dumpable (no core file, no ptrace attach, no
/// `/proc/PID/mem`). Called first thing in `main`. A program `exec` runs is dumpable again:
/// `execve` resets the flag.
pub fn protect_process() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        // Nothing better to do on failure than to go on: the secrets are zeroed on drop still.
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    #[cfg(feature = "failpoints")]
    if let Some(point) = var("MFA_PROFILE_FAILPOINT") {
        crate::fsio::failpoint::arm(point);
    }
    if let Some(home) = home() {
        crate::text::shown::show_home_as_tilde(&home);
    }
    crate::text::time::show_times_in(local_zone);
    match cli.command {
        Some(Command::Refresh(args)) => refresh::run(&args),
        Some(Command::Status(args)) => status::run(&args),
        Some(Command::Exec(args)) => exec::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::CredentialProcess(args)) => credential_process::run(&args),
        Some(Command::Serve(args)) => serve::run(&args),
        Some(Command::Console(args)) => console::run(&args),
        Some(Command::Doctor(args)) => doctor::run(&args),
        Some(Command::Prune(args)) => prune::run(&args),
        Some(Command::Completions(args)) => generate::completions(&args),
        Some(Command::Man(args)) => generate::man(&args),
        Some(Command::Rotate(args)) => rotate::run(&args),
        Some(Command::Setup(args)) => setup::run(&args),
        Some(Command::SourceKeys(args)) => source_keys::run(&args),
        Some(Command::Schedule(args)) => schedule::run(&args),
        None => refresh::run(&cli.refresh),
    }
}

/// An environment variable, `None` when unset or not Unicode.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// An environment variable, `None` when unset, empty or not Unicode.
fn non_empty_var(name: &str) -> Option<String> {
    var(name).filter(|v| !v.is_empty())
}

/// The current time, seconds since the Unix epoch.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn home() -> Option<PathBuf> {
    locations::home_dir(&var)
}

/// Where the MFA devices' locks and last codes are kept: `cli/cache/mfa-profile` in the
/// credentials file's directory, which for `~/.aws/credentials` is beside the AWS CLI's own
/// caches (`~/.aws/cli/cache`).
/// The settings of a refresh of `files` that the environment decides, everything else
/// neutral (no flag given): each command sets what its flags say on top.
fn refresh_settings(files: FileLocations) -> crate::refresh::RefreshSettings {
    crate::refresh::RefreshSettings {
        devices: Some(devices(&files)),
        configured_endpoints: configured_endpoints(),
        clock: now,
        tls: tls_settings(),
        sdk: sdk_variables(),
        ..crate::refresh::RefreshSettings::new(files)
    }
}

/// Runs `settings`' refresh against STS (a spinner on the terminal meanwhile), its codes from
/// `codes`, its notices on standard error.
fn run_refresh(
    settings: &crate::refresh::RefreshSettings,
    codes: &mut code_source::ProcessCodes,
) -> Result<crate::refresh::Outcome, Error> {
    let sts = terminal::spinner::SpinningSts(&crate::aws::sts::SdkSts(network()));
    let mut services = crate::refresh::Services {
        sts: &sts,
        iam: &iam::RefreshIam,
        codes,
        keys: &mut process_keys::RunProcess,
    };
    crate::refresh::refresh(settings, &mut services, &mut notice)
}

fn devices(files: &FileLocations) -> crate::fsio::device::Devices {
    let aws_dir = files
        .credentials
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    crate::fsio::device::Devices::under_aws_dir(&aws_dir)
}

/// The shared files: the flags, else the environment, else the home directory.
fn locate(files: &crate::cli::FilesArgs) -> Result<FileLocations, Error> {
    Ok(locations::resolve(
        var,
        files.credentials_file.as_deref(),
        files.config_file.as_deref(),
    )?)
}

/// The STS endpoint: `--endpoint-url`, else `AWS_ENDPOINT_URL_STS`; a plain-http one only on
/// this machine or with `--allow-insecure-endpoint`. Says so when `AWS_ENDPOINT_URL` is set,
/// since the SDKs would use it and mfa-profile does not.
fn endpoint(
    flag: Option<&EndpointUrl>,
    allow_insecure: bool,
) -> Result<Option<CustomEndpoint>, Error> {
    let choice = resolve_endpoint(flag.cloned(), allow_insecure, var)?;
    if choice.ignored_general_variable {
        notice(Notice::Info(
            "AWS_ENDPOINT_URL is set but not used for STS: MFA codes go only to --endpoint-url, AWS_ENDPOINT_URL_STS, the source profile's endpoint settings or STS itself".into(),
        ));
    }
    Ok(choice.endpoint)
}

/// Where TLS's trusted certificates come from: `AWS_CA_BUNDLE` (an empty one is unset, not
/// "trust nothing"), and whether OpenSSL's `SSL_CERT_FILE` or `SSL_CERT_DIR` is set.
fn tls_settings() -> crate::aws::sts::TlsSettings {
    crate::aws::sts::TlsSettings {
        ca_bundle: std::env::var_os("AWS_CA_BUNDLE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        openssl_variables: ["SSL_CERT_FILE", "SSL_CERT_DIR"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty())),
    }
}

/// The network of this process: one runtime, one STS and one IAM client, their HTTP clients,
/// through the proxies the environment names; each built when a call first needs it.
fn network() -> &'static crate::aws::Network {
    static NETWORK: std::sync::OnceLock<crate::aws::Network> = std::sync::OnceLock::new();
    NETWORK.get_or_init(|| crate::aws::Network::new(crate::aws::Proxies::from(var)))
}

/// What the environment says of FIPS and dual-stack endpoints and the app id
/// (`AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_SDK_UA_APP_ID`).
fn sdk_variables() -> crate::aws::SdkVariables {
    crate::aws::SdkVariables::from(var)
}

/// Whether endpoints configured in profiles count: not with
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
fn configured_endpoints() -> bool {
    !crate::aws::sts::configured_endpoints_ignored(var)
}

/// Shows a notice on standard error, once: the same notice again is not repeated.
fn notice(notice: Notice) {
    // Said once per process: `refresh --all` meets the same file, endpoint and permissions
    // for every target.
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let text = match &notice {
        Notice::Info(text) | Notice::Warning(text) => text,
    };
    if let Ok(mut said) = SAID.lock() {
        if said.contains(text) {
            return;
        }
        said.push(text.clone());
    }
    match notice {
        Notice::Info(text) => terminal::say(&format!("mfa-profile: {text}")),
        Notice::Warning(text) => {
            terminal::say_labelled("mfa-profile: ", "warning:", Colour::Yellow, &text)
        }
    }
}

/// Prints the error that ended the command (nothing for a closed pipe).
pub fn report_error(error: &Error) {
    if error.is_quiet() {
        return;
    }
    terminal::say_error("mfa-profile: ", &error.to_string());
}

/// Prints what clap has to say instead of running: help and version on standard output as
/// clap renders them, a usage error on standard error made printable (clap quotes the
/// rejected argument as typed, escape sequences included). Returns the exit code.
pub fn report_usage(error: &clap::Error) -> u8 {
    if !error.use_stderr() {
        // Help or version: text of our own. A closed pipe (`--help | head`) is no error.
        let _ = error.print();
        return EXIT_OK;
    }
    for line in error.render().to_string().lines() {
        match line.strip_prefix("error: ") {
            Some(rest) => terminal::say_labelled("mfa-profile: ", "error:", Colour::Red, rest),
            None => terminal::say(line),
        }
    }
    u8::try_from(error.exit_code()).unwrap_or(EXIT_USAGE)
}

/// Writes `bytes` to standard output. A reader that closed the pipe (`| head`) ends the
/// command quietly; any other failure is an error (exit 1).
fn print(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::ClosedPipe),
        Err(e) => Err(Error::Output(e)),
    }
}

/// The largest time-zone file read (they are a few kB).
#[cfg(unix)]
const MAX_ZONE_FILE: u64 = 1 << 20;

/// The system's time zone: on Unix from the one file `TZ` or `/etc/localtime` names (see
/// [`crate::text::time::local_zone`]), else, and for values that are not Unicode, as jiff finds it.
pub(super) fn local_zone() -> jiff::tz::TimeZone {
    #[cfg(unix)]
    {
        let unicode = |name: &str| {
            std::env::var_os(name)
                .map(|value| value.into_string().map_err(drop))
                .transpose()
        };
        let tzdir = unicode("TZDIR").map(|dir| dir.filter(|d| !d.is_empty()));
        if let (Ok(tz), Ok(tzdir)) = (unicode("TZ"), tzdir) {
            let read = |path: &std::path::Path| {
                crate::fsio::read_other(path, MAX_ZONE_FILE).ok().flatten()
            };
            if let Some(zone) = crate::text::time::local_zone(tz.as_deref(), tzdir.as_deref(), read)
            {
                return zone;
            }
        }
    }
    jiff::tz::TimeZone::system()
}
