//! `mfa-profile console`: the AWS console in the browser, signed in with a role target's
//! session ([`crate::aws::signin`]).
//!
//! Invariant: a target whose session AWS's sign-in does not take (a GetSessionToken session)
//! is refused before any request; the sign-in URL reaches only `--print`'s standard output or
//! the browser opener's argument, never a message (an opener's own words are shown with it
//! taken out).

use super::handout::usable_session;
use super::{locate, network, non_empty_var, now, print, tls_settings};
use crate::aws::signin::{console_duration, fetch_signin_token, Partition, SigninEndpoint};
use crate::aws::sts::{roots_for, TrustChoice};
use crate::cli::ConsoleArgs;
use crate::commands::handout::{choose_target, WhenStale};
use crate::error::{Error, EXIT_OK};
use crate::input::keys::Secret;
use crate::profile::{
    find_section, managed_targets, FileKind, ManagedTarget, ProfileName, SharedDocuments,
};

pub(super) fn run(args: &ConsoleArgs) -> Result<u8, Error> {
    let files = locate(&args.session.files)?;
    let docs = SharedDocuments::read(&files)?;
    let target = choose_target(
        args.target.as_ref(),
        non_empty_var("AWS_PROFILE").as_deref(),
        &docs,
        &files.credentials,
    )?;
    let recorded = find_section(&docs.credentials, FileKind::Credentials, &target)
        .ok()
        .flatten()
        .and_then(|id| ManagedTarget::read(&docs.credentials.section(id)));
    // A target mfa-profile does not manage gets the handout's own refusal below.
    let role = match &recorded {
        Some(managed) => match &managed.role_arn {
            Some(role) => Some(role.clone()),
            None => return Err(not_a_role(&docs, &target)),
        },
        None => None,
    };
    let partition = match role.as_deref().map(|arn| (arn, Partition::of_arn(arn))) {
        Some((_, Some(partition))) => partition,
        Some((arn, None)) if args.signin_endpoint.is_none() => {
            return Err(Error::ConsoleSetting(format!(
                "the role of [{target}] ({arn}) is in a partition whose console sign-in mfa-profile does not know; give its federation endpoint with --signin-endpoint"
            )))
        }
        _ => Partition::Aws,
    };
    let region = find_section(&docs.config, FileKind::Config, &target)
        .ok()
        .flatten()
        .and_then(|id| docs.config.section(id).get("region").map(str::to_owned))
        .filter(|region| !region.is_empty());
    drop(docs);
    let endpoint = match &args.signin_endpoint {
        Some(url) if url.is_plain_http() && !url.is_loopback() => {
            return Err(Error::ConsoleSetting(format!(
                "refusing to send the session to {url} over plain http: it would cross the network in clear text; use https://"
            )))
        }
        Some(url) => SigninEndpoint::new(url.clone()),
        None => SigninEndpoint::of(partition),
    };
    let destination = match &args.destination {
        Some(url) if url.is_plain_http() => {
            return Err(Error::ConsoleSetting(format!(
                "--destination {url} is plain http; the console's pages are https://"
            )))
        }
        Some(url) => url.to_string(),
        None => partition.console_home(region.as_deref()),
    };
    let usable = usable_session(Some(&target), &args.session, WhenStale::Refresh)?;
    // A role assumed with another session (role chaining) gets no SessionDuration: AWS's page
    // asks for an AssumeRole made with long-term credentials wherever it speaks of durations,
    // and without it the console session lasts as the credentials do.
    let derived = recorded.as_ref().is_some_and(|m| m.via.is_some());
    let duration = (!derived).then(|| console_duration(usable.session.expires_at - now()));
    let request = endpoint.token_request(&usable.session, duration);
    let trust = roots_for(
        [Some(endpoint.url())],
        &TrustChoice::new(&tls_settings(), None),
    )?;
    let token = fetch_signin_token(&endpoint, &request, &trust, network().proxies())?;
    drop(request);
    let url = endpoint.login_url(&destination, &token);
    if args.print {
        print(format!("{}\n", url.expose()).as_bytes())?;
        return Ok(EXIT_OK);
    }
    open_browser(&url, &format!("mfa-profile console -t {target} --print"))?;
    super::terminal::say(&format!(
        "mfa-profile: opened the console signed in with [{target}]'s role session (the sign-in link works for 15 minutes)"
    ));
    Ok(EXIT_OK)
}

/// The refusal of a target that holds a GetSessionToken session, with the role targets to use
/// instead.
fn not_a_role(docs: &SharedDocuments, target: &ProfileName) -> Error {
    let roles: Vec<String> = managed_targets(&docs.credentials)
        .into_iter()
        .filter(|t| t.role_arn.is_some())
        .map(|t| t.name)
        .collect();
    let hint = match roles.first() {
        Some(first) => format!("sign in with a role target: `mfa-profile console -t {first}`"),
        None => format!(
            "make a role target from it first (mfa-profile -t NAME --via {target} --role-arn and the role's ARN), then run console -t NAME"
        ),
    };
    Error::NotARoleSession {
        target: target.to_string(),
        what: "a GetSessionToken session",
        hint,
    }
}

/// Opens `url` in the browser: `xdg-open` (`open` on macOS; on Windows url.dll's handler,
/// since `cmd /C start` would read the `&` and `%` of the URL). Its own words, if it fails,
/// are shown without the URL.
fn open_browser(url: &Secret, rerun: &str) -> Result<(), Error> {
    let (program, leading): (&str, &[&str]) = if cfg!(windows) {
        ("rundll32", &["url.dll,FileProtocolHandler"])
    } else if cfg!(target_os = "macos") {
        ("open", &[])
    } else {
        ("xdg-open", &[])
    };
    let failed = |why: String| Error::Browser {
        opener: program.to_owned(),
        why,
        rerun: rerun.to_owned(),
    };
    let output = std::process::Command::new(program)
        .args(leading)
        .arg(url.expose())
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|error| failed(crate::text::plain::io_error(&error)))?;
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr).replace(url.expose(), "(the sign-in URL)");
    let said = said.trim();
    Err(failed(if said.is_empty() {
        format!("it exited with {}", output.status)
    } else {
        format!("it exited with {}: {said}", output.status)
    }))
}
