//! `mfa-profile [refresh]`: one target, or every managed one with `--all`.

use super::code_source::ProcessCodes;
use super::terminal::colour::Colour;
use super::terminal::prompt::CodeInput;
use super::{endpoint, locate, non_empty_var, notice, now, print, refresh_settings, run_refresh};
use crate::cli::RefreshArgs;
use crate::error::{Error, EXIT_OK};
use crate::input::MfaCode;
use crate::profile::{
    first_refresh_hint, long_term_profiles, managed_targets, ManagedTarget, ProfileName,
    SharedDocuments,
};
use crate::refresh::{Outcome, RefreshSettings, RoleSettings};
use crate::text::shown::Shown;
use crate::text::time;

pub(super) fn run(args: &RefreshArgs) -> Result<u8, Error> {
    let code: Option<MfaCode> = args
        .code
        .as_ref()
        .map(|c| parse_code(&c.0).map_err(|error| profile_for_code(args, &c.0).unwrap_or(error)))
        .transpose()?;
    let settings = settings(args)?;
    if args.all && args.background {
        return super::background::run(args, settings);
    }
    if args.all {
        return run_all(args, settings);
    }
    let mut codes = ProcessCodes {
        argument: code,
        command: args.code_command.clone(),
        input: CodeInput::detect(),
        prompt: args.prompt,
        no_input: args.no_input,
        typed: false,
    };
    let outcome = run_refresh(&settings, &mut codes)?;
    report(&outcome, args.json)?;
    Ok(EXIT_OK)
}

/// The code argument, checked before anything else (the skip path included): a word close to
/// a command's name is a mistyped command (`mfa-profile stauts`), said with the command meant;
/// anything else that is not a code is refused without repeating it (it may be a secret).
fn parse_code(typed: &str) -> Result<MfaCode, Error> {
    typed.parse().map_err(|error| {
        let names = crate::cli::command_names();
        match crate::text::suggest::closest(typed, names.iter().map(String::as_str)) {
            Some(command) => Error::MistypedCommand {
                typed: typed.to_owned(),
                suggestion: command.to_owned(),
            },
            None => Error::Input(error),
        }
    })
}

/// A profile's name typed where the code goes (`mfa-profile work`, as aws-vault takes it): the
/// refresh it likely meant. Read only once the word failed as a code.
fn profile_for_code(args: &RefreshArgs, typed: &str) -> Option<Error> {
    let name = ProfileName::new(typed).ok()?;
    let files = locate(&args.files).ok()?;
    let docs = SharedDocuments::read(&files).ok()?;
    let meant = if managed_targets(&docs.credentials)
        .iter()
        .any(|t| t.name == name.as_str())
    {
        format!("[{name}] is a target: `mfa-profile -t {name}` refreshes it")
    } else if long_term_profiles(&docs.credentials, &docs.config)
        .iter()
        .any(|s| s == name.as_str())
    {
        let target = crate::profile::default_target(&name).ok()?;
        format!("[{name}] holds long-term keys: `mfa-profile -s {name}` refreshes its target [{target}]")
    } else {
        return None;
    };
    Some(Error::ProfileForCode { meant })
}

/// The settings of a refresh from its flags and the environment.
fn settings(args: &RefreshArgs) -> Result<RefreshSettings, Error> {
    let files = locate(&args.files)?;
    let aws_profile = (args.source.is_none() && args.target.is_none())
        .then(|| non_empty_var("AWS_PROFILE"))
        .flatten();
    Ok(RefreshSettings {
        source: args.source.clone(),
        target: args.target.clone(),
        aws_profile,
        serial: args.serial_number.clone(),
        duration: args.duration,
        region: args.region.clone(),
        endpoint: endpoint(args.endpoint_url.as_ref(), args.allow_insecure_endpoint)?,
        allow_insecure_endpoint: args.allow_insecure_endpoint,
        role: RoleSettings {
            arn: args.role_arn.clone(),
            session_name: args.role_session_name.clone(),
            external_id: args.external_id.clone(),
        },
        via: args.via.clone(),
        min_remaining: args.min_remaining,
        force: args.force,
        carry_region: !args.no_config,
        ..refresh_settings(files)
    })
}

/// Every managed target, in file order; a failure is reported and the others still run. The
/// exit code is the first failure's.
fn run_all(args: &RefreshArgs, settings: RefreshSettings) -> Result<u8, Error> {
    let docs = SharedDocuments::read(&settings.files)?;
    let mut targets = managed_targets(&docs.credentials);
    // Sessions first, then the targets derived from them: each base is fresh when its
    // derived targets come, so they need no code.
    targets.sort_by_key(|t| t.via.is_some());
    if targets.is_empty() {
        notice(crate::text::notice::Notice::Info(format!(
            "no profile in {} is managed by mfa-profile yet; {}",
            Shown(&settings.files.credentials),
            first_refresh_hint(&docs.credentials, &docs.config)
        )));
        return Ok(EXIT_OK);
    }
    drop(docs);
    let mut codes = ProcessCodes {
        argument: None,
        command: args.code_command.clone(),
        input: CodeInput::detect(),
        prompt: args.prompt,
        no_input: args.no_input,
        typed: false,
    };
    let mut first_failure = None;
    let mut failed = Vec::new();
    let mut needed_codes = false;
    for target in &targets {
        let one = ProfileName::new(&target.name).map(|name| RefreshSettings {
            target: Some(name),
            ..settings.clone()
        });
        let result = one
            .map_err(Error::from)
            .and_then(|one| run_refresh(&one, &mut codes));
        let refreshed = matches!(result, Ok(Outcome::Refreshed(_)));
        match result.and_then(|outcome| report(&outcome, args.json)) {
            Ok(()) if refreshed => suggest_via(target, &targets),
            Ok(()) => {}
            Err(error @ Error::ClosedPipe) => return Err(error),
            Err(error) => {
                // A single refresh's advice ("run `mfa-profile -t mfa`") is not this run's:
                // the way out for every target at once is said after the last one.
                let said = match &error {
                    Error::NeedsCode { serial, why, .. } => {
                        needed_codes = true;
                        format!("needs an MFA code for {serial} and {why}")
                    }
                    other => other.to_string(),
                };
                super::terminal::say_labelled(
                    &format!("mfa-profile: [{}]: ", target.name),
                    "error:",
                    Colour::Red,
                    &said,
                );
                first_failure.get_or_insert(error.exit_code());
                failed.push(target.name.as_str());
            }
        }
    }
    match first_failure {
        None => Ok(EXIT_OK),
        Some(code) => {
            notice(crate::text::notice::Notice::Info(format!(
                "{} of {} targets failed: [{}]",
                failed.len(),
                targets.len(),
                failed.join("], [")
            )));
            if needed_codes {
                notice(crate::text::notice::Notice::Info(
                    "run `mfa-profile refresh --all` in a terminal to give the codes (one per MFA device), or set a code command (--code-command, mfa_process)".into(),
                ));
            }
            Ok(code)
        }
    }
}

/// After a role target took a code of its own: the session target of the same source it
/// could derive from, saving that code (and a wait for the next 30 s window) every day.
fn suggest_via(refreshed: &ManagedTarget, targets: &[ManagedTarget]) {
    if refreshed.role_arn.is_none() || refreshed.via.is_some() {
        return;
    }
    let base = targets
        .iter()
        .find(|t| t.source == refreshed.source && t.role_arn.is_none() && t.via.is_none());
    // --force: the target was just refreshed, and a valid target is left alone (its base not
    // recorded) without it.
    if let Some(base) = base {
        notice(crate::text::notice::Notice::Info(format!(
            "tip: `mfa-profile -t {} --via {} --force` assumes [{}]'s role with [{}]'s session from now on, with no code of its own",
            refreshed.name, base.name, refreshed.name, base.name
        )));
    }
}

/// One refresh of a source's target that `rotate` and `setup` make (for an MFA session, or to
/// prove new keys): no flag of the refresh command but these, reported as a refresh is.
pub(super) struct OneRefresh {
    pub files: crate::profile::FileLocations,
    pub source: ProfileName,
    pub target: Option<ProfileName>,
    pub region: Option<crate::input::Region>,
    pub endpoint: Option<crate::aws::sts::CustomEndpoint>,
    pub allow_insecure_endpoint: bool,
    pub code_command: Option<String>,
    pub min_remaining: crate::input::Span,
    pub force: bool,
}

impl OneRefresh {
    pub(super) fn run(self) -> Result<Outcome, Error> {
        let settings = RefreshSettings {
            source: Some(self.source),
            target: self.target,
            region: self.region,
            endpoint: self.endpoint,
            allow_insecure_endpoint: self.allow_insecure_endpoint,
            min_remaining: self.min_remaining,
            force: self.force,
            ..refresh_settings(self.files)
        };
        let mut codes = ProcessCodes {
            argument: None,
            command: self.code_command,
            input: CodeInput::detect(),
            prompt: None,
            no_input: false,
            typed: false,
        };
        let outcome = run_refresh(&settings, &mut codes)?;
        report(&outcome, false)?;
        Ok(outcome)
    }
}

/// One line on standard error; with `--json`, one object on standard output.
pub(super) fn report(outcome: &Outcome, json: bool) -> Result<(), Error> {
    match outcome {
        Outcome::Refreshed(done) => {
            let from = match (&done.via, &done.serial) {
                (Some(base), _) => format!("from [{base}]'s session"),
                (None, Some(serial)) => format!("from [{}] ({serial})", done.source),
                (None, None) => format!("from [{}]", done.source),
            };
            super::terminal::say(&format!(
                "wrote [{}] in {} {from}, valid until {} ({})",
                done.target,
                Shown(&done.file),
                time::human(done.session.expires_at),
                time::human_span(done.session.expires_at - now()),
            ));
            if json {
                let object = serde_json::json!({
                    "target": done.target.as_str(),
                    "source": done.source.as_str(),
                    "serial": done.serial.as_ref().map(|s| s.as_str()),
                    "via": done.via.as_ref().map(|b| b.as_str()),
                    "expiration": time::rfc3339(done.session.expires_at),
                    "file": done.file.display().to_string(),
                });
                print(format!("{object}\n").as_bytes())?;
            }
        }
        Outcome::StillValid {
            target,
            source,
            expires_at,
            margin,
            serial,
            file,
            ..
        } => {
            super::terminal::say(&format!(
                "[{target}] is still valid for {} (until {}; refreshed when less than {} is left); --force refreshes it now",
                time::human_span(expires_at - now()),
                time::human(*expires_at),
                time::human_span(*margin),
            ));
            if json {
                let object = serde_json::json!({
                    "target": target.as_str(),
                    "source": source.as_str(),
                    "serial": serial,
                    "expiration": time::rfc3339(*expires_at),
                    "file": file.display().to_string(),
                    "skipped": true,
                });
                print(format!("{object}\n").as_bytes())?;
            }
        }
    }
    Ok(())
}
