//! A virtual X display (Xvfb) for the desktop dialog tests, with `xdotool` to answer the dialog
//! like a person.

use super::harness::require;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A virtual X display (Xvfb) for the dialog tests, stopped on drop.
pub struct Display {
    server: Child,
    pub name: String,
}

impl Display {
    pub fn start() -> Option<Display> {
        if !require("Xvfb") || !require("zenity") || !require("xdotool") {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let number_file = dir.path().join("display");
        let server = Command::new("sh")
            .args([
                "-c",
                &format!(
                    "exec Xvfb -displayfd 3 -nolisten tcp 3>'{}'",
                    number_file.display()
                ),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Stopped by its drop, whatever happens next.
        let mut display = Display {
            server,
            name: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let number = std::fs::read_to_string(&number_file).unwrap_or_default();
            if number.ends_with('\n') {
                display.name = format!(":{}", number.trim());
                return Some(display);
            }
            assert!(Instant::now() < deadline, "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `text` and Return into the window titled mfa-profile once it appears (or presses
    /// Escape when `text` is empty).
    pub fn answer(&self, text: &str) -> Child {
        let keys = if text.is_empty() {
            "xdotool key --window $w Escape".to_owned()
        } else {
            format!("xdotool type --window $w '{text}' && xdotool key --window $w Return")
        };
        Command::new("sh")
            .env("DISPLAY", &self.name)
            .args([
                "-c",
                &format!("w=$(xdotool search --sync --name '^mfa-profile$' | head -1) && xdotool windowfocus --sync $w && {keys}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
