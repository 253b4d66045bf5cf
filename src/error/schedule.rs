//! Why a background schedule cannot be installed, removed or read (`schedule`, and the state
//! its runs keep).
//!
//! Invariant: one sentence each, with what to do; the system's failures exit 1, what was
//! asked for exits 2.

/// Why a schedule cannot be installed, removed or read.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// A path or value the job would hold cannot be written into it.
    #[error("{what} ({value}) {why}, so it cannot be written into a scheduled job; {fix}")]
    Unwritable {
        /// What it is: "the credentials file".
        what: &'static str,
        /// The value, escaped.
        value: String,
        /// What is wrong with it.
        why: &'static str,
        /// What to do.
        fix: &'static str,
    },
    /// `--every` out of range, or not what the kind can run.
    #[error("--every {given}: {why}")]
    Every {
        /// As given.
        given: String,
        /// Why not, with what would do.
        why: String,
    },
    /// `--ahead` shorter than `--every`.
    #[error("--ahead {ahead} is shorter than --every {every}: a session could expire between two runs unseen; give an --ahead of at least {every}")]
    AheadShorterThanEvery {
        /// `--ahead`.
        ahead: String,
        /// `--every`.
        every: String,
    },
    /// Our lines in the crontab are not as we wrote them.
    #[error("your crontab has the line `{begin}` without the line `{end}` after it; fix it with `crontab -e` (remove mfa-profile's lines), then run again")]
    BrokenCrontab {
        /// The line that opens mfa-profile's lines.
        begin: &'static str,
        /// The line that closes them.
        end: &'static str,
    },
    /// A kind that this platform does not run.
    #[error("{kind} jobs are not kept on this system ({describe}); `mfa-profile schedule install --using {kind} --dry-run` shows what would be installed")]
    NotHere {
        /// The kind's name.
        kind: &'static str,
        /// What it is.
        describe: &'static str,
    },
    /// A program that keeps the job failed.
    #[error("`{command}` {problem}")]
    Program {
        /// The command as run.
        command: String,
        /// What went wrong, with its standard error.
        problem: String,
    },
    /// The state directory cannot be found.
    #[error("cannot find where to keep the schedule's record and log: {0}")]
    NoStateDir(&'static str),
}

impl ScheduleError {
    /// The exit code: the system's failures are 1, what was asked for is 2.
    pub fn exit_code(&self) -> u8 {
        match self {
            ScheduleError::Program { .. } => crate::error::exit::EXIT_FAILURE,
            _ => crate::error::exit::EXIT_USAGE,
        }
    }
}
