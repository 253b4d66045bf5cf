//! The `mfa-profile` binary: parse the command line, run, print the error once.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    mfa_profile::protect_process();
    let cli = match mfa_profile::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return ExitCode::from(mfa_profile::report_usage(&error)),
    };
    match mfa_profile::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            mfa_profile::report_error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
