//! The wait for an MFA device's next 30 s code window, counted down where a person watches.
//!
//! Invariant: the wait ends at the given moment by the clock given, never earlier; on a
//! terminal the line is redrawn once a second and cleared at the end (Ctrl-C clears it too);
//! elsewhere one line is written, no escape sequence.

use super::interrupt::{self, Mode};
use std::io::Write;
use std::time::Duration;

/// Where the countdown goes.
pub enum Watcher<'a> {
    /// A terminal: redraw the line each second.
    Terminal(&'a mut dyn Write),
    /// Not a terminal: say it once.
    Log(&'a mut dyn Write),
}

/// Sleeps until `at` (epoch seconds by `clock`), telling `watcher` why: `why` is the reason
/// (`MFA device X sent a code at 10:40:12 UTC, in this 30 s window`).
pub fn wait_until(at: i64, clock: fn() -> i64, why: &str, watcher: Watcher) {
    let why = super::printable(why);
    match watcher {
        Watcher::Log(out) => {
            let left = (at - clock()).max(0);
            let _ = writeln!(
                out,
                "mfa-profile: {why}; STS takes a code once: waiting {left}s for the next code"
            );
            sleep_until(at, clock);
        }
        Watcher::Terminal(out) => {
            interrupt::set(Mode::ClearLineThenExit);
            let mut shown = None;
            loop {
                let left = at - clock();
                if left <= 0 {
                    break;
                }
                if shown != Some(left) {
                    let _ = write!(
                        out,
                        "\r\x1b[K{why}; STS takes a code once: the next code in {left}s (Ctrl-C to stop)"
                    );
                    let _ = out.flush();
                    shown = Some(left);
                }
                std::thread::sleep(
                    Duration::from_millis(250).min(Duration::from_secs(left as u64)),
                );
            }
            let _ = write!(out, "\r\x1b[K");
            let _ = out.flush();
            interrupt::set(Mode::Exit);
        }
    }
}

fn sleep_until(at: i64, clock: fn() -> i64) {
    loop {
        let left = at - clock();
        if left <= 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
