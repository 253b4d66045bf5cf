//! `mfa-profile schedule install|remove|status`: the background job put where the system
//! keeps per-user jobs, taken out, and looked at; and what `status` and `doctor` read of it.
//!
//! Invariant: the job's text is [`crate::commands::schedule`]'s; this module writes it down and runs the
//! system's programs (`systemctl --user`, `crontab`, `launchctl`, `schtasks`), each with its
//! arguments one by one, never through a shell. `--dry-run` prints and changes nothing (not
//! even the record). The user's crontab is read, edited by [`crate::commands::schedule::crontab`], and
//! written back only when it changed.

use super::{locate, now, print, var};
use crate::cli::{
    ScheduleArgs, ScheduleCommand, ScheduleInstallArgs, ScheduleRemoveArgs, ScheduleStatusArgs,
};
use crate::commands::schedule::record::{self, Record};
use crate::commands::schedule::{
    carried_env, crontab, launchd, log, span, state_dir, systemd, task, Job, Kind, ScheduleError,
};
use crate::error::{Error, EXIT_OK};
use crate::fsio;
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(super) fn run(args: &ScheduleArgs) -> Result<u8, Error> {
    match &args.command {
        ScheduleCommand::Install(args) => install(args),
        ScheduleCommand::Remove(args) => remove(args),
        ScheduleCommand::Status(args) => status(args),
    }
}

/// What installing a kind writes and runs, for `--dry-run` to print and `install` to do.
struct Definition {
    /// Files written: path and text (the task's XML goes to disk as UTF-16).
    files: Vec<(PathBuf, String)>,
    /// The crontab's new block, for cron.
    crontab_block: Option<String>,
    /// The commands run after, as shown.
    then: Vec<Vec<String>>,
}

fn install(args: &ScheduleInstallArgs) -> Result<u8, Error> {
    let files = locate(&args.files)?;
    let exe = std::env::current_exe().map_err(|e| ScheduleError::Program {
        command: "finding the mfa-profile binary".into(),
        problem: crate::text::plain::io_error(&e),
    })?;
    let (env, left_out) = carried_env(&var);
    for name in left_out {
        super::notice(Notice::Warning(format!(
            "{name} holds a password, which the job would keep in a file: it is left out, so the job's refreshes go without that proxy"
        )));
    }
    let job = Job::new(&exe, &files, args.every, args.ahead, env)?;
    let kind = args.using.unwrap_or_else(detect);
    let state = state_dir(&var)?;
    let definition = define(kind, &job, &state)?;
    if args.dry_run {
        print(dry_run(kind, &definition).as_bytes())?;
        return Ok(EXIT_OK);
    }
    if !kind.runs_here() {
        return Err(not_here(kind).into());
    }
    let previous = read_record(&state);
    if let Some(previous) = previous.as_ref().filter(|p| p.kind != kind) {
        take_out(previous.kind, &definitions_of(previous, &state)?)?;
        super::terminal::say(&format!(
            "removed {} (the schedule installed before)",
            previous.kind.describe()
        ));
    }
    put_in(kind, &definition)?;
    let record = Record {
        kind,
        job,
        installed_at: now(),
        definitions: definition
            .files
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect(),
    };
    fsio::replace_own_file(&state.join(record::FILE), record.to_json().as_bytes())?;
    super::terminal::say(&format!(
        "installed {}: `{}` runs every {} and refreshes what expires within {} in {} and {}; `mfa-profile schedule status` shows it",
        kind.describe(),
        shown_command(&record.job),
        span(record.job.every),
        span(record.job.ahead),
        Shown(&files.credentials),
        Shown(&files.config)
    ));
    Ok(EXIT_OK)
}

/// The job's command in short, for messages.
fn shown_command(job: &Job) -> String {
    format!(
        "mfa-profile refresh --all --background --min-remaining {}",
        span(job.ahead)
    )
}

/// The kind this machine uses: on Linux a systemd user timer when `systemctl --user` answers,
/// else cron; launchd on macOS; Task Scheduler on Windows.
fn detect() -> Kind {
    if cfg!(target_os = "linux") && user_systemd_answers() {
        return Kind::Systemd;
    }
    Kind::native()
}

fn user_systemd_answers() -> bool {
    Command::new("systemctl")
        .args(["--user", "show", "--property=Version"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn not_here(kind: Kind) -> ScheduleError {
    ScheduleError::NotHere {
        kind: kind.name(),
        describe: kind.describe(),
    }
}

/// The directory of the user's systemd units: `$XDG_CONFIG_HOME/systemd/user`, else
/// `~/.config/systemd/user`.
fn systemd_user_dir() -> Result<PathBuf, ScheduleError> {
    let config = super::non_empty_var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| super::home().map(|home| home.join(".config")))
        .ok_or(ScheduleError::NoStateDir("HOME is not set"))?;
    Ok(config.join("systemd").join("user"))
}

fn launch_agent_path() -> Result<PathBuf, ScheduleError> {
    let home = super::home().ok_or(ScheduleError::NoStateDir("HOME is not set"))?;
    Ok(home
        .join("Library/LaunchAgents")
        .join(format!("{}.plist", launchd::LABEL)))
}

/// `gui/UID`: the launchd domain of the user's graphical session.
fn gui_domain() -> String {
    #[cfg(unix)]
    {
        format!("gui/{}", rustix::process::getuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        "gui/UID".to_owned()
    }
}

fn task_file(state: &Path) -> PathBuf {
    state.join(format!("{}.xml", task::TASK_NAME))
}

/// What installing `kind` writes and runs.
fn define(kind: Kind, job: &Job, state: &Path) -> Result<Definition, ScheduleError> {
    let words = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
    Ok(match kind {
        Kind::Systemd => {
            let dir = systemd_user_dir()?;
            Definition {
                files: vec![
                    (dir.join(systemd::SERVICE), systemd::service(job)?),
                    (dir.join(systemd::TIMER), systemd::timer(job)),
                ],
                crontab_block: None,
                then: vec![
                    words(&["systemctl", "--user", "daemon-reload"]),
                    words(&["systemctl", "--user", "enable", "--now", systemd::TIMER]),
                ],
            }
        }
        Kind::Cron => Definition {
            files: Vec::new(),
            crontab_block: Some(crontab::block(job)?),
            then: vec![words(&["crontab", "-"])],
        },
        Kind::Launchd => {
            let path = launch_agent_path()?;
            let domain = gui_domain();
            Definition {
                then: vec![
                    words(&[
                        "launchctl",
                        "bootout",
                        &format!("{domain}/{}", launchd::LABEL),
                    ]),
                    vec![
                        "launchctl".into(),
                        "bootstrap".into(),
                        domain,
                        path.display().to_string(),
                    ],
                ],
                files: vec![(path, launchd::plist(job))],
                crontab_block: None,
            }
        }
        Kind::TaskScheduler => {
            let path = task_file(state);
            let start = jiff::Timestamp::from_second(now() + 60)
                .map(|t| t.to_zoned(super::local_zone()).datetime())
                .map(|t| format!("{}:00", t.strftime("%Y-%m-%dT%H:%M")))
                .unwrap_or_else(|_| "2025-01-01T00:00:00".into());
            Definition {
                then: vec![vec![
                    "schtasks".into(),
                    "/Create".into(),
                    "/XML".into(),
                    path.display().to_string(),
                    "/TN".into(),
                    task::TASK_NAME.into(),
                    "/F".into(),
                ]],
                files: vec![(path, task::task_xml(job, &start))],
                crontab_block: None,
            }
        }
    })
}

/// What `--dry-run` prints: each file's path and exact text, then the commands.
fn dry_run(kind: Kind, definition: &Definition) -> String {
    let mut out = format!(
        "# {} would be installed; nothing was changed (--dry-run)\n",
        kind.describe()
    );
    for (path, text) in &definition.files {
        let note = if kind == Kind::TaskScheduler {
            ", written as UTF-16; the file is removed once schtasks read it"
        } else {
            ""
        };
        out.push_str(&format!("==> {}{note} <==\n{text}", path.display()));
    }
    if let Some(block) = &definition.crontab_block {
        out.push_str(&format!(
            "==> added at the top of your crontab (its other lines kept as they are) <==\n{block}"
        ));
    }
    out.push_str("==> then run <==\n");
    for command in &definition.then {
        out.push_str(&command.join(" "));
        out.push('\n');
    }
    out
}

/// Installs `definition`.
fn put_in(kind: Kind, definition: &Definition) -> Result<(), Error> {
    match kind {
        Kind::Cron => {
            let block = definition.crontab_block.as_deref().unwrap_or_default();
            let current = read_crontab()?;
            let new = crontab::with_block(&current, block)?;
            if new != current {
                checked("crontab", &["-"], Some(&new))?;
            }
        }
        Kind::Launchd => {
            write_files(definition)?;
            // Not loaded yet is fine: bootout only makes the bootstrap load the new file.
            let _ = program(&definition.then[0], None);
            checked_all(&definition.then[1..])?;
        }
        Kind::TaskScheduler => {
            for (path, text) in &definition.files {
                fsio::replace_own_file(path, &task::utf16_file(text))?;
            }
            let created = checked_all(&definition.then);
            for (path, _) in &definition.files {
                let _ = std::fs::remove_file(path);
            }
            created?;
        }
        Kind::Systemd => {
            write_files(definition)?;
            checked_all(&definition.then)?;
        }
    }
    Ok(())
}

fn write_files(definition: &Definition) -> Result<(), Error> {
    for (path, text) in &definition.files {
        fsio::replace_own_file(path, text.as_bytes())?;
    }
    Ok(())
}

fn checked_all(commands: &[Vec<String>]) -> Result<(), ScheduleError> {
    for command in commands {
        let words: Vec<&str> = command[1..].iter().map(String::as_str).collect();
        checked(&command[0], &words, None)?;
    }
    Ok(())
}

/// The files and commands of the schedule `record` names (written for its kind again: only
/// their paths matter to take it out).
fn definitions_of(record: &Record, state: &Path) -> Result<Definition, ScheduleError> {
    define(record.kind, &record.job, state)
}

fn remove(args: &ScheduleRemoveArgs) -> Result<u8, Error> {
    let state = state_dir(&var)?;
    let record = read_record(&state);
    let kind = args
        .using
        .or(record.as_ref().map(|r| r.kind))
        .unwrap_or_else(detect);
    let (present, what) = present(kind)?;
    if args.dry_run {
        let said = if present {
            format!("would remove {}: {what}\n", kind.describe())
        } else {
            format!(
                "{} is not installed; nothing would be removed\n",
                kind.describe()
            )
        };
        print(said.as_bytes())?;
        return Ok(EXIT_OK);
    }
    if !kind.runs_here() {
        return Err(not_here(kind).into());
    }
    if present {
        let job = record.as_ref().map(|r| r.job.clone());
        take_out(kind, &removal(kind, job, &state)?)?;
        super::terminal::say(&format!("removed {}: {what}", kind.describe()));
    } else {
        super::terminal::say(&format!(
            "{} is not installed: nothing to remove",
            kind.describe()
        ));
    }
    if record.as_ref().is_some_and(|r| r.kind == kind) {
        let _ = std::fs::remove_file(state.join(record::FILE));
    }
    Ok(EXIT_OK)
}

/// What to take out for `kind`: only the paths and the name matter.
fn removal(kind: Kind, job: Option<Job>, state: &Path) -> Result<Definition, ScheduleError> {
    let job = job.unwrap_or_else(|| Job {
        exe: String::new(),
        credentials: String::new(),
        config: String::new(),
        every: crate::commands::schedule::DEFAULT_EVERY,
        ahead: crate::commands::schedule::DEFAULT_AHEAD,
        env: Vec::new(),
    });
    define(kind, &job, state)
}

/// Takes the job of `kind` out.
fn take_out(kind: Kind, definition: &Definition) -> Result<(), Error> {
    match kind {
        Kind::Cron => {
            let current = read_crontab()?;
            if let Some(kept) = crontab::without_job(&current)? {
                if kept.is_empty() {
                    checked("crontab", &["-r"], None)?;
                } else {
                    checked("crontab", &["-"], Some(&kept))?;
                }
            }
        }
        Kind::Systemd => {
            let disabled = checked(
                "systemctl",
                &["--user", "disable", "--now", systemd::TIMER],
                None,
            );
            for (path, _) in &definition.files {
                remove_file(path)?;
            }
            let reloaded = checked("systemctl", &["--user", "daemon-reload"], None);
            disabled.and(reloaded)?;
        }
        Kind::Launchd => {
            let _ = program(&definition.then[0], None);
            for (path, _) in &definition.files {
                remove_file(path)?;
            }
        }
        Kind::TaskScheduler => {
            checked("schtasks", &["/Delete", "/TN", task::TASK_NAME, "/F"], None)?;
        }
    }
    Ok(())
}

fn remove_file(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(fsio::FsError::Io {
            action: "remove",
            path: path.to_path_buf(),
            source: e,
        }
        .into()),
        _ => Ok(()),
    }
}

/// Whether the job of `kind` is there, and where, as the system says.
fn present(kind: Kind) -> Result<(bool, String), Error> {
    Ok(match kind {
        Kind::Cron => {
            let line = crontab::installed_line(&read_crontab()?);
            (
                line.is_some(),
                "mfa-profile's lines in your crontab".to_owned(),
            )
        }
        Kind::Systemd => {
            let timer = systemd_user_dir()?.join(systemd::TIMER);
            (
                timer.exists(),
                format!("{} and its service", timer.display()),
            )
        }
        Kind::Launchd => {
            let path = launch_agent_path()?;
            (path.exists(), path.display().to_string())
        }
        Kind::TaskScheduler => {
            let query = program(
                &[
                    "schtasks".into(),
                    "/Query".into(),
                    "/TN".into(),
                    task::TASK_NAME.into(),
                ],
                None,
            );
            (
                query.is_ok_and(|out| out.status.success()),
                format!("the task {}", task::TASK_NAME),
            )
        }
    })
}

fn status(args: &ScheduleStatusArgs) -> Result<u8, Error> {
    let state = state_dir(&var)?;
    let record = read_record(&state);
    let kind = args
        .using
        .or(record.as_ref().map(|r| r.kind))
        .unwrap_or_else(detect);
    let (present, what) = if kind.runs_here() {
        present(kind)?
    } else {
        (false, String::new())
    };
    let mut out = String::new();
    match (&record, present) {
        (None, false) => {
            out.push_str("no schedule is installed; `mfa-profile schedule install` installs one (`--dry-run` shows what it would install)\n");
            print(out.as_bytes())?;
            return Ok(EXIT_OK);
        }
        (Some(record), false) if record.kind == kind => out.push_str(&format!(
            "schedule: {} was installed on {}, but {what} is gone; `{}` installs it again\n",
            kind.describe(),
            crate::text::time::human(record.installed_at),
            install_again(record)
        )),
        (_, true) => out.push_str(&format!("schedule: {} ({what})\n", kind.describe())),
        (Some(_), false) => {}
    }
    if let Some(record) = record.as_ref().filter(|r| r.kind == kind) {
        let job = &record.job;
        out.push_str(&format!(
            "runs: `{}` every {}\nfiles: {}, {}\nbinary: {}\n",
            shown_command(job),
            span(job.every),
            Shown(Path::new(&job.credentials)),
            Shown(Path::new(&job.config)),
            job.exe
        ));
    }
    if present {
        if let Some(next) = next_run(kind, record.as_ref().map(|r| &r.job))? {
            out.push_str(&format!("next run: {next}\n"));
        }
    }
    let log_path = state.join(log::FILE);
    let last = last_run(&log_path);
    match last.first() {
        Some(first) => out.push_str(&format!(
            "last run: {} ({} ago): {}\n",
            crate::text::time::human(first.run_started),
            crate::text::time::human_span(now() - first.run_started),
            log::summary(&last)
        )),
        None => out.push_str("last run: none yet\n"),
    }
    out.push_str(&format!("log: {}\n", Shown(&log_path)));
    let out: String = out
        .lines()
        .map(|line| format!("{}\n", super::terminal::printable(line)))
        .collect();
    print(out.as_bytes())?;
    Ok(EXIT_OK)
}

/// The command that installs `record`'s schedule again, as it was.
fn install_again(record: &Record) -> String {
    use crate::commands::schedule::background::sh_word;
    let job = &record.job;
    format!(
        "mfa-profile schedule install --using {} --every {} --ahead {} --credentials-file {} --config-file {}",
        record.kind.name(),
        span(job.every),
        span(job.ahead),
        sh_word(&job.credentials),
        sh_word(&job.config)
    )
}

/// The next run, where the system tells it (cron's is computed from its line).
fn next_run(kind: Kind, job: Option<&Job>) -> Result<Option<String>, Error> {
    Ok(match kind {
        Kind::Systemd => {
            let out = checked(
                "systemctl",
                &[
                    "--user",
                    "list-timers",
                    "--all",
                    "--no-pager",
                    systemd::TIMER,
                ],
                None,
            )?;
            systemd::next_elapse(&String::from_utf8_lossy(&out))
                .map(|(next, left)| format!("{next} ({left})"))
        }
        Kind::Cron => job.and_then(|job| {
            let now = jiff::Timestamp::from_second(now())
                .ok()?
                .to_zoned(super::local_zone());
            let next = crontab::next_run(job.every, &now)?;
            Some(crate::text::time::human(next.timestamp().as_second()))
        }),
        Kind::Launchd => {
            let target = format!("{}/{}", gui_domain(), launchd::LABEL);
            let out = checked("launchctl", &["print", &target], None)?;
            let facts: Vec<String> = launchd::print_summary(&String::from_utf8_lossy(&out))
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            Some(format!(
                "not told by launchd ({}; it runs every {})",
                facts.join(", "),
                job.map_or_else(|| "--every".to_owned(), |j| span(j.every))
            ))
        }
        Kind::TaskScheduler => {
            let out = checked(
                "schtasks",
                &["/Query", "/TN", task::TASK_NAME, "/V", "/FO", "LIST"],
                None,
            )?;
            task::next_run_time(&String::from_utf8_lossy(&out))
        }
    })
}

/// The user's crontab; empty when there is none.
fn read_crontab() -> Result<Vec<u8>, ScheduleError> {
    let out = program(&["crontab".into(), "-l".into()], None)?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let said = String::from_utf8_lossy(&out.stderr);
    if said.contains("no crontab for") {
        return Ok(Vec::new());
    }
    Err(failed("crontab -l", &out))
}

/// Runs `command` (program first) with `input` on its standard input.
fn program(
    command: &[String],
    input: Option<&[u8]>,
) -> Result<std::process::Output, ScheduleError> {
    use std::io::Write;
    let shown = command.join(" ");
    let mut child = Command::new(&command[0])
        .args(&command[1..])
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ScheduleError::Program {
            command: shown.clone(),
            problem: format!("cannot be run: {}", crate::text::plain::io_error(&e)),
        })?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        // A program that exits without reading says why on its standard error.
        let _ = stdin.write_all(bytes);
    }
    child
        .wait_with_output()
        .map_err(|e| ScheduleError::Program {
            command: shown,
            problem: crate::text::plain::io_error(&e),
        })
}

/// Runs `program` with `args`; its standard output, or an error with what it said.
fn checked(
    program_name: &str,
    args: &[&str],
    input: Option<&[u8]>,
) -> Result<Vec<u8>, ScheduleError> {
    let mut command = vec![program_name.to_owned()];
    command.extend(args.iter().map(|a| (*a).to_owned()));
    let out = program(&command, input)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(failed(&command.join(" "), &out))
    }
}

fn failed(command: &str, out: &std::process::Output) -> ScheduleError {
    let said = String::from_utf8_lossy(&out.stderr);
    let said = said.trim();
    let status = out.status.code().map_or_else(
        || "was stopped by a signal".to_owned(),
        |c| format!("exited with {c}"),
    );
    ScheduleError::Program {
        command: command.to_owned(),
        problem: if said.is_empty() {
            status
        } else {
            format!("{status}: {said}")
        },
    }
}

/// The record `schedule install` left, if it can be read.
fn read_record(state: &Path) -> Option<Record> {
    let bytes = fsio::read_other(&state.join(record::FILE), 1 << 20)
        .ok()
        .flatten()?;
    Record::from_json(&bytes)
}

/// The entries of the last run in the log at `path` (read from its end).
fn last_run(path: &Path) -> Vec<log::Entry> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let from = len.saturating_sub(log::TAIL_BYTES);
    let mut tail = Vec::new();
    if file.seek(SeekFrom::Start(from)).is_err()
        || file.take(log::TAIL_BYTES).read_to_end(&mut tail).is_err()
    {
        return Vec::new();
    }
    log::last_run(&String::from_utf8_lossy(&tail))
}

/// What `status` and `doctor` say of the schedule: the record and the last run, read from the
/// state directory only (no program is run). `None` when the state directory cannot be found.
pub(super) fn seen() -> Option<crate::commands::schedule::Seen> {
    let state = state_dir(&var).ok()?;
    let record = read_record(&state);
    let last_run = match record {
        Some(_) => last_run(&state.join(log::FILE)),
        None => Vec::new(),
    };
    Some(crate::commands::schedule::Seen { record, last_run })
}
