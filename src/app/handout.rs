//! The session a command hands to another program (`exec`, `export`, `credential-process`):
//! read from the target, refreshed first where that is allowed and needed.
//!
//! Invariant: standard output is left to the consumer; every message goes to standard error;
//! a code is asked for on the controlling terminal, never on standard input, which belongs to
//! the consumer.

use super::code_source::ProcessCodes;
use super::{endpoint, locate, non_empty_var, notice, now, refresh_settings, run_refresh};
use crate::cli::SessionArgs;
use crate::commands::handout::{choose_target, decide, Handout, WhenStale};
use crate::error::Error;
use crate::input::keys::SessionCredentials;
use crate::profile::{FileLocations, ProfileName, SharedDocuments};
use crate::refresh::RefreshSettings;
use crate::text::notice::Notice;
use crate::text::time::human_span;

/// A target's session, fresh enough to hand out.
pub(super) struct Usable {
    pub target: ProfileName,
    pub session: SessionCredentials,
    pub files: FileLocations,
}

/// The session of the target `named` (or the one the environment means), refreshed first when
/// it is stale and `when_stale` allows it.
pub(super) fn usable_session(
    named: Option<&ProfileName>,
    args: &SessionArgs,
    when_stale: WhenStale,
) -> Result<Usable, Error> {
    let files = locate(&args.files)?;
    let min_remaining = i64::from(args.min_remaining.secs());
    let docs = SharedDocuments::read(&files)?;
    let target = choose_target(
        named,
        non_empty_var("AWS_PROFILE").as_deref(),
        &docs,
        &files.credentials,
    )?;
    let doc = &docs.credentials;
    let now = now();
    let usable = |session| Usable {
        target: target.clone(),
        session,
        files: files.clone(),
    };
    match decide(
        doc,
        &docs.config,
        &files.credentials,
        &target,
        now,
        min_remaining,
        when_stale,
    )? {
        Handout::Ready(session) => return Ok(usable(session)),
        Handout::Expiring { session, remaining } => {
            notice(Notice::Warning(format!(
                "the session in [{target}] expires in {}",
                human_span(remaining)
            )));
            return Ok(usable(session));
        }
        Handout::Refresh => {}
    }
    drop(docs);
    let settings = RefreshSettings {
        target: Some(target.clone()),
        endpoint: endpoint(None, args.allow_insecure_endpoint)?,
        allow_insecure_endpoint: args.allow_insecure_endpoint,
        min_remaining: args.min_remaining,
        carry_region: !args.no_config,
        ..refresh_settings(files.clone())
    };
    let mut codes =
        ProcessCodes::for_handout(args.code_command.clone(), args.prompt, args.no_input);
    let outcome = run_refresh(&settings, &mut codes)?;
    super::refresh::report(&outcome, false)?;
    // Still valid: another run refreshed it meanwhile.
    Ok(usable(outcome.into_session()?))
}
