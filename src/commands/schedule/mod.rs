//! The background schedule: a per-user job that runs `mfa-profile refresh --all --background`
//! every `--every`, kept the way each OS keeps such jobs (a systemd user timer, a line of the
//! user's crontab, a LaunchAgent, a Task Scheduler task), and what the job's runs decide and
//! record.
//!
//! Invariant: pure: text and values in, text and values out; the files, the programs
//! (`systemctl`, `crontab`, `launchctl`, `schtasks`), the clock and the environment are
//! `app`'s. What a job runs is decided once ([`Job::args`], [`Job::env`]); each kind only
//! writes it down by its own quoting rules, so every kind runs the same command. A value a
//! kind cannot carry (a control character, a path that is not Unicode) is refused, never
//! mangled.

pub mod background;
pub mod crontab;
pub mod launchd;
pub mod log;
pub mod record;
pub mod systemd;
pub mod task;

pub use crate::error::schedule::ScheduleError;
use crate::input::Span;
use crate::profile::FileLocations;
use std::path::{Path, PathBuf};

/// How often the job runs when `--every` is not given.
pub const DEFAULT_EVERY: Span = Span::from_secs(10 * 60);
/// What the job refreshes when `--ahead` is not given: what expires within this.
pub const DEFAULT_AHEAD: Span = Span::from_secs(30 * 60);
/// The shortest `--every` (cron's and Task Scheduler's unit is the minute).
pub const MIN_EVERY: u32 = 60;
/// The longest `--every`.
pub const MAX_EVERY: u32 = 24 * 3600;

/// How the job is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A systemd user timer and its service (Linux, when the user's systemd answers).
    Systemd,
    /// A line of the user's crontab (Linux without a user systemd, the BSDs; macOS with
    /// `--using cron`).
    Cron,
    /// A LaunchAgent (macOS).
    Launchd,
    /// A Task Scheduler task (Windows).
    TaskScheduler,
}

impl Kind {
    /// The names `--using` takes.
    pub const NAMES: [&'static str; 4] = ["systemd", "cron", "launchd", "task-scheduler"];

    /// The name `--using` takes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Systemd => "systemd",
            Kind::Cron => "cron",
            Kind::Launchd => "launchd",
            Kind::TaskScheduler => "task-scheduler",
        }
    }

    /// What it is, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Systemd => "a systemd user timer",
            Kind::Cron => "a line in your crontab",
            Kind::Launchd => "a LaunchAgent",
            Kind::TaskScheduler => "a Task Scheduler task",
        }
    }

    /// The kind this platform uses when the user's systemd does not answer (Linux) or always.
    pub fn native() -> Kind {
        if cfg!(windows) {
            Kind::TaskScheduler
        } else if cfg!(target_os = "macos") {
            Kind::Launchd
        } else {
            Kind::Cron
        }
    }

    /// Whether this platform can install it (any kind can be shown with `--dry-run`).
    pub fn runs_here(self) -> bool {
        match self {
            Kind::Systemd => cfg!(target_os = "linux"),
            Kind::Cron => cfg!(unix),
            Kind::Launchd => cfg!(target_os = "macos"),
            Kind::TaskScheduler => cfg!(windows),
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(name: &str) -> Result<Kind, String> {
        match name {
            "systemd" => Ok(Kind::Systemd),
            "cron" => Ok(Kind::Cron),
            "launchd" => Ok(Kind::Launchd),
            "task-scheduler" => Ok(Kind::TaskScheduler),
            other => Err(format!("unknown kind of schedule {other:?}")),
        }
    }
}

/// The environment variables a job's run keeps from the shell it was installed in, when set
/// there: where programs are (the code command, the dialog), where the state directory is,
/// and where and how STS is reached (endpoint, certificates, proxies).
pub const CARRIED_VARIABLES: [&str; 16] = [
    "PATH",
    "XDG_STATE_HOME",
    "AWS_ENDPOINT_URL_STS",
    "AWS_CA_BUNDLE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "TZ",
];

/// The variables of [`CARRIED_VARIABLES`] set in `var`, and the names left out because they
/// hold a password (a proxy's `user:password@`), which would then sit in a file.
pub fn carried_env(
    var: &dyn Fn(&str) -> Option<String>,
) -> (Vec<(String, String)>, Vec<&'static str>) {
    let mut carried = Vec::new();
    let mut left_out = Vec::new();
    for name in CARRIED_VARIABLES {
        let Some(value) = var(name).filter(|v| !v.is_empty()) else {
            continue;
        };
        if name.to_ascii_lowercase().ends_with("_proxy") && holds_password(&value) {
            left_out.push(name);
        } else {
            carried.push((name.to_owned(), value));
        }
    }
    (carried, left_out)
}

/// Whether a proxy URL carries user information (`scheme://user:password@host`).
fn holds_password(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.contains('@')
}

/// What the job runs: the binary, the files, the schedule, the variables it keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The binary, by absolute path.
    pub exe: String,
    /// The credentials file in force at install.
    pub credentials: String,
    /// The config file in force at install.
    pub config: String,
    /// How often it runs.
    pub every: Span,
    /// What it refreshes: what expires within this.
    pub ahead: Span,
    /// Variables the run gets (name, value), from [`carried_env`].
    pub env: Vec<(String, String)>,
}

impl Job {
    /// The job for `exe` and `files`, checked: every value is one each kind can carry.
    pub fn new(
        exe: &Path,
        files: &FileLocations,
        every: Span,
        ahead: Span,
        env: Vec<(String, String)>,
    ) -> Result<Job, ScheduleError> {
        check_every(every)?;
        if ahead < every {
            return Err(ScheduleError::AheadShorterThanEvery {
                ahead: span(ahead),
                every: span(every),
            });
        }
        if !exe.is_absolute() {
            return Err(unwritable(
                "the mfa-profile binary",
                &exe.display().to_string(),
                "is not an absolute path",
            ));
        }
        let job = Job {
            exe: unicode("the mfa-profile binary", exe)?,
            credentials: unicode("the credentials file", &files.credentials)?,
            config: unicode("the config file", &files.config)?,
            every,
            ahead,
            env,
        };
        for (what, value) in [
            ("the mfa-profile binary", &job.exe),
            ("the credentials file", &job.credentials),
            ("the config file", &job.config),
        ] {
            printable(what, value)?;
        }
        for (_, value) in &job.env {
            printable("an environment variable", value)?;
        }
        Ok(job)
    }

    /// The arguments after the binary: the run `refresh --all --background` of these files.
    pub fn args(&self) -> Vec<String> {
        vec![
            "refresh".into(),
            "--all".into(),
            "--background".into(),
            "--every".into(),
            span(self.every),
            "--min-remaining".into(),
            span(self.ahead),
            "--credentials-file".into(),
            self.credentials.clone(),
            "--config-file".into(),
            self.config.clone(),
        ]
    }

    /// The binary and its arguments.
    pub fn argv(&self) -> Vec<String> {
        let mut argv = vec![self.exe.clone()];
        argv.extend(self.args());
        argv
    }

    /// One line saying what the job does, for descriptions and comments.
    pub fn summary(&self) -> String {
        format!(
            "mfa-profile: refresh the sessions of {} that expire within {}, every {}",
            self.credentials,
            span(self.ahead),
            span(self.every)
        )
    }
}

/// `10m`, `1h30m`: a span as `--every` takes it.
pub fn span(span: Span) -> String {
    crate::text::time::exact_span(span.secs())
}

fn check_every(every: Span) -> Result<(), ScheduleError> {
    let secs = every.secs();
    let why = if secs < MIN_EVERY {
        "the shortest is 1m"
    } else if secs > MAX_EVERY {
        "the longest is 24h"
    } else if !secs.is_multiple_of(60) {
        "give whole minutes (the schedulers count in minutes)"
    } else {
        return Ok(());
    };
    Err(ScheduleError::Every {
        given: span(every),
        why: why.into(),
    })
}

fn unwritable(what: &'static str, value: &str, why: &'static str) -> ScheduleError {
    ScheduleError::Unwritable {
        what,
        value: value.escape_debug().to_string(),
        why,
        fix: "move it, or give --credentials-file and --config-file paths without it",
    }
}

fn unicode(what: &'static str, path: &Path) -> Result<String, ScheduleError> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| unwritable(what, &path.to_string_lossy(), "is not Unicode (UTF-8) text"))
}

fn printable(what: &'static str, value: &str) -> Result<(), ScheduleError> {
    if value.chars().any(char::is_control) {
        return Err(unwritable(what, value, "holds a control character"));
    }
    Ok(())
}

/// What `status` and `doctor` know of the schedule without asking the system: the record
/// `schedule install` left, and the last run's log lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    /// The installed schedule, if a record says so.
    pub record: Option<record::Record>,
    /// The last run's entries (none before the first run).
    pub last_run: Vec<log::Entry>,
}

/// Where the schedule's record, the runs' log and the declined prompts are kept: on Linux and
/// the BSDs `$XDG_STATE_HOME/mfa-profile`, else `~/.local/state/mfa-profile`; on macOS
/// `~/Library/Logs/mfa-profile`; on Windows `%LOCALAPPDATA%\mfa-profile`.
pub fn state_dir(var: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf, ScheduleError> {
    let var = |name: &str| var(name).filter(|v| !v.is_empty());
    if cfg!(windows) {
        return var("LOCALAPPDATA")
            .map(|dir| Path::new(&dir).join("mfa-profile"))
            .ok_or(ScheduleError::NoStateDir("LOCALAPPDATA is not set"));
    }
    let home = || {
        crate::profile::locations::home_dir(&var)
            .ok_or(ScheduleError::NoStateDir("HOME is not set"))
    };
    if cfg!(target_os = "macos") {
        return Ok(home()?.join("Library/Logs/mfa-profile"));
    }
    // The XDG base directory specification: a relative path is invalid and ignored.
    match var("XDG_STATE_HOME").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => Ok(dir.join("mfa-profile")),
        _ => Ok(home()?.join(".local/state/mfa-profile")),
    }
}

/// The job of the unit tests: the usual files, the defaults, a PATH (built as it is, so the
/// tests run on every system).
#[cfg(test)]
pub(crate) fn sample_job() -> Job {
    Job {
        exe: "/usr/local/bin/mfa-profile".into(),
        credentials: "/home/alice/.aws/credentials".into(),
        config: "/home/alice/.aws/config".into(),
        every: DEFAULT_EVERY,
        ahead: DEFAULT_AHEAD,
        env: vec![("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_runs_refresh_all_in_the_background_for_the_files_it_names() {
        assert_eq!(
            sample_job().argv().join(" "),
            "/usr/local/bin/mfa-profile refresh --all --background --every 10m --min-remaining 30m --credentials-file /home/alice/.aws/credentials --config-file /home/alice/.aws/config"
        );
    }

    #[test]
    fn what_a_job_cannot_carry_is_refused() {
        let files = |credentials: &str| FileLocations {
            credentials: credentials.into(),
            config: "/c".into(),
        };
        let exe = Path::new(if cfg!(windows) {
            "C:\\bin\\mfa-profile.exe"
        } else {
            "/bin/mfa-profile"
        });
        let new = |every: u32, ahead: u32, credentials: &str| {
            Job::new(
                exe,
                &files(credentials),
                Span::from_secs(every),
                Span::from_secs(ahead),
                vec![],
            )
        };
        assert!(new(600, 1800, "/a b/it's 100%").is_ok());
        let error = new(600, 1800, "/a\nb").unwrap_err().to_string();
        assert!(
            error.contains("the credentials file (/a\\nb) holds a control character"),
            "{error}"
        );
        assert!(new(30, 1800, "/a").unwrap_err().to_string().contains("1m"));
        assert!(new(90, 1800, "/a")
            .unwrap_err()
            .to_string()
            .contains("whole minutes"));
        assert!(new(25 * 3600, 26 * 3600, "/a").is_err());
        let error = new(1800, 600, "/a").unwrap_err().to_string();
        assert!(
            error.contains("--ahead 10m is shorter than --every 30m"),
            "{error}"
        );
        let relative = Job::new(
            Path::new("mfa-profile"),
            &files("/a"),
            DEFAULT_EVERY,
            DEFAULT_AHEAD,
            vec![],
        );
        assert!(relative.is_err());
    }

    #[test]
    fn a_proxy_holding_a_password_is_not_carried() {
        let var = |name: &str| match name {
            "PATH" => Some("/usr/bin".to_owned()),
            "HTTPS_PROXY" => Some("http://alice:s3cret@proxy:3128/".to_owned()),
            "NO_PROXY" => Some("localhost".to_owned()),
            "http_proxy" => Some("http://proxy:3128/a@b".to_owned()),
            "AWS_CA_BUNDLE" => Some(String::new()),
            _ => None,
        };
        let (carried, left_out) = carried_env(&var);
        assert_eq!(
            carried,
            [
                ("PATH".to_owned(), "/usr/bin".to_owned()),
                ("http_proxy".to_owned(), "http://proxy:3128/a@b".to_owned()),
                ("NO_PROXY".to_owned(), "localhost".to_owned()),
            ]
        );
        assert_eq!(left_out, ["HTTPS_PROXY"]);
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn the_state_directory_follows_xdg() {
        let with = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let dir = |pairs| state_dir(&with(pairs)).unwrap();
        assert_eq!(
            dir(&[("HOME", "/h"), ("XDG_STATE_HOME", "/s")]),
            Path::new("/s/mfa-profile")
        );
        assert_eq!(
            dir(&[("HOME", "/h")]),
            Path::new("/h/.local/state/mfa-profile")
        );
        assert_eq!(
            dir(&[("HOME", "/h"), ("XDG_STATE_HOME", "relative")]),
            Path::new("/h/.local/state/mfa-profile"),
            "a relative XDG_STATE_HOME is ignored, as the specification says"
        );
        assert!(state_dir(&with(&[])).is_err());
    }
}
