//! `mfa-profile exec -- COMMAND`: run a command with the target's profile, refreshing the
//! target first when needed.
//!
//! Invariant: the command sees `AWS_PROFILE=TARGET` and none of the variables that would
//! shadow the profile.

use super::handout::usable_session;
use crate::cli::ExecArgs;
use crate::error::Error;
use crate::handout::{WhenStale, SHADOWING_VARIABLES};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;

pub(super) fn run(args: &ExecArgs) -> Result<u8, Error> {
    let usable = usable_session(args.target.as_ref(), &args.session, WhenStale::Refresh)?;
    let (program, rest) = args
        .command
        .split_first()
        .expect("clap requires a command after --");
    let mut command = std::process::Command::new(program);
    command
        .args(rest)
        .env("AWS_PROFILE", usable.target.as_str());
    for name in SHADOWING_VARIABLES {
        command.env_remove(name);
    }
    // Files given as flags must be the ones the command reads too.
    let files_from_flags: [(&str, Option<&PathBuf>); 2] = [
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            args.session
                .credentials_file
                .as_ref()
                .map(|_| &usable.files.credentials),
        ),
        (
            "AWS_CONFIG_FILE",
            args.session
                .config_file
                .as_ref()
                .map(|_| &usable.files.config),
        ),
    ];
    for (name, path) in files_from_flags {
        if let Some(path) = path {
            command.env(name, path);
        }
    }
    drop(usable.session);
    // Only returns on failure: on success this process becomes the command.
    let error = command.exec();
    let code = match error.kind() {
        std::io::ErrorKind::NotFound => 127,
        _ => 126,
    };
    Err(Error::Exec {
        command: program.to_string_lossy().into_owned(),
        reason: error.to_string(),
        code,
    })
}
