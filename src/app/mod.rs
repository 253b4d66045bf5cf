//! The commands, wired to the process: environment, clock, standard streams and the real STS.
//!
//! Invariant: the only module that reads the process environment or writes to stdout/stderr
//! (besides `main` printing the final error).

use crate::cli::{Cli, Command, RefreshArgs, StatusArgs};
use crate::code::{read_code, CodeInput};
use crate::error::{Error, EXIT_OK};
use crate::fsio;
use crate::ini::Document;
use crate::paths::{self, FileLocations};
use crate::profile;
use crate::refresh::{refresh, Outcome};
use crate::source::SharedFiles;
use crate::status::{managed_targets, State};
use crate::sts::SdkSts;
use crate::units;
use crate::units::now;
use std::path::{Path, PathBuf};

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Some(Command::Refresh(args)) => run_refresh(&args),
        Some(Command::Status(args)) => run_status(&args),
        None => run_refresh(&cli.refresh),
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The shared files (flags, else environment, else home) and the home directory.
fn locate(
    credentials: Option<&Path>,
    config: Option<&Path>,
) -> Result<(FileLocations, Option<PathBuf>), Error> {
    let files = paths::resolve(env_var, credentials, config)?;
    Ok((files, paths::home_dir(&env_var)))
}

fn run_refresh(args: &RefreshArgs) -> Result<u8, Error> {
    let (files, home) = locate(
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let settings = args
        .settings(files, home.clone(), now())
        .map_err(Error::BadInput)?;
    let sts = SdkSts;
    let mut ask = |serial: &str| read_code(CodeInput::detect(), serial);
    let mut notice = |message: &str| eprintln!("mfa-profile: {message}");
    match refresh(&settings, &sts, &mut ask, &mut notice)? {
        Outcome::Refreshed(done) => {
            eprintln!(
                "wrote [{}] in {} from [{}] ({}), valid until {} ({})",
                done.target,
                paths::display(&done.file, home.as_deref()),
                done.source,
                done.serial,
                units::human_utc(done.expires_at),
                units::human_span(done.expires_at - now()),
            );
            if args.json {
                let object = serde_json::json!({
                    "target": done.target.as_str(),
                    "source": done.source.as_str(),
                    "serial": done.serial,
                    "expiration": units::rfc3339(done.expires_at),
                    "file": done.file.display().to_string(),
                });
                println!("{object}");
            }
        }
        Outcome::StillValid {
            target,
            source,
            expires_at,
        } => {
            eprintln!(
                "[{target}] is still valid for {} (until {}); --force refreshes it now",
                units::human_span(expires_at - now()),
                units::human_utc(expires_at),
            );
            if args.json {
                let object = serde_json::json!({
                    "target": target.as_str(),
                    "source": source.as_str(),
                    "expiration": units::rfc3339(expires_at),
                    "skipped": true,
                });
                println!("{object}");
            }
        }
    }
    Ok(EXIT_OK)
}

/// The refresh margin `status` uses for "expiring": the refresh default.
const STATUS_MARGIN: i64 = 15 * 60;

fn run_status(args: &StatusArgs) -> Result<u8, Error> {
    let (files, home) = locate(
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let shown = |p: &Path| paths::display(p, home.as_deref());
    let bytes = fsio::read_optional(&files.credentials)?.unwrap_or_default();
    let doc = Document::parse(&bytes).map_err(|error| Error::Parse {
        path: shown(&files.credentials),
        error,
    })?;
    let now = now();
    let targets = managed_targets(&doc, now, STATUS_MARGIN);
    // The serial lives in the source profile, in either file.
    let profiles = if targets.is_empty() {
        None
    } else {
        let config = fsio::read_optional(&files.config)?.unwrap_or_default();
        let sources: Vec<&str> = targets.iter().map(|t| t.source.as_str()).collect();
        let config_sections = Document::parse(&config)
            .map(|config| profile::sections_for_profiles(&config, &sources))
            .unwrap_or_default();
        SharedFiles {
            credentials: profile::sections_for_profiles(&doc, &sources),
            config: config_sections,
        }
        .profiles()
        .ok()
    };
    let serial = |source: &str| {
        profiles
            .as_ref()
            .and_then(|p| p.get_profile(source))
            .and_then(|p| p.get("mfa_serial"))
            .unwrap_or("-")
            .to_owned()
    };
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        if env_var(var).is_some_and(|v| !v.is_empty()) {
            eprintln!("mfa-profile: warning: {var} is set in this shell; it overrides every profile, AWS_PROFILE included (unset it)");
        }
    }
    if args.json {
        let rows: Vec<serde_json::Value> = targets
            .iter()
            .map(|t| {
                serde_json::json!({
                    "target": t.target,
                    "source": t.source,
                    "serial": serial(&t.source),
                    "expiration": t.expires_at.map(units::rfc3339),
                    "remaining": t.remaining,
                    "state": t.state.as_str(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Ok(EXIT_OK);
    }
    if targets.is_empty() {
        eprintln!(
            "no profile in {} is managed by mfa-profile yet; run `mfa-profile CODE` to create [mfa]",
            shown(&files.credentials)
        );
        return Ok(EXIT_OK);
    }
    let rows: Vec<[String; 6]> = targets
        .iter()
        .map(|t| {
            [
                t.target.clone(),
                t.source.clone(),
                serial(&t.source),
                t.expires_at.map_or("-".into(), local_time),
                match (t.state, t.remaining) {
                    (State::Expired, _) | (_, None) => "-".into(),
                    (_, Some(r)) => units::human_span(r),
                },
                t.state.as_str().into(),
            ]
        })
        .collect();
    let header = [
        "TARGET",
        "SOURCE",
        "SERIAL",
        "EXPIRES",
        "REMAINING",
        "STATE",
    ]
    .map(String::from);
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in [&header].into_iter().chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    Ok(EXIT_OK)
}

/// `2026-11-23 03:00 CET`, in the system's time zone.
fn local_time(epoch: i64) -> String {
    match jiff::Timestamp::from_second(epoch) {
        Ok(ts) => ts
            .to_zoned(jiff::tz::TimeZone::system())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => units::rfc3339(epoch),
    }
}
