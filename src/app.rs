//! The commands, wired to the process: environment, standard streams and the real STS.
//!
//! Invariant: the only module that reads the process environment or writes to stdout/stderr
//! (besides `main` printing the final error).

use crate::cli::{Cli, Command, RefreshArgs};
use crate::code::{read_code, CodeInput};
use crate::error::Error;
use crate::paths;
use crate::refresh::{refresh, Refreshed};
use crate::sts::SdkSts;
use crate::units;
use std::time::{SystemTime, UNIX_EPOCH};

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Some(Command::Refresh(args)) => run_refresh(&args),
        None => run_refresh(&cli.refresh),
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn run_refresh(args: &RefreshArgs) -> Result<u8, Error> {
    let files = paths::resolve(
        env_var,
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let home = paths::home_dir(&env_var);
    let settings = args.settings(files, home.clone());
    let sts = SdkSts::default();
    let mut ask = |serial: &str| read_code(CodeInput::detect(), serial);
    let mut notice = |message: &str| eprintln!("mfa-profile: {message}");
    let done = refresh(&settings, &sts, &mut ask, &mut notice)?;
    report(&done, args.json, home.as_deref());
    Ok(crate::error::EXIT_OK)
}

fn report(done: &Refreshed, json: bool, home: Option<&std::path::Path>) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    eprintln!(
        "wrote [{}] in {} from [{}] ({}), valid until {} ({})",
        done.target,
        paths::display(&done.file, home),
        done.source,
        done.serial,
        units::human_utc(done.expires_at),
        units::human_span(done.expires_at - now),
    );
    if json {
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
