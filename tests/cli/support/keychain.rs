//! A Secret Service of the test's own: GNOME Keyring in a D-Bus session started for one run,
//! its keyring unlocked with a password, mfa-profile on the PATH as installed.

use super::harness::{require, run_with_stdin, Run, TestEnv, BIN};

/// Runs mfa-profile with `args` (and `stdin`) inside a D-Bus session whose GNOME Keyring is
/// unlocked, mfa-profile on the PATH as installed; `None` (skip) without the tools outside CI.
pub fn in_keyring_session(env: &TestEnv, args: &[&str], stdin: &str) -> Option<Run> {
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"] {
        if !require(tool) {
            return None;
        }
    }
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // mfa-profile's standard output goes to a file of its own: a keyring daemon that D-Bus
    // starts on demand (when the first one has not yet taken its name) prints its variables
    // on the session's standard output.
    let stdout_file = env.home().join("mfa-profile.stdout");
    let mut cmd = env.command("dbus-run-session");
    cmd.env("PATH", path)
        .env("MFA_PROFILE_STDOUT", &stdout_file)
        .args([
            "--",
            "sh",
            "-c",
            "printf keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 && exec \"$@\" >\"$MFA_PROFILE_STDOUT\"",
            "sh",
            BIN,
        ]);
    cmd.args(args);
    let mut run = run_with_stdin(&mut cmd, stdin.as_bytes());
    run.stdout = std::fs::read_to_string(&stdout_file).unwrap_or_default();
    Some(run)
}
