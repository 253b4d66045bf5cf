//! `refresh --all --background`: the scheduled job's run, runnable by hand.
//!
//! Invariant: it never reads standard input or a terminal. A code comes from the code command
//! (`--code-command`, the source's `mfa_process`), else from a desktop dialog, else nobody is
//! asked and the desktop is notified; a device whose dialog was declined, or whose need was
//! notified, is not asked again by a run that starts before the next is due (the record is
//! kept in the state directory, written while the device is held, so of two runs at once one
//! asks and the other reads its answer). Each target's outcome is one line of the log in the
//! state directory (and on standard error when it is a terminal: a person ran it by hand). A
//! run with nothing to refresh reads the credentials file, writes its log
//! lines, and nothing else: no config file, no lock, no network.

use super::code_command::code_from_command_unattended;
use super::desktop_prompt::{self, Asked};
use super::{now, var};
use crate::cli::RefreshArgs;
use crate::commands::schedule::background::{self, Declined, DeclinedPrompt};
use crate::commands::schedule::log;
use crate::commands::schedule::state_dir;
use crate::error::{Error, EXIT_OK};
use crate::input::{MfaCode, Span};
use crate::profile::{managed_targets, read_document, ManagedTarget};
use crate::refresh::{CodeRequest, CodeSource, Outcome, RefreshSettings};
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use crate::text::time;
use std::path::{Path, PathBuf};

pub(super) fn run(args: &RefreshArgs, settings: RefreshSettings) -> Result<u8, Error> {
    let started = now();
    let state = state_dir(&var);
    let mut log = RunLog {
        path: state.as_ref().ok().map(|dir| dir.join(log::FILE)),
        started: time::rfc3339(started),
        pid: std::process::id(),
        pending: String::new(),
        echo: std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let doc = match read_document(&settings.files.credentials) {
        Ok(doc) => doc,
        Err(error) => {
            log.add("-", log::Outcome::Failed, &error.to_string());
            log.flush();
            return Err(error.into());
        }
    };
    let targets = managed_targets(&doc);
    drop(doc);
    if targets.is_empty() {
        log.add(
            "-",
            log::Outcome::Valid,
            &format!(
                "no profile in {} is managed by mfa-profile: nothing to do",
                Shown(&settings.files.credentials)
            ),
        );
        log.flush();
        return Ok(EXIT_OK);
    }
    let (due, valid) = background::due(&targets, started, settings.min_remaining);
    for (target, left) in &valid {
        log.add(
            &target.name,
            log::Outcome::Valid,
            &format!(
                "valid until {} ({} left): nothing to do",
                time::rfc3339(started + left),
                time::human_span(*left)
            ),
        );
    }
    if due.is_empty() {
        log.flush();
        return Ok(EXIT_OK);
    }
    let state = state?;
    let mut codes = BackgroundCodes {
        command: args.code_command.clone(),
        started,
        every: args.every,
        ahead: settings.min_remaining,
        state,
        targets,
        files_hint: files_hint(&settings),
        event: None,
    };
    let sts = crate::aws::sts::SdkSts(super::network());
    let mut first_failure = None;
    for target in &due {
        let one = crate::profile::ProfileName::new(&target.name).map(|name| RefreshSettings {
            target: Some(name),
            ..settings.clone()
        });
        codes.event = None;
        let mut warnings = Vec::new();
        let result = one.map_err(Error::from).and_then(|one| {
            let mut services = crate::refresh::Services {
                sts: &sts,
                iam: &crate::refresh::NoIam,
                codes: &mut codes,
                keys: &mut super::process_keys::RunProcess,
            };
            crate::refresh::refresh(&one, &mut services, &mut |notice| {
                if let Notice::Warning(text) = notice {
                    warnings.push(text);
                }
            })
        });
        let (outcome, mut detail) = outcome(&result, codes.event.take());
        if let Err(error) = &result {
            if outcome == log::Outcome::Failed {
                first_failure.get_or_insert(error.exit_code());
            }
        }
        for warning in warnings {
            detail.push_str(&format!("; warning: {warning}"));
        }
        log.add(&target.name, outcome, &detail);
        log.flush();
    }
    Ok(first_failure.unwrap_or(EXIT_OK))
}

/// What happened to a target, for its log line.
fn outcome(result: &Result<Outcome, Error>, event: Option<Event>) -> (log::Outcome, String) {
    match result {
        Ok(Outcome::Refreshed(done)) => {
            let how = match (&done.via, event) {
                (Some(base), _) => format!("assumed with [{base}]'s session, no code"),
                (None, Some(Event::Command)) => "the code from the code command".to_owned(),
                (None, Some(Event::Typed)) => "the code typed in a dialog".to_owned(),
                (None, _) => "no code".to_owned(),
            };
            (
                log::Outcome::Refreshed,
                format!(
                    "valid until {}; {how}",
                    time::rfc3339(done.session.expires_at)
                ),
            )
        }
        Ok(Outcome::StillValid { expires_at, .. }) => (
            log::Outcome::Valid,
            format!(
                "valid until {} (refreshed meanwhile by another mfa-profile)",
                time::rfc3339(*expires_at)
            ),
        ),
        Err(error) => match event {
            Some(Event::Declined(declined, said, again)) => (
                log::Outcome::Declined,
                format!(
                    "{said}; {} is not asked again before {}",
                    declined.serial,
                    time::rfc3339(again)
                ),
            ),
            Some(Event::Notified { serial, said }) => (
                log::Outcome::Notified,
                format!("needs an MFA code for {serial}: {said}"),
            ),
            Some(Event::Quiet(declined, again)) => (
                log::Outcome::Quiet,
                format!(
                    "needs an MFA code for {}, and {} at {}: asked again from {}",
                    declined.serial,
                    declined.said(),
                    time::rfc3339(declined.run_started),
                    time::rfc3339(again)
                ),
            ),
            _ => (log::Outcome::Failed, error.to_string()),
        },
    }
}

/// The log lines of one run, written a few at a time.
struct RunLog {
    /// `None`: no state directory (its lines go to standard error).
    path: Option<PathBuf>,
    /// The run's start, as the log writes it.
    started: String,
    pid: u32,
    pending: String,
    /// Say the lines on standard error too: a person ran it in a terminal.
    echo: bool,
}

impl RunLog {
    fn add(&mut self, target: &str, outcome: log::Outcome, detail: &str) {
        self.pending
            .push_str(&log::line(&self.started, self.pid, target, outcome, detail));
    }

    /// Writes the lines added since the last flush; where the log cannot be written, says them
    /// on standard error (the job's own log: the journal, cron's mail).
    fn flush(&mut self) {
        let lines = std::mem::take(&mut self.pending);
        if lines.is_empty() {
            return;
        }
        if self.echo {
            for line in lines.lines() {
                super::terminal::say(line);
            }
        }
        let written = match &self.path {
            Some(path) => crate::fsio::append_own_log(path, lines.as_bytes(), log::MAX_BYTES)
                .map_err(|e| e.to_string()),
            None => Err("no state directory (HOME is not set)".to_owned()),
        };
        if let Err(why) = written {
            super::terminal::say(&format!(
                "mfa-profile: cannot write the background log: {why}"
            ));
            for line in lines.lines() {
                super::terminal::say(&format!("mfa-profile: {line}"));
            }
        }
    }
}

/// The file flags a notification's command needs: those of files other than the ones found
/// by default.
fn files_hint(settings: &RefreshSettings) -> [(&'static str, Option<String>); 2] {
    let default = crate::profile::locations::resolve(var, None, None).ok();
    let differs = |path: &Path, default: Option<&Path>| {
        (Some(path) != default).then(|| path.display().to_string())
    };
    [
        (
            "--credentials-file",
            differs(
                &settings.files.credentials,
                default.as_ref().map(|d| d.credentials.as_path()),
            ),
        ),
        (
            "--config-file",
            differs(
                &settings.files.config,
                default.as_ref().map(|d| d.config.as_path()),
            ),
        ),
    ]
}

/// How the last code request of a refresh went.
#[derive(Debug)]
enum Event {
    /// The code command gave the code.
    Command,
    /// A dialog gave it.
    Typed,
    /// The dialog gave none: the record, what to say, when the device is asked again.
    Declined(DeclinedPrompt, String, i64),
    /// Nobody could be asked: the desktop was told (or why it could not be).
    Notified { serial: String, said: String },
    /// The device was asked too recently: the record, and when it is asked again.
    Quiet(DeclinedPrompt, i64),
}

/// The codes of a background run: the code command, else a dialog, else a notification.
struct BackgroundCodes {
    command: Option<String>,
    started: i64,
    every: Span,
    ahead: Span,
    state: PathBuf,
    /// Every managed target, for when the one a code is asked for expires.
    targets: Vec<ManagedTarget>,
    files_hint: [(&'static str, Option<String>); 2],
    event: Option<Event>,
}

impl BackgroundCodes {
    fn declined_record(&self, serial: &str) -> PathBuf {
        self.state.join(format!(
            "declined-{}.json",
            crate::fsio::device::file_stem(serial)
        ))
    }

    fn record(&self, request: &CodeRequest, how: Declined) -> DeclinedPrompt {
        let declined = DeclinedPrompt {
            serial: request.serial.to_string(),
            run_started: self.started,
            how,
        };
        // Lost, it costs one dialog more at the next run, no more.
        let _ = crate::fsio::replace_own_file(
            &self.declined_record(request.serial.as_str()),
            declined.to_json().as_bytes(),
        );
        declined
    }

    /// Tells the desktop that `request`'s target needs a code, and what to run.
    fn notify(&mut self, request: &CodeRequest) {
        let expires = self
            .targets
            .iter()
            .find(|t| t.name == request.target.as_str())
            .and_then(|t| t.expires_at);
        let expires = match expires {
            Some(at) if at > now() => format!(
                "expires at {} (in {})",
                time::human(at),
                time::human_span(at - now())
            ),
            Some(at) => format!("expired at {}", time::human(at)),
            None => "holds no session".to_owned(),
        };
        let files: Vec<(&str, Option<&str>)> = self
            .files_hint
            .iter()
            .map(|(flag, path)| (*flag, path.as_deref()))
            .collect();
        let command = background::hint(request.rerun, self.ahead, &files);
        let (title, body) = background::notification(
            request.target.as_str(),
            request.serial.as_str(),
            &expires,
            &command,
        );
        let said = match super::notify::notify(&title, &body) {
            Ok(how) => format!("the desktop was notified ({how}): run `{command}`"),
            Err(why) => {
                format!("no dialog or notification could be shown ({why}): run `{command}`")
            }
        };
        self.record(request, Declined::Notified);
        self.event = Some(Event::Notified {
            serial: request.serial.to_string(),
            said,
        });
    }
}

/// Sleeps until `at` (epoch seconds): the device's next code window.
fn sleep_until(at: i64) {
    let wait = (at - now()).max(0);
    std::thread::sleep(std::time::Duration::from_secs(wait.unsigned_abs()));
}

impl CodeSource for BackgroundCodes {
    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error> {
        let next_window = request.next_code_at.filter(|at| *at > now());
        if let Some(command) = self
            .command
            .clone()
            .or(request.profile_command.map(str::to_owned))
        {
            if let Some(at) = next_window {
                sleep_until(at);
            }
            let code = code_from_command_unattended(&command)?;
            self.event = Some(Event::Command);
            return Ok(code);
        }
        let path = self.declined_record(request.serial.as_str());
        let declined = crate::fsio::read_other(&path, 4096)
            .ok()
            .flatten()
            .and_then(|bytes| DeclinedPrompt::from_json(&bytes, request.serial.as_str()));
        if let Some(declined) = declined {
            if let Err(again) = declined.may_ask(self.started, self.every) {
                self.event = Some(Event::Quiet(declined, again));
                return Err(needs_code(request, "it was asked for too recently"));
            }
        }
        if desktop_prompt::unavailable(&var).is_some() {
            self.notify(request);
            return Err(needs_code(request, "there is no desktop dialog to ask in"));
        }
        if let Some(at) = next_window {
            sleep_until(at);
        }
        let label = format!("{} (for [{}])", request.serial, request.target);
        match desktop_prompt::ask_in_dialog(&label, &var) {
            Ok(Asked::Code(code)) => {
                let _ = std::fs::remove_file(&path);
                self.event = Some(Event::Typed);
                Ok(code)
            }
            Ok(Asked::Declined { how, said }) => {
                let declined = self.record(request, how);
                let again = declined.asked_again_from(self.every);
                self.event = Some(Event::Declined(declined, said.clone(), again));
                Err(Error::CodeInput(said))
            }
            // The dialog could not be shown: the desktop is told instead.
            Err(_) => {
                self.notify(request);
                Err(needs_code(request, "the desktop dialog could not be shown"))
            }
        }
    }
}

fn needs_code(request: &CodeRequest, why: &'static str) -> Error {
    Error::NeedsCode {
        target: request.target.to_string(),
        rerun: request.rerun.to_owned(),
        serial: request.serial.to_string(),
        why,
    }
}
