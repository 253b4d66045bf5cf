//! What a background run (`refresh --all --background`) decides: which targets it refreshes,
//! whether a device may be asked for a code again, and what the desktop is told when nobody
//! can be asked.
//!
//! Invariant: pure. A target is refreshed when it would be by `refresh --min-remaining AHEAD`
//! (the same margin rule, [`ManagedTarget::refresh_margin`]), sessions before the targets
//! derived from them; a device whose dialog was declined (or whose need was notified) in a
//! run is not asked again by a run that starts before the next one is due, so runs never pile
//! dialogs up.

use crate::input::Span;
use crate::profile::ManagedTarget;

/// The targets a run refreshes (sessions first, then derived targets, each in file order),
/// and those it leaves, with the seconds they have left.
pub fn due(
    targets: &[ManagedTarget],
    now: i64,
    ahead: Span,
) -> (Vec<ManagedTarget>, Vec<(ManagedTarget, i64)>) {
    let mut refresh = Vec::new();
    let mut valid = Vec::new();
    for target in targets {
        let margin = target.refresh_margin(i64::from(ahead.secs()));
        match target.expires_at {
            Some(at) if at - now > margin => valid.push((target.clone(), at - now)),
            _ => refresh.push(target.clone()),
        }
    }
    refresh.sort_by_key(|t| t.via.is_some());
    (refresh, valid)
}

/// How a device's last prompt of a background run ended without a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declined {
    /// The dialog was cancelled (or three malformed codes were typed).
    Cancelled,
    /// The dialog was not answered in time and was closed.
    Unanswered,
    /// No dialog could be shown: the desktop was notified.
    Notified,
}

impl Declined {
    fn word(self) -> &'static str {
        match self {
            Declined::Cancelled => "cancelled",
            Declined::Unanswered => "unanswered",
            Declined::Notified => "notified",
        }
    }
}

/// The record of a device's declined prompt, kept in the state directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclinedPrompt {
    /// The device.
    pub serial: String,
    /// The start of the run that asked, epoch seconds.
    pub run_started: i64,
    /// How it ended.
    pub how: Declined,
}

impl DeclinedPrompt {
    /// The record as JSON.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "serial": self.serial,
            "run_started": self.run_started,
            "how": self.how.word(),
        })
        .to_string()
    }

    /// Reads a record of `serial`; `None` when it is not one (a record that cannot be read is
    /// no record: the worst case is one dialog more).
    pub fn from_json(bytes: &[u8], serial: &str) -> Option<DeclinedPrompt> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        if value["serial"] != serial {
            return None;
        }
        let how = match value["how"].as_str()? {
            "cancelled" => Declined::Cancelled,
            "unanswered" => Declined::Unanswered,
            "notified" => Declined::Notified,
            _ => return None,
        };
        Some(DeclinedPrompt {
            serial: serial.to_owned(),
            run_started: value["run_started"].as_i64()?,
            how,
        })
    }

    /// When runs may ask the device again: from three quarters of `--every` after the run
    /// that asked started, so the next scheduled run asks (a timer fires a little early or
    /// late) and no run in between does.
    pub fn asked_again_from(&self, every: Span) -> i64 {
        self.run_started + i64::from(every.secs()) * 3 / 4
    }

    /// Whether a run that started at `run_started` may ask again; `Err(from)` when not yet.
    pub fn may_ask(&self, run_started: i64, every: Span) -> Result<(), i64> {
        let from = self.asked_again_from(every);
        if run_started >= from || run_started < self.run_started {
            Ok(())
        } else {
            Err(from)
        }
    }

    /// What the log says of it.
    pub fn said(&self) -> &'static str {
        match self.how {
            Declined::Cancelled => "its dialog was cancelled",
            Declined::Unanswered => "its dialog was not answered",
            Declined::Notified => "the desktop was notified",
        }
    }
}

/// The command a notification tells to run: the refresh of `target` as a hint names it
/// (`rerun`), refreshing while less than `ahead` is left (so it works as printed while the
/// session is still valid), and the files when they are not the ones found by default.
pub fn hint(rerun: &str, ahead: Span, files: &[(&str, Option<&str>)]) -> String {
    let mut command = rerun.to_owned();
    if ahead != crate::input::DEFAULT_MIN_REMAINING {
        command.push_str(&format!(" --min-remaining {}", super::span(ahead)));
    }
    for (flag, path) in files {
        if let Some(path) = path {
            command.push_str(&format!(" {flag} {}", sh_word(path)));
        }
    }
    command
}

/// `text` as one word for a POSIX shell: bare when safe, else in single quotes.
pub fn sh_word(text: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || "_./:,+@=%-".contains(c);
    if !text.is_empty() && text.chars().all(bare) {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A desktop notification's title and body: the target, when it expires, the device, and the
/// command to run.
pub fn notification(target: &str, serial: &str, expires: &str, command: &str) -> (String, String) {
    (
        format!("mfa-profile: [{target}] needs an MFA code"),
        format!("[{target}] {expires}. Its refresh needs a code for {serial}: run `{command}` in a terminal."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str, expires_at: Option<i64>, via: Option<&str>) -> ManagedTarget {
        ManagedTarget {
            name: name.into(),
            source: "default".into(),
            via: via.map(str::to_owned),
            expires_at,
            ..ManagedTarget::default()
        }
    }

    #[test]
    fn a_run_refreshes_what_expires_within_ahead_sessions_first() {
        let now = 1_000_000;
        let targets = [
            target("admin", Some(now + 20 * 60), Some("mfa")),
            target("mfa", Some(now + 25 * 60), None),
            target("work-mfa", Some(now + 8 * 3600), None),
            target("never", None, None),
        ];
        let (refresh, valid) = due(&targets, now, Span::from_secs(30 * 60));
        let names: Vec<&str> = refresh.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["mfa", "never", "admin"]);
        assert_eq!(valid.len(), 1);
        assert_eq!(valid[0].0.name, "work-mfa");
        assert_eq!(valid[0].1, 8 * 3600);
        let (refresh, _) = due(&targets, now, Span::from_secs(10 * 60));
        assert_eq!(refresh.len(), 1, "only the one without an expiry");
    }

    #[test]
    fn a_short_session_is_not_refreshed_at_every_run() {
        let now = 1_000_000;
        let mut short = target("ops", Some(now + 20 * 60), None);
        short.duration = Some(3600);
        let (refresh, _) = due(&[short], now, Span::from_secs(30 * 60));
        assert!(refresh.is_empty(), "a quarter of its hour is its margin");
    }

    #[test]
    fn a_declined_device_is_asked_again_by_the_next_run_only() {
        let declined = DeclinedPrompt {
            serial: "arn:aws:iam::123456789012:mfa/alice".into(),
            run_started: 10_000,
            how: Declined::Cancelled,
        };
        let every = Span::from_secs(600);
        assert_eq!(declined.may_ask(10_000, every), Err(10_450), "the same run");
        assert_eq!(
            declined.may_ask(10_100, every),
            Err(10_450),
            "a run between"
        );
        assert_eq!(
            declined.may_ask(10_599, every),
            Ok(()),
            "the next run, early"
        );
        assert_eq!(declined.may_ask(9_000, every), Ok(()), "a clock set back");
        let json = declined.to_json();
        assert_eq!(
            DeclinedPrompt::from_json(json.as_bytes(), &declined.serial),
            Some(declined)
        );
        assert_eq!(DeclinedPrompt::from_json(json.as_bytes(), "GAHT1"), None);
    }

    #[test]
    fn the_notification_names_target_expiry_device_and_command() {
        let command = hint(
            "mfa-profile -t mfa",
            Span::from_secs(1800),
            &[
                ("--credentials-file", Some("/h/my files/creds")),
                ("--config-file", None),
            ],
        );
        assert_eq!(
            command,
            "mfa-profile -t mfa --min-remaining 30m --credentials-file '/h/my files/creds'"
        );
        let (title, body) = notification(
            "mfa",
            "arn:aws:iam::1:mfa/a",
            "expires at 14:05 (in 25m)",
            &command,
        );
        assert_eq!(title, "mfa-profile: [mfa] needs an MFA code");
        assert!(body.starts_with("[mfa] expires at 14:05 (in 25m). Its refresh needs a code for arn:aws:iam::1:mfa/a: run `mfa-profile -t mfa --min-remaining 30m"));
        assert_eq!(sh_word("it's"), "'it'\\''s'");
    }
}
