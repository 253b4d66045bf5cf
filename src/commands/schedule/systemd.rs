//! The job as a systemd user timer and the service it starts, and what `systemctl --user
//! list-timers` says of it.
//!
//! Invariant: every value goes into the units quoted by systemd's own rules (systemd.service,
//! "Command lines"; systemd.exec, `Environment=`; systemd.unit, "Specifiers"): in double
//! quotes, `\` and `"` escaped with a backslash, `%` written `%%` (a specifier otherwise), and
//! in the arguments of `ExecStart=` also `$` written `$$` (a variable otherwise; the program's
//! own path is not expanded), so the command systemd runs is [`Job::argv`] exactly. A program
//! path holding a quote or a backslash, which systemd refuses ("Executable name contains
//! special characters", tried with systemd 252), is refused here first.

use super::{span, Job, ScheduleError};

/// The service's file name.
pub const SERVICE: &str = "mfa-profile-refresh.service";
/// The timer's file name.
pub const TIMER: &str = "mfa-profile-refresh.timer";

/// The service unit: one run of the job.
pub fn service(job: &Job) -> Result<String, ScheduleError> {
    if job.exe.contains(['\'', '"', '\\']) {
        return Err(ScheduleError::Unwritable {
            what: "the mfa-profile binary",
            value: job.exe.escape_debug().to_string(),
            why: "holds a quote or a backslash, which systemd refuses in a program's path",
            fix: "install mfa-profile in a directory without one, or use --using cron",
        });
    }
    let mut unit = format!(
        "[Unit]\nDescription={}\n\n[Service]\nType=oneshot\n",
        specifiers(&job.summary())
    );
    if !job.env.is_empty() {
        let assignments: Vec<String> = job
            .env
            .iter()
            .map(|(name, value)| quoted(&format!("{name}={value}"), false))
            .collect();
        unit.push_str(&format!("Environment={}\n", assignments.join(" ")));
    }
    let mut argv = vec![quoted(&job.exe, false)];
    argv.extend(job.args().iter().map(|arg| quoted(arg, true)));
    unit.push_str(&format!("ExecStart={}\n", argv.join(" ")));
    Ok(unit)
}

/// The timer unit: the service at start-up (a minute after the user's systemd starts, or at
/// once when the timer is started later), then every `--every` after each run.
pub fn timer(job: &Job) -> String {
    format!(
        "[Unit]\nDescription=mfa-profile: refresh what expires within {}, every {}\n\n[Timer]\nOnStartupSec=1min\nOnUnitActiveSec={}\nAccuracySec=30s\nUnit={SERVICE}\n\n[Install]\nWantedBy=timers.target\n",
        span(job.ahead),
        span(job.every),
        span(job.every)
    )
}

/// `text` as one quoted word of a unit file's command line or assignment list.
fn quoted(text: &str, command_line: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '%' => out.push_str("%%"),
            '$' if command_line => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` with its `%` written `%%`, for a setting that expands specifiers.
fn specifiers(text: &str) -> String {
    text.replace('%', "%%")
}

/// The NEXT and LEFT columns of the timer's row in `systemctl list-timers` output (the header
/// gives where each column starts): `("Mon 2025-06-02 10:10:00 CEST", "4min 1s left")`.
pub fn next_elapse(list_timers: &str) -> Option<(String, String)> {
    let mut lines = list_timers.lines();
    let header = lines.next()?;
    let column = |name: &str| header.find(name);
    let (next, left, last) = (column("NEXT")?, column("LEFT")?, column("LAST")?);
    let row = lines.find(|line| line.contains(TIMER))?;
    let cell = |from: usize, to: usize| row.get(from..to.min(row.len())).map(str::trim);
    let (next, left) = (cell(next, left)?, cell(left, last)?);
    if next.is_empty() || next == "n/a" || next == "-" {
        return None;
    }
    Some((next.to_owned(), left.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::schedule::sample_job;

    #[test]
    fn the_units_run_the_job_every_ten_minutes() {
        let job = sample_job();
        assert_eq!(
            service(&job).unwrap(),
            "[Unit]\nDescription=mfa-profile: refresh the sessions of /home/alice/.aws/credentials that expire within 30m, every 10m\n\n[Service]\nType=oneshot\nEnvironment=\"PATH=/usr/local/bin:/usr/bin:/bin\"\nExecStart=\"/usr/local/bin/mfa-profile\" \"refresh\" \"--all\" \"--background\" \"--every\" \"10m\" \"--min-remaining\" \"30m\" \"--credentials-file\" \"/home/alice/.aws/credentials\" \"--config-file\" \"/home/alice/.aws/config\"\n"
        );
        let timer = timer(&job);
        assert!(timer.contains("\nOnUnitActiveSec=10m\n"), "{timer}");
        assert!(timer.contains("\nUnit=mfa-profile-refresh.service\n"));
        assert!(timer.contains("\nWantedBy=timers.target\n"));
    }

    #[test]
    fn values_are_quoted_by_systemds_rules() {
        assert_eq!(quoted("a b", true), "\"a b\"");
        assert_eq!(
            quoted("it's \"100%\" $HOME \\", true),
            "\"it's \\\"100%%\\\" $$HOME \\\\\""
        );
        assert_eq!(quoted("A=$x%", false), "\"A=$x%%\"");
        let mut job = sample_job();
        job.credentials = "/h/100% it's".into();
        job.exe = "/opt/100% $x/mfa-profile".into();
        let unit = service(&job).unwrap();
        assert!(
            unit.contains("Description=mfa-profile: refresh the sessions of /h/100%% it's that")
        );
        assert!(
            unit.contains("ExecStart=\"/opt/100%% $x/mfa-profile\" \"refresh\""),
            "{unit}"
        );
        job.exe = "/opt/it's/mfa-profile".into();
        assert!(service(&job).is_err());
    }

    #[test]
    fn the_next_run_is_read_from_list_timers() {
        let output = "NEXT                        LEFT          LAST                        PASSED       UNIT                      ACTIVATES\nMon 2025-06-02 10:10:00 CEST 4min 1s left Mon 2025-06-02 10:00:00 CEST 5min 59s ago mfa-profile-refresh.timer mfa-profile-refresh.service\n\n1 timers listed.\n";
        assert_eq!(
            next_elapse(output),
            Some((
                "Mon 2025-06-02 10:10:00 CEST".to_owned(),
                "4min 1s left".to_owned()
            ))
        );
        let idle = "NEXT LEFT LAST PASSED UNIT                      ACTIVATES\nn/a  n/a  n/a  n/a    mfa-profile-refresh.timer mfa-profile-refresh.service\n";
        assert_eq!(next_elapse(idle), None);
        assert_eq!(next_elapse("0 timers listed.\n"), None);
    }
}
