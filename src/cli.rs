//! The command line: clap types, which stop here and become plain settings.
//!
//! Invariant: nothing outside this module sees a clap type.

use crate::paths::FileLocations;
use crate::refresh::RefreshSettings;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  failure: STS refused for another reason, network, or file system
  2  bad usage or bad input (arguments, MFA code format, profile names, the files' contents)
  3  STS rejected the MFA code (wrong, expired or reused): get a new code and run again

Files: AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE are honoured, else ~/.aws/credentials
and ~/.aws/config. The source's keys always come from the files, never from AWS_ACCESS_KEY_ID.";

/// Refresh an MFA-protected AWS session into a named profile of ~/.aws/credentials.
///
/// Reads the long-term keys of the source profile, calls STS GetSessionToken with your MFA
/// device and a code, and rewrites the target profile in place: every other byte of the file
/// stays as it was. Then `aws --profile mfa ...` and `AWS_PROFILE=mfa` work.
#[derive(Debug, Parser)]
#[command(name = "mfa-profile", version, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: refresh).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Refresh options, when no command is named.
    #[command(flatten)]
    pub refresh: RefreshArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get a new session and write it into the target profile (the default command).
    #[command(after_help = EXIT_CODES)]
    Refresh(RefreshArgs),
    /// List the targets mfa-profile manages and how long each is valid (no network).
    Status(StatusArgs),
}

/// Options of `status`.
#[derive(Debug, Args, Default)]
pub struct StatusArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Credentials file [default: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials].
    #[arg(long, value_name = "PATH")]
    pub credentials_file: Option<PathBuf>,
    /// Config file [default: AWS_CONFIG_FILE, else ~/.aws/config].
    #[arg(long, value_name = "PATH")]
    pub config_file: Option<PathBuf>,
}

/// Options of a refresh.
#[derive(Debug, Args, Default)]
pub struct RefreshArgs {
    /// The six-digit MFA code; read from standard input, or asked for on the terminal, when
    /// absent.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
    /// Profile holding the long-term keys [default: the source recorded in the target, else
    /// default].
    #[arg(short, long, value_name = "PROFILE")]
    pub source: Option<String>,
    /// Profile to write the session into [default: mfa for source default, else SOURCE-mfa].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<String>,
    /// MFA device: ARN (arn:aws:iam::ACCOUNT:mfa/NAME) or hardware serial [default: mfa_serial
    /// of the source profile].
    #[arg(long, value_name = "SERIAL")]
    pub serial_number: Option<String>,
    /// Session length: seconds, or like 15m, 12h, 36h (900 to 129600 s) [default:
    /// duration_seconds of the source profile, else 12h].
    #[arg(short, long, value_name = "DURATION")]
    pub duration: Option<String>,
    /// Region whose STS endpoint is called [default: region of the source profile, else
    /// us-east-1].
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// STS endpoint URL [default: the SDK's resolution, e.g. AWS_ENDPOINT_URL_STS].
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Credentials file [default: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials].
    #[arg(long, value_name = "PATH")]
    pub credentials_file: Option<PathBuf>,
    /// Config file [default: AWS_CONFIG_FILE, else ~/.aws/config].
    #[arg(long, value_name = "PATH")]
    pub config_file: Option<PathBuf>,
    /// Print one JSON object describing the result on standard output.
    #[arg(long)]
    pub json: bool,
    /// Leave a target alone while it is valid for longer than this (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "15m")]
    pub min_remaining: String,
    /// Refresh even when the target is still valid.
    #[arg(short, long)]
    pub force: bool,
}

impl RefreshArgs {
    /// The plain settings of this refresh, given the resolved file locations.
    pub fn settings(
        &self,
        files: FileLocations,
        home: Option<PathBuf>,
        now: i64,
    ) -> Result<RefreshSettings, String> {
        let min_remaining = i64::from(crate::units::parse_duration(&self.min_remaining)?);
        Ok(RefreshSettings {
            source: self.source.clone(),
            target: self.target.clone(),
            serial: self.serial_number.clone(),
            duration: self.duration.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            code: self.code.clone(),
            files,
            home,
            min_remaining,
            force: self.force,
            now,
        })
    }
}
