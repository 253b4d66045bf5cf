//! The job as a line of the user's crontab, and the crontab with it added or taken out.
//!
//! Invariant: the crontab is edited as the credentials file is: mfa-profile's lines are one
//! marked block ([`BEGIN`], the job's line, [`END`]) at the top; every other byte of the
//! crontab is kept as it was, so adding the block then taking it out gives back the exact
//! original, and adding it twice adds it once. The line is read twice before the job runs,
//! by cron (a `%` ends the command unless written `\%`) and then by `/bin/sh` (quoting), and
//! [`word`] writes each value so that both give it back unchanged. The only backslash in the
//! line is the one of `\%`, the escape every cron documents (crontab(5)); what crons do with
//! other backslashes differs (Debian's turns `\\` into `\`), so a value holding a backslash is
//! refused.

use super::{Job, ScheduleError};
use crate::input::Span;

/// The first line of mfa-profile's block.
pub const BEGIN: &str =
    "# mfa-profile schedule: begin (`mfa-profile schedule remove` removes these lines)";
/// The last line of mfa-profile's block.
pub const END: &str = "# mfa-profile schedule: end";

/// The cron minute and hour fields of a job run every `every`: a step that divides the hour
/// (`*/10`) or the day (`0 */2`); anything else cron cannot run at an even pace.
pub fn fields(every: Span) -> Result<(String, String), ScheduleError> {
    let minutes = every.secs() / 60;
    let fields = if minutes == 0 {
        None
    } else if minutes < 60 && 60_u32.is_multiple_of(minutes) {
        let minute = if minutes == 1 {
            "*".to_owned()
        } else {
            format!("*/{minutes}")
        };
        Some((minute, "*".to_owned()))
    } else if minutes.is_multiple_of(60) && 24_u32.is_multiple_of(minutes / 60) {
        let hours = minutes / 60;
        let hour = match hours {
            1 => "*".to_owned(),
            24 => "0".to_owned(),
            h => format!("*/{h}"),
        };
        Some(("0".to_owned(), hour))
    } else {
        None
    };
    fields.ok_or_else(|| ScheduleError::Every {
        given: super::span(every),
        why: "cron runs a job at an even pace only when it divides an hour (1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m) or a day (1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h)".into(),
    })
}

/// The job's crontab line (without its newline).
pub fn line(job: &Job) -> Result<String, ScheduleError> {
    let (minute, hour) = fields(job.every)?;
    let mut line = format!("{minute} {hour} * * *");
    for (name, value) in &job.env {
        line.push_str(&format!(" {name}={}", word(value)?));
    }
    for arg in job.argv() {
        line.push(' ');
        line.push_str(&word(&arg)?);
    }
    Ok(line)
}

/// mfa-profile's block: the markers around the job's line.
pub fn block(job: &Job) -> Result<String, ScheduleError> {
    Ok(format!("{BEGIN}\n{}\n{END}\n", line(job)?))
}

/// `text` as one word of a crontab command: bare when it holds only characters neither cron
/// nor the shell treat specially, else in single quotes, a `'` written `'"'"'` (closed, in
/// double quotes, opened again) and `%` written `\%` (cron turns it back into `%` before the
/// shell reads the line). A backslash is refused (see the module's invariant).
pub fn word(text: &str) -> Result<String, ScheduleError> {
    if text.contains('\\') {
        return Err(ScheduleError::Unwritable {
            what: "a path or value of the job",
            value: text.escape_debug().to_string(),
            why: "holds a backslash, which crons read differently",
            fix: "move it, give --credentials-file and --config-file paths without one, or use --using systemd",
        });
    }
    let bare = |c: char| c.is_ascii_alphanumeric() || "_./:,+@=-".contains(c);
    if !text.is_empty() && text.chars().all(bare) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("'\"'\"'"),
            '%' => out.push_str("\\%"),
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// The byte ranges of mfa-profile's blocks in `crontab`, each from its [`BEGIN`] line to the
/// end of its [`END`] line.
fn blocks(crontab: &[u8]) -> Result<Vec<std::ops::Range<usize>>, ScheduleError> {
    let mut found = Vec::new();
    let mut begin = None;
    let mut at = 0;
    for line in crontab.split_inclusive(|b| *b == b'\n') {
        let text = String::from_utf8_lossy(line);
        let text = text.trim();
        match begin {
            None if text.starts_with("# mfa-profile schedule: begin") => begin = Some(at),
            Some(start) if text == END => {
                found.push(start..at + line.len());
                begin = None;
            }
            _ => {}
        }
        at += line.len();
    }
    match begin {
        Some(_) => Err(ScheduleError::BrokenCrontab {
            begin: BEGIN,
            end: END,
        }),
        None => Ok(found),
    }
}

/// `crontab` without mfa-profile's block; `None` when it holds none.
pub fn without_job(crontab: &[u8]) -> Result<Option<Vec<u8>>, ScheduleError> {
    let blocks = blocks(crontab)?;
    if blocks.is_empty() {
        return Ok(None);
    }
    let mut kept = Vec::with_capacity(crontab.len());
    let mut from = 0;
    for block in blocks {
        kept.extend_from_slice(&crontab[from..block.start]);
        from = block.end;
    }
    kept.extend_from_slice(&crontab[from..]);
    Ok(Some(kept))
}

/// `crontab` with mfa-profile's `block` (see [`block`]) at the top, replacing the one it held.
pub fn with_block(crontab: &[u8], block: &str) -> Result<Vec<u8>, ScheduleError> {
    let others = without_job(crontab)?.unwrap_or_else(|| crontab.to_vec());
    let mut out = block.as_bytes().to_vec();
    out.extend_from_slice(&others);
    Ok(out)
}

/// The job's line as `crontab` holds it, if it holds the block.
pub fn installed_line(crontab: &[u8]) -> Option<String> {
    let block = blocks(crontab).ok()?.into_iter().next()?;
    let text = String::from_utf8_lossy(&crontab[block]).into_owned();
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
}

/// When cron next runs a job run every `every`, after `now` (cron reads its fields in the
/// local time of `now`'s zone).
pub fn next_run(every: Span, now: &jiff::Zoned) -> Option<jiff::Zoned> {
    let minutes = i64::from(every.secs() / 60);
    if minutes == 0 {
        return None;
    }
    let mut at = now.with().second(0).subsec_nanosecond(0).build().ok()?;
    for _ in 0..=(24 * 60) {
        at = at.checked_add(jiff::Span::new().minutes(1)).ok()?;
        let due = if minutes < 60 {
            i64::from(at.minute()) % minutes == 0
        } else {
            at.minute() == 0 && i64::from(at.hour()) % (minutes / 60) == 0
        };
        if due {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::schedule::sample_job;

    #[test]
    fn the_line_runs_every_ten_minutes_with_the_path_it_was_installed_with() {
        assert_eq!(
            line(&sample_job()).unwrap(),
            "*/10 * * * * PATH=/usr/local/bin:/usr/bin:/bin /usr/local/bin/mfa-profile refresh --all --background --every 10m --min-remaining 30m --credentials-file /home/alice/.aws/credentials --config-file /home/alice/.aws/config"
        );
    }

    #[test]
    fn the_fields_divide_an_hour_or_a_day() {
        let f = |m: u32| fields(Span::from_secs(m * 60)).ok();
        assert_eq!(f(1), Some(("*".into(), "*".into())));
        assert_eq!(f(10), Some(("*/10".into(), "*".into())));
        assert_eq!(f(60), Some(("0".into(), "*".into())));
        assert_eq!(f(120), Some(("0".into(), "*/2".into())));
        assert_eq!(f(24 * 60), Some(("0".into(), "0".into())));
        assert_eq!(f(7), None);
        assert_eq!(f(90), None);
        assert_eq!(f(5 * 60), None);
    }

    #[test]
    fn words_are_quoted_for_cron_then_the_shell() {
        let word = |text: &str| word(text).unwrap();
        assert_eq!(word("/usr/bin/mfa-profile"), "/usr/bin/mfa-profile");
        assert_eq!(word("a b"), "'a b'");
        assert_eq!(word("it's"), "'it'\"'\"'s'");
        assert_eq!(word("100%"), "'100\\%'");
        assert_eq!(word(""), "''");
        assert_eq!(word("$HOME `x`"), "'$HOME `x`'");
        assert!(super::word("a\\b").is_err());
    }

    /// Debian's cron reading a command, as tried on Debian 12's cron (tests/cli/schedule.rs
    /// runs it): `\%` is `%`, `\\` is `\`, a backslash before anything else stays, and a `%`
    /// not after a backslash ends the command.
    fn as_cron_reads(line: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('%') => out.push('%'),
                    Some('\\') => out.push('\\'),
                    Some(next) => {
                        out.push('\\');
                        out.push(next);
                    }
                    None => out.push('\\'),
                },
                '%' => return None,
                c => out.push(c),
            }
        }
        Some(out)
    }

    /// POSIX sh's reading of a word of single- and double-quoted parts (no expansion in
    /// ours: `$` and backslashes only appear inside single quotes).
    fn as_sh_reads(word: &str) -> String {
        let mut out = String::new();
        let mut quote = None;
        for c in word.chars() {
            match (quote, c) {
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (_, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn cron_and_the_shell_read_every_word_back() {
        for text in [
            "plain",
            "a b",
            "it's",
            "100%",
            "%%",
            "'%'",
            "\"'\"",
            "",
            "$(rm -rf ~)",
        ] {
            let word = word(text).unwrap();
            let cron = as_cron_reads(&word).unwrap_or_else(|| panic!("{text:?}: cut"));
            assert_eq!(as_sh_reads(&cron), text, "{word:?}");
        }
    }

    #[test]
    fn adding_then_removing_gives_back_the_exact_crontab() {
        let job = sample_job();
        for original in [
            &b""[..],
            b"# my jobs\nMAILTO=\"\"\n\n0 5 * * *   echo hi   # spaced\n",
            b"0 5 * * * a\r\n\t# tab\n",
            b"0 5 * * * no final newline",
        ] {
            let with = with_block(original, &block(&job).unwrap()).unwrap();
            assert!(with.starts_with(BEGIN.as_bytes()));
            assert!(with.ends_with(original));
            assert_eq!(
                with_block(&with, &block(&job).unwrap()).unwrap(),
                with,
                "twice is once"
            );
            assert_eq!(without_job(&with).unwrap().as_deref(), Some(original));
            assert_eq!(without_job(original).unwrap(), None);
        }
    }

    #[test]
    fn a_block_moved_or_changed_by_hand_is_replaced_in_one_piece() {
        let job = sample_job();
        let moved =
            format!("0 5 * * * a\n{BEGIN}\n# edited\n*/5 * * * * old\n{END}\n1 5 * * * b\n");
        let with = with_block(moved.as_bytes(), &block(&job).unwrap()).unwrap();
        let text = String::from_utf8(with).unwrap();
        assert_eq!(text.matches(BEGIN).count(), 1);
        assert!(text.ends_with("0 5 * * * a\n1 5 * * * b\n"), "{text}");
        assert_eq!(
            installed_line(text.as_bytes()).unwrap(),
            line(&job).unwrap()
        );
        let broken = format!("{BEGIN}\n* * * * * x\n");
        assert!(matches!(
            without_job(broken.as_bytes()),
            Err(ScheduleError::BrokenCrontab {
                begin: BEGIN,
                end: END
            })
        ));
    }

    #[test]
    fn the_next_run_is_the_next_step_of_the_clock() {
        let at = |text: &str| -> jiff::Zoned { format!("{text}[UTC]").parse().unwrap() };
        let next = |every: u32, now: &str| {
            next_run(Span::from_secs(every * 60), &at(now))
                .unwrap()
                .datetime()
                .to_string()
        };
        assert_eq!(next(10, "2025-06-01T10:03:20"), "2025-06-01T10:10:00");
        assert_eq!(next(10, "2025-06-01T10:10:00"), "2025-06-01T10:20:00");
        assert_eq!(next(1, "2025-06-01T10:03:20"), "2025-06-01T10:04:00");
        assert_eq!(next(120, "2025-06-01T23:30:00"), "2025-06-02T00:00:00");
        assert_eq!(next(60, "2025-06-01T10:00:01"), "2025-06-01T11:00:00");
    }
}
