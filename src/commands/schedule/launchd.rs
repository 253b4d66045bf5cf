//! The job as a LaunchAgent's property list (macOS), and what `launchctl print` says of it.
//!
//! Invariant: the command is given to launchd as `ProgramArguments`, one string per argument
//! (no shell reads it), every value XML-escaped, so launchd runs [`Job::argv`] exactly.

use super::Job;

/// The agent's label, and its file's name without `.plist`.
pub const LABEL: &str = "io.github.mfa-profile.refresh";

/// The property list: the job's arguments and variables, started every `--every` and once
/// when loaded.
pub fn plist(job: &Job) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n",
        "<plist version=\"1.0\">\n<dict>\n"
    ));
    out.push_str(&format!(
        "\t<key>Label</key>\n\t<string>{}</string>\n",
        escape(LABEL)
    ));
    out.push_str("\t<key>ProgramArguments</key>\n\t<array>\n");
    for arg in job.argv() {
        out.push_str(&format!("\t\t<string>{}</string>\n", escape(&arg)));
    }
    out.push_str("\t</array>\n");
    if !job.env.is_empty() {
        out.push_str("\t<key>EnvironmentVariables</key>\n\t<dict>\n");
        for (name, value) in &job.env {
            out.push_str(&format!(
                "\t\t<key>{}</key>\n\t\t<string>{}</string>\n",
                escape(name),
                escape(value)
            ));
        }
        out.push_str("\t</dict>\n");
    }
    out.push_str(&format!(
        "\t<key>StartInterval</key>\n\t<integer>{}</integer>\n\t<key>RunAtLoad</key>\n\t<true/>\n</dict>\n</plist>\n",
        job.every.secs()
    ));
    out
}

/// `text` as XML character data or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// What `launchctl print gui/UID/LABEL` says of the agent that people want to know: its
/// state, how many times it ran, its last exit code (the `key = value` lines at the first
/// level of indentation).
pub fn print_summary(print: &str) -> Vec<(String, String)> {
    const WANTED: [&str; 4] = ["state", "runs", "last exit code", "run interval"];
    print
        .lines()
        .filter(|line| line.starts_with('\t') && !line.starts_with("\t\t"))
        .filter_map(|line| line.trim().split_once(" = "))
        .filter(|(key, _)| WANTED.contains(key))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::schedule::sample_job;

    #[test]
    fn the_plist_lists_each_argument_escaped() {
        let mut job = sample_job();
        job.credentials = "/Users/a&b/<it's>/credentials".into();
        let plist = plist(&job);
        assert!(
            plist.contains("\t\t<string>/Users/a&amp;b/&lt;it&apos;s&gt;/credentials</string>\n")
        );
        assert!(plist.contains("\t<key>StartInterval</key>\n\t<integer>600</integer>\n"));
        assert!(plist
            .contains("\t\t<key>PATH</key>\n\t\t<string>/usr/local/bin:/usr/bin:/bin</string>\n"));
        assert!(plist.ends_with("</dict>\n</plist>\n"));
    }

    #[test]
    fn launchctl_print_is_summed_up() {
        let print = "gui/501/io.github.mfa-profile.refresh = {\n\tactive count = 0\n\tpath = /Users/a/Library/LaunchAgents/io.github.mfa-profile.refresh.plist\n\tstate = not running\n\n\tprogram = /usr/local/bin/mfa-profile\n\targuments = {\n\t\tstate = nested\n\t}\n\truns = 3\n\tlast exit code = 0\n\trun interval = 600 seconds\n}\n";
        assert_eq!(
            print_summary(print),
            [
                ("state".to_owned(), "not running".to_owned()),
                ("runs".to_owned(), "3".to_owned()),
                ("last exit code".to_owned(), "0".to_owned()),
                ("run interval".to_owned(), "600 seconds".to_owned()),
            ]
        );
    }
}
