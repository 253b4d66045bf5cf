//! The wait for an MFA device's next 30 s code window, counted down where a person watches.
//!
//! Invariant: the wait ends at the given moment by the clock given, never earlier; on a
//! terminal the reason is said once and a line shorter than the terminal's width is redrawn
//! once a second and cleared at the end (Ctrl-C clears it too); elsewhere one line is
//! written, no escape sequence.

use super::interrupt::{self, Mode};
use std::io::Write;
use std::time::Duration;

/// Where the countdown goes.
pub enum Watcher<'a> {
    /// A terminal `columns` wide: the reason said once, then a short line redrawn each second.
    Terminal(&'a mut dyn Write, usize),
    /// Not a terminal: say it once.
    Log(&'a mut dyn Write),
}

/// The line redrawn each second: short, and cut to the terminal's width, since a `\r` redraw
/// clears only the last row of a line that wrapped.
fn countdown_line(left: i64, columns: usize) -> String {
    let line = format!("next code in {left}s (Ctrl-C to stop)");
    line.chars()
        .take(columns.saturating_sub(1).max(1))
        .collect()
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
        Watcher::Terminal(out, columns) => {
            let _ = writeln!(
                out,
                "{why}; STS takes a code once: waiting for the next code"
            );
            interrupt::set(Mode::ClearLineThenExit);
            let mut shown = None;
            loop {
                let left = at - clock();
                if left <= 0 {
                    break;
                }
                if shown != Some(left) {
                    let _ = write!(out, "\r\x1b[K{}", countdown_line(left, columns));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redrawn_line_fits_the_terminal() {
        assert_eq!(countdown_line(29, 80), "next code in 29s (Ctrl-C to stop)");
        assert_eq!(countdown_line(29, 20), "next code in 29s (C");
        assert_eq!(countdown_line(5, 0), "n");
    }
}
