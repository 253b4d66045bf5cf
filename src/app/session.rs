//! `exec`, `export` and `credential-process`: hand a target's session to another program,
//! refreshing it first where that is allowed and needed.
//!
//! Invariant: standard output carries only what the consumer reads (the export lines, the
//! JSON); every message goes to standard error; a code is asked for on the controlling
//! terminal, never on standard input, which belongs to the consumer.

use super::style::SpinningSts;
use super::{env_var, locate, notice, read_credentials};
use crate::cli::{CredentialProcessArgs, ExecArgs, ExportArgs, SessionArgs};
use crate::code::{read_code, CodeInput};
use crate::error::{Error, EXIT_OK};
use crate::export;
use crate::paths::{self, FileLocations};
use crate::profile::ProfileName;
use crate::refresh::{refresh, Outcome, RefreshSettings};
use crate::secret::SessionCredentials;
use crate::stored::{choose_target, stored_session, NoSession};
use crate::sts::SdkSts;
use crate::units::{self, now};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;

/// Variables that shadow every profile; `exec` removes them from the command's environment.
/// `AWS_DEFAULT_PROFILE` goes too: botocore prefers it to `AWS_PROFILE`.
pub const SHADOWING: [&str; 5] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_PROFILE",
];

/// What the refresh of a stale target may do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WhenStale {
    /// Refresh it, asking for a code on the terminal.
    Refresh,
    /// Refuse: the user did not ask for a refresh.
    Refuse,
}

/// A target's session, fresh enough to hand out.
struct Usable {
    target: ProfileName,
    session: SessionCredentials,
    files: FileLocations,
}

fn usable_session(
    named: Option<&str>,
    args: &SessionArgs,
    when_stale: WhenStale,
) -> Result<Usable, Error> {
    let (files, home) = locate(
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let shown = paths::display(&files.credentials, home.as_deref());
    let min_remaining =
        i64::from(units::parse_duration(&args.min_remaining).map_err(Error::BadInput)?);
    let doc = read_credentials(&files, home.as_deref())?;
    let aws_profile = env_var("AWS_PROFILE").filter(|p| !p.is_empty());
    let target = choose_target(named, aws_profile.as_deref(), &doc)?;
    let no_session = |why: NoSession| Error::NoSession {
        target: target.to_string(),
        path: shown.clone(),
        why: match why {
            NoSession::Missing => {
                format!("does not exist; create it with `mfa-profile -t {target} CODE`")
            }
            NoSession::Incomplete(key) => format!(
                "holds no session (no {key}); refresh it with `mfa-profile -t {target} --force`"
            ),
            NoSession::Refused(refusal) => format!("cannot be read safely: {refusal}"),
        },
    };
    let now = now();
    match stored_session(&doc, &target) {
        Ok(session) if session.expires_at - now > min_remaining => {
            return Ok(Usable {
                target,
                session,
                files,
            })
        }
        Ok(session) if when_stale == WhenStale::Refuse => {
            if session.expires_at > now {
                notice(&format!(
                    "warning: the session in [{target}] expires in {}",
                    units::human_span(session.expires_at - now)
                ));
                return Ok(Usable {
                    target,
                    session,
                    files,
                });
            }
            return Err(Error::Expired {
                target: target.to_string(),
                when: format!(
                    "expired {} ago",
                    units::human_span(now - session.expires_at)
                ),
                hint: format!("refresh it with `mfa-profile -t {target}`, or add --refresh"),
            });
        }
        Err(why @ NoSession::Refused(_)) => return Err(no_session(why)),
        Err(why) if when_stale == WhenStale::Refuse => return Err(no_session(why)),
        _ => {}
    }
    drop(doc);
    let settings = RefreshSettings {
        source: None,
        target: Some(target.to_string()),
        serial: None,
        duration: None,
        region: None,
        endpoint_url: None,
        code: None,
        files: files.clone(),
        home: home.clone(),
        min_remaining,
        force: false,
        now,
        role: None,
        code_command: args.code_command.clone(),
        no_config: args.no_config,
        aws_profile: None,
    };
    let mut ask = |device: &str| read_code(CodeInput::ControllingTerminal, device);
    let outcome = match refresh(&settings, &SpinningSts(&SdkSts), &mut ask, &mut notice) {
        Ok(outcome) => outcome,
        Err(Error::NoCode) => {
            return Err(Error::Expired {
                target: target.to_string(),
                when: "needs a refresh".into(),
                hint: format!("there is no terminal to ask for an MFA code on; run `mfa-profile -t {target}` in a terminal, or set --code-command or mfa_process"),
            })
        }
        Err(other) => return Err(other),
    };
    super::refresh::report(&outcome, home.as_deref(), false);
    let session = match outcome {
        Outcome::Refreshed(done) => done.session,
        // Another run refreshed it meanwhile: read what it wrote.
        Outcome::StillValid { .. } => {
            let doc = read_credentials(&files, home.as_deref())?;
            stored_session(&doc, &target).map_err(no_session)?
        }
    };
    Ok(Usable {
        target,
        session,
        files,
    })
}

pub(super) fn export(args: &ExportArgs) -> Result<u8, Error> {
    let when_stale = if args.refresh {
        WhenStale::Refresh
    } else {
        WhenStale::Refuse
    };
    let usable = usable_session(args.target.as_deref(), &args.session, when_stale)?;
    let text = export::render(args.format, &usable.session).map_err(Error::BadInput)?;
    print!("{text}");
    Ok(EXIT_OK)
}

pub(super) fn credential_process(args: &CredentialProcessArgs) -> Result<u8, Error> {
    let usable = usable_session(Some(&args.target), &args.session, WhenStale::Refresh)?;
    println!("{}", export::process_json(&usable.session));
    Ok(EXIT_OK)
}

pub(super) fn exec(args: &ExecArgs) -> Result<u8, Error> {
    let usable = usable_session(args.target.as_deref(), &args.session, WhenStale::Refresh)?;
    let (program, rest) = args
        .command
        .split_first()
        .ok_or_else(|| Error::BadInput("exec needs a command after --".into()))?;
    let mut command = std::process::Command::new(program);
    command
        .args(rest)
        .env("AWS_PROFILE", usable.target.as_str());
    for name in SHADOWING {
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
