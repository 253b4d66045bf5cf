//! `mfa-profile [refresh]`: one target, or every managed one with `--all`.

use super::style::SpinningSts;
use super::{env_var, locate, notice, read_credentials};
use crate::cli::RefreshArgs;
use crate::code::{read_code, CodeInput};
use crate::error::{Error, EXIT_OK};
use crate::paths;
use crate::refresh::{refresh, Outcome, RefreshSettings};
use crate::status::managed_targets;
use crate::sts::SdkSts;
use crate::units::{self, now};
use std::path::Path;

pub(super) fn run(args: &RefreshArgs) -> Result<u8, Error> {
    let (files, home) = locate(
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let mut settings = args
        .settings(files, home.clone(), now())
        .map_err(Error::BadInput)?;
    if args.all {
        return run_all(args, settings, home.as_deref());
    }
    if args.source.is_none() && args.target.is_none() {
        settings.aws_profile = env_var("AWS_PROFILE").filter(|p| !p.is_empty());
    }
    let outcome = refresh_one(&settings)?;
    report(&outcome, home.as_deref(), args.json);
    Ok(EXIT_OK)
}

fn refresh_one(settings: &RefreshSettings) -> Result<Outcome, Error> {
    let mut ask = |device: &str| read_code(CodeInput::detect(), device);
    refresh(settings, &SpinningSts(&SdkSts), &mut ask, &mut notice)
}

/// Every managed target, in file order; a failure is reported and the others still run. The
/// exit code is the first failure's.
fn run_all(
    args: &RefreshArgs,
    settings: RefreshSettings,
    home: Option<&Path>,
) -> Result<u8, Error> {
    let doc = read_credentials(&settings.files, home)?;
    let targets = managed_targets(&doc, settings.now, settings.min_remaining);
    drop(doc);
    if targets.is_empty() {
        notice(&format!(
            "no profile in {} is managed by mfa-profile yet; run `mfa-profile CODE` to create [mfa]",
            paths::display(&settings.files.credentials, home)
        ));
        return Ok(EXIT_OK);
    }
    let mut first_failure = None;
    let mut failed = Vec::new();
    for target in &targets {
        let one = RefreshSettings {
            target: Some(target.target.clone()),
            now: now(),
            ..settings.clone()
        };
        match refresh_one(&one) {
            Ok(outcome) => report(&outcome, home, args.json),
            Err(error) => {
                notice(&format!(
                    "[{}]: {} {error}",
                    target.target,
                    super::style::paint(
                        "error:",
                        super::style::Colour::Red,
                        super::style::Stream::Stderr
                    )
                ));
                first_failure.get_or_insert(error.exit_code());
                failed.push(target.target.as_str());
            }
        }
    }
    match first_failure {
        None => Ok(EXIT_OK),
        Some(code) => {
            notice(&format!(
                "{} of {} targets failed: [{}]",
                failed.len(),
                targets.len(),
                failed.join("], [")
            ));
            Ok(code)
        }
    }
}

/// One line on standard error; with `--json`, one object on standard output.
pub(super) fn report(outcome: &Outcome, home: Option<&Path>, json: bool) {
    match outcome {
        Outcome::Refreshed(done) => {
            eprintln!(
                "wrote [{}] in {} from [{}] ({}), valid until {} ({})",
                done.target,
                paths::display(&done.file, home),
                done.source,
                done.serial,
                units::human_utc(done.session.expires_at),
                units::human_span(done.session.expires_at - now()),
            );
            if json {
                let object = serde_json::json!({
                    "target": done.target.as_str(),
                    "source": done.source.as_str(),
                    "serial": done.serial,
                    "expiration": units::rfc3339(done.session.expires_at),
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
                units::human_utc(*expires_at),
            );
            if json {
                let object = serde_json::json!({
                    "target": target.as_str(),
                    "source": source.as_str(),
                    "expiration": units::rfc3339(*expires_at),
                    "skipped": true,
                });
                println!("{object}");
            }
        }
    }
}
