//! The terminal: messages on standard error, colour, a spinner, and the MFA code prompt.
//!
//! Invariant: nothing here writes an escape sequence or a spinner frame to a stream that is
//! not a terminal; a message that cannot be written (stderr closed) is dropped, never a panic.

pub mod colour;
pub mod prompt;
pub mod spinner;

use std::io::Write;

/// Writes one line to standard error, ignoring failure: there is nowhere else to say it.
pub fn say(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}
