//! A desktop notification, for a background run that needs a code and has no dialog to ask in:
//! `notify-send`, else `gdbus` calling `org.freedesktop.Notifications.Notify` on Linux and the
//! BSDs; `osascript` on macOS; a toast through PowerShell on Windows.
//!
//! Invariant: the program is run directly, never through a shell, the title and body given as
//! arguments (or environment variables), so a profile name cannot become a command; it is
//! given at most [`NOTIFY_TIMEOUT`]. A job started by cron has no session bus address: the
//! user's bus at `$XDG_RUNTIME_DIR/bus` (or `/run/user/UID/bus`) is used when it is there.

use super::code_command::{stop, wait_until};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the notifier may take.
pub const NOTIFY_TIMEOUT: Duration = Duration::from_secs(15);

/// Shows `title` and `body` on the desktop; how, or why not.
pub fn notify(title: &str, body: &str) -> Result<&'static str, String> {
    let var = |name: &str| super::non_empty_var(name);
    if cfg!(windows) {
        return windows_toast(title, body);
    }
    if cfg!(target_os = "macos") {
        let mut command = Command::new("/usr/bin/osascript");
        command.args([
            "-e",
            "on run argv",
            "-e",
            "display notification (item 2 of argv) with title (item 1 of argv)",
            "-e",
            "end run",
            title,
            body,
        ]);
        return run(command).map(|()| "osascript");
    }
    let bus = session_bus(&var);
    let with_bus = |mut command: Command| {
        if let Some(address) = &bus {
            command.env("DBUS_SESSION_BUS_ADDRESS", address);
        }
        command
    };
    let mut failures = Vec::new();
    if let Some(notify_send) = on_path("notify-send") {
        let mut command = Command::new(notify_send);
        command.args(["--app-name=mfa-profile", "--", title, body]);
        match run(with_bus(command)) {
            Ok(()) => return Ok("notify-send"),
            Err(why) => failures.push(format!("notify-send {why}")),
        }
    }
    if let Some(gdbus) = on_path("gdbus") {
        let mut command = Command::new(gdbus);
        command.args([
            "call",
            "--session",
            "--dest",
            "org.freedesktop.Notifications",
            "--object-path",
            "/org/freedesktop/Notifications",
            "--method",
            "org.freedesktop.Notifications.Notify",
            // The expire timeout, -1, is no option.
            "--",
            "'mfa-profile'",
            "0",
            "''",
            &gvariant_string(title),
            &gvariant_string(body),
            "[]",
            "{}",
            "-1",
        ]);
        match run(with_bus(command)) {
            Ok(()) => return Ok("gdbus (org.freedesktop.Notifications)"),
            Err(why) => failures.push(format!("gdbus {why}")),
        }
    }
    if failures.is_empty() {
        return Err("neither notify-send nor gdbus is installed".into());
    }
    Err(failures.join("; "))
}

/// The session bus: `DBUS_SESSION_BUS_ADDRESS`, else the user's bus socket when it exists.
fn session_bus(var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if var("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return None;
    }
    let runtime = var("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .or_else(user_runtime_dir)?;
    let socket = runtime.join("bus");
    socket
        .exists()
        .then(|| format!("unix:path={}", socket.display()))
}

#[cfg(unix)]
fn user_runtime_dir() -> Option<PathBuf> {
    Some(std::path::Path::new("/run/user").join(rustix::process::getuid().as_raw().to_string()))
}

#[cfg(not(unix))]
fn user_runtime_dir() -> Option<PathBuf> {
    None
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = super::var("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `text` as a GVariant string literal (GVariant Text Format): in single quotes, `\` and `'`
/// escaped.
fn gvariant_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A toast through PowerShell's own application id (a program needs a registered id to show
/// one), the texts passed in variables.
fn windows_toast(title: &str, body: &str) -> Result<&'static str, String> {
    const SCRIPT: &str = "\
[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null; \
$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02); \
$texts = $xml.GetElementsByTagName('text'); \
$texts.Item(0).AppendChild($xml.CreateTextNode($env:MFA_PROFILE_TITLE)) > $null; \
$texts.Item(1).AppendChild($xml.CreateTextNode($env:MFA_PROFILE_BODY)) > $null; \
[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe').Show([Windows.UI.Notifications.ToastNotification]::new($xml))";
    let mut command = Command::new("powershell.exe");
    command
        .args(["-NoProfile", "-NonInteractive", "-Command", SCRIPT])
        .env("MFA_PROFILE_TITLE", title)
        .env("MFA_PROFILE_BODY", body);
    run(command).map(|()| "a PowerShell toast")
}

/// Runs `command` to its end, bounded; why it failed.
fn run(mut command: Command) -> Result<(), String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot be run: {}", crate::text::plain::io_error(&e)))?;
    let stderr = super::code_command::read_bounded(child.stderr.take(), 4096);
    let Some(status) = wait_until(&mut child, Instant::now() + NOTIFY_TIMEOUT) else {
        stop(&mut child);
        return Err(format!(
            "did not finish within {} s",
            NOTIFY_TIMEOUT.as_secs()
        ));
    };
    if status.success() {
        return Ok(());
    }
    let said = stderr
        .recv_timeout(Duration::from_secs(1))
        .ok()
        .flatten()
        .map(|bytes| {
            let text = String::from_utf8_lossy(&bytes);
            text.lines().next().unwrap_or("").trim().to_owned()
        })
        .unwrap_or_default();
    Err(match status.code() {
        Some(code) if said.is_empty() => format!("failed (exit status {code})"),
        Some(code) => format!("failed (exit status {code}): {said}"),
        None => "was stopped by a signal".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gvariant_strings_are_quoted() {
        assert_eq!(gvariant_string("a 'b' \\c"), "'a \\'b\\' \\\\c'");
    }
}
