//! The background runs' log: one line per run and target, `TIME PID [TARGET] OUTCOME: WHAT`,
//! and the last run read back from it.
//!
//! Invariant: a line is one line (control characters in a name or a message are escaped), its
//! time is the run's start in UTC (so a run's lines share it), and it holds what the messages
//! of the tool hold, never a secret. The log is bounded: past [`MAX_BYTES`] it is moved to
//! `.1` (the one before is dropped), so the two together stay under twice that.

/// The name of the log in the state directory.
pub const FILE: &str = "background.log";
/// The size past which the log is moved aside.
pub const MAX_BYTES: u64 = 256 * 1024;
/// How much of the end of the log is read to find the last run.
pub const TAIL_BYTES: u64 = 16 * 1024;

/// What happened to a target in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Valid beyond `--ahead`: nothing to do.
    Valid,
    /// A new session was written.
    Refreshed,
    /// A code was asked for in a dialog, which was cancelled or not answered.
    Declined,
    /// A code was needed and nothing could ask for it: the desktop was told.
    Notified,
    /// A code was needed, and its device was asked too recently to be asked again.
    Quiet,
    /// The refresh failed.
    Failed,
}

impl Outcome {
    const ALL: [Outcome; 6] = [
        Outcome::Valid,
        Outcome::Refreshed,
        Outcome::Declined,
        Outcome::Notified,
        Outcome::Quiet,
        Outcome::Failed,
    ];

    /// The word in the log.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Valid => "valid",
            Outcome::Refreshed => "refreshed",
            Outcome::Declined => "declined",
            Outcome::Notified => "notified",
            Outcome::Quiet => "quiet",
            Outcome::Failed => "failed",
        }
    }

    /// Whether the target is left needing someone (a code, or a fix).
    pub fn needs_attention(self) -> bool {
        !matches!(self, Outcome::Valid | Outcome::Refreshed)
    }
}

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The run's start, epoch seconds.
    pub run_started: i64,
    /// The run's process id.
    pub pid: u32,
    /// The target (`-` for the run as a whole).
    pub target: String,
    /// What happened.
    pub outcome: Outcome,
    /// What happened, in words.
    pub detail: String,
}

impl Entry {
    /// The line, with its newline.
    #[cfg(test)]
    pub fn line(&self) -> String {
        line(
            &crate::text::time::rfc3339(self.run_started),
            self.pid,
            &self.target,
            self.outcome,
            &self.detail,
        )
    }

    /// Reads a line back; `None` for one that is not an entry.
    pub fn parse(line: &str) -> Option<Entry> {
        let mut words = line.trim_end().splitn(5, ' ');
        let run_started = crate::text::time::parse_rfc3339(words.next()?)?;
        let pid = words.next()?.parse().ok()?;
        let target = words.next()?.strip_prefix('[')?.strip_suffix(']')?;
        let word = words.next()?.strip_suffix(':')?;
        let outcome = Outcome::ALL.into_iter().find(|o| o.word() == word)?;
        Some(Entry {
            run_started,
            pid,
            target: target.to_owned(),
            outcome,
            detail: words.next().unwrap_or("").to_owned(),
        })
    }
}

/// The line of an entry whose run started at `run_started` (RFC 3339, as [`Entry::line`]
/// writes it: a run formats its time once), with its newline.
pub fn line(run_started: &str, pid: u32, target: &str, outcome: Outcome, detail: &str) -> String {
    format!(
        "{run_started} {pid} [{}] {}: {}\n",
        one_word(target),
        outcome.word(),
        one_line(detail)
    )
}

/// The entries of the last run in `log` (its last entry's run, lines of another run
/// interleaved left out), in order.
pub fn last_run(log: &str) -> Vec<Entry> {
    let entries: Vec<Entry> = log.lines().filter_map(Entry::parse).collect();
    let Some(last) = entries.last() else {
        return Vec::new();
    };
    let run = (last.run_started, last.pid);
    entries
        .iter()
        .filter(|e| (e.run_started, e.pid) == run)
        .cloned()
        .collect()
}

/// `[mfa] valid, [admin] refreshed`: a run's outcomes in a few words.
pub fn summary(entries: &[Entry]) -> String {
    entries
        .iter()
        .map(|e| format!("[{}] {}", e.target, e.outcome.word()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as one word: spaces, brackets and control characters escaped.
fn one_word(text: &str) -> String {
    escaped(text, |c| {
        c.is_whitespace() || c.is_control() || c == '[' || c == ']'
    })
}

/// `text` on one line: control characters (line breaks included) escaped.
fn one_line(text: &str) -> String {
    escaped(text, char::is_control)
}

/// `text` with the characters `escape` picks written `\u{..}`.
fn escaped(text: &str, escape: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(target: &str, outcome: Outcome, detail: &str) -> Entry {
        Entry {
            run_started: 1_748_772_000,
            pid: 4242,
            target: target.into(),
            outcome,
            detail: detail.into(),
        }
    }

    #[test]
    fn a_line_says_time_run_target_and_what_happened_and_reads_back() {
        let e = entry(
            "mfa",
            Outcome::Refreshed,
            "valid until 2025-06-01T22:00:00Z",
        );
        assert_eq!(
            e.line(),
            "2025-06-01T10:00:00Z 4242 [mfa] refreshed: valid until 2025-06-01T22:00:00Z\n"
        );
        assert_eq!(Entry::parse(&e.line()), Some(e));
    }

    #[test]
    fn a_name_or_message_cannot_break_the_line() {
        let e = entry("a b]\n", Outcome::Failed, "line one\nline two\r\u{1b}[31m");
        let line = e.line();
        assert_eq!(line.matches('\n').count(), 1, "{line:?}");
        assert!(!line.contains('\u{1b}'));
        let back = Entry::parse(&line).unwrap();
        assert_eq!(back.outcome, Outcome::Failed);
        assert_eq!(back.detail, "line one\\u{a}line two\\u{d}\\u{1b}[31m");
    }

    #[test]
    fn the_last_run_is_its_own_lines_only() {
        let mut first = entry("mfa", Outcome::Valid, "a");
        first.run_started -= 600;
        let mine = entry("mfa", Outcome::Refreshed, "b");
        let mut other = entry("mfa", Outcome::Quiet, "c");
        other.pid = 7;
        let last = entry("admin", Outcome::Refreshed, "d");
        let log = [first, mine.clone(), other, last.clone()]
            .iter()
            .map(Entry::line)
            .collect::<String>()
            + "not an entry\n";
        let run = last_run(&log);
        assert_eq!(run, [mine, last]);
        assert_eq!(summary(&run), "[mfa] refreshed, [admin] refreshed");
        assert!(last_run("").is_empty());
    }
}
