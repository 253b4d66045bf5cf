//! The job as a Task Scheduler task (Windows): its XML definition, and what `schtasks /Query`
//! says of it.
//!
//! Invariant: the program and its arguments are given as the task schema's `Command` and
//! `Arguments`; the arguments are joined by the Microsoft C runtime's rules (what
//! `CommandLineToArgvW` and Rust's `std::env::args` read back: the rules of Python's
//! `subprocess.list2cmdline`), then every value is XML-escaped, so the task runs
//! [`Job::argv`] exactly. The file `schtasks /Create /XML` reads is UTF-16 with a byte-order
//! mark, as Task Scheduler writes its own.

use super::launchd::escape;
use super::Job;

/// The task's name (`schtasks /TN`).
pub const TASK_NAME: &str = "mfa-profile-refresh";

/// The task's XML, its trigger starting at `start` (local time, `2025-06-01T10:00:00`) and
/// repeating every `--every`. The task runs only while the user is logged on (a dialog needs
/// the desktop), one run at a time.
pub fn task_xml(job: &Job, start: &str) -> String {
    let args: Vec<String> = job.args();
    format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{description}</Description>
    <URI>\{TASK_NAME}</URI>
  </RegistrationInfo>
  <Triggers>
    <TimeTrigger>
      <Repetition>
        <Interval>{interval}</Interval>
        <StopAtDurationEnd>false</StopAtDurationEnd>
      </Repetition>
      <StartBoundary>{start}</StartBoundary>
      <Enabled>true</Enabled>
    </TimeTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{command}</Command>
      <Arguments>{arguments}</Arguments>
    </Exec>
  </Actions>
</Task>
"#,
        description = escape(&job.summary()),
        interval = interval(job.every.secs()),
        start = escape(start),
        command = escape(&job.exe),
        arguments = escape(&command_line(&args)),
    )
}

/// An XML duration of whole minutes: `PT10M`, `PT1H30M`.
fn interval(secs: u32) -> String {
    let (hours, minutes) = (secs / 3600, secs / 60 % 60);
    let mut out = String::from("PT");
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 || hours == 0 {
        out.push_str(&format!("{minutes}M"));
    }
    out
}

/// Arguments joined into one Windows command line by the Microsoft C runtime's rules: an
/// argument with a space or tab (or an empty one) in double quotes, a `"` escaped with a
/// backslash, backslashes doubled only where a `"` follows them.
pub fn command_line(args: &[String]) -> String {
    let mut out = String::new();
    for arg in args {
        if !out.is_empty() {
            out.push(' ');
        }
        let quote = arg.is_empty() || arg.contains([' ', '\t']);
        if quote {
            out.push('"');
        }
        let mut backslashes = 0;
        for c in arg.chars() {
            match c {
                '\\' => backslashes += 1,
                '"' => {
                    out.push_str(&"\\".repeat(backslashes * 2));
                    backslashes = 0;
                    out.push_str("\\\"");
                }
                c => {
                    out.push_str(&"\\".repeat(backslashes));
                    backslashes = 0;
                    out.push(c);
                }
            }
        }
        out.push_str(&"\\".repeat(backslashes));
        if quote {
            out.push_str(&"\\".repeat(backslashes));
            out.push('"');
        }
    }
    out
}

/// The bytes of the file `schtasks /Create /XML` reads: UTF-16 (little-endian) with a
/// byte-order mark.
pub fn utf16_file(xml: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in xml.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

/// The "Next Run Time" of `schtasks /Query /TN NAME /V /FO LIST` (English Windows), unless it
/// says there is none.
pub fn next_run_time(query: &str) -> Option<String> {
    query
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| key.trim() == "Next Run Time")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty() && value != "N/A")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::schedule::sample_job;

    #[test]
    fn arguments_are_joined_by_the_c_runtimes_rules() {
        let line =
            |args: &[&str]| command_line(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        assert_eq!(line(&["a", "b c", ""]), "a \"b c\" \"\"");
        assert_eq!(
            line(&["C:\\Program Files\\x\\"]),
            "\"C:\\Program Files\\x\\\\\""
        );
        assert_eq!(line(&["say \"hi\""]), "\"say \\\"hi\\\"\"");
        assert_eq!(line(&["a\\\\\"b"]), "a\\\\\\\\\\\"b");
        assert_eq!(line(&["C:\\dir\\file"]), "C:\\dir\\file");
    }

    #[test]
    fn the_task_repeats_every_ten_minutes_and_runs_the_job() {
        let mut job = sample_job();
        job.exe = "C:\\Users\\a & b\\mfa-profile.exe".into();
        let xml = task_xml(&job, "2025-06-01T10:00:00");
        assert!(xml.contains("<Interval>PT10M</Interval>"));
        assert!(xml.contains("<Command>C:\\Users\\a &amp; b\\mfa-profile.exe</Command>"));
        assert!(xml.contains("<Arguments>refresh --all --background --every 10m --min-remaining 30m --credentials-file /home/alice/.aws/credentials --config-file /home/alice/.aws/config</Arguments>"));
        assert_eq!(interval(90 * 60), "PT1H30M");
        assert_eq!(interval(3600), "PT1H");
        let bytes = utf16_file("<a/>");
        assert_eq!(&bytes[..4], &[0xFF, 0xFE, b'<', 0]);
    }

    #[test]
    fn the_next_run_time_is_read_from_schtasks() {
        let query = "\r\nFolder: \\\r\nHostName:                             PC\r\nTaskName:                             \\mfa-profile-refresh\r\nNext Run Time:                        6/2/2025 10:10:00 AM\r\nStatus:                               Ready\r\n";
        assert_eq!(
            next_run_time(query).as_deref(),
            Some("6/2/2025 10:10:00 AM")
        );
        assert_eq!(next_run_time("Next Run Time: N/A\r\n"), None);
    }
}
