//! The terminal: messages on standard error, colour, a spinner, and the MFA code prompt.
//!
//! Invariant: nothing here writes an escape sequence or a spinner frame to a stream that is
//! not a terminal; text from outside (profile names, paths, values, STS messages, a code
//! command's output) reaches a terminal only through [`printable`], so it cannot clear the
//! screen, set the title or write the clipboard; a message that cannot be written (stderr
//! closed) is dropped, never a panic.

pub mod ask;
pub mod colour;
pub mod countdown;
pub mod interrupt;
pub mod prompt;
pub mod spinner;
pub mod table;

use colour::{paint, Colour, Stream};
use std::borrow::Cow;
use std::io::Write;

/// `text` with every control character (C0, DEL, C1: escape sequences, line breaks, bells)
/// and every bidirectional-formatting character shown as a Rust escape (`\u{1b}`, `\n`), the
/// rest as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// How many columns wide the terminal `stream` writes to is; 80 when it cannot be told (not
/// a terminal, a size of 0, Windows).
#[cfg(unix)]
pub fn columns(stream: &impl std::os::fd::AsFd) -> usize {
    rustix::termios::tcgetwinsize(stream)
        .ok()
        .map(|size| usize::from(size.ws_col))
        .filter(|&columns| columns > 0)
        .unwrap_or(80)
}

/// How many columns wide the console is: 80 (the countdown's line is shorter than that).
#[cfg(not(unix))]
pub fn columns<T>(_stream: &T) -> usize {
    80
}

/// The controlling terminal, when messages go there instead of standard error.
static MESSAGES_TO_TERMINAL: std::sync::OnceLock<std::sync::Mutex<std::fs::File>> =
    std::sync::OnceLock::new();

/// Sends the messages for the person (notices, a code command's standard error, a wait) to the
/// controlling terminal, when there is one, instead of standard error: for a command whose
/// standard error a program reads and shows only when it fails (botocore pipes a
/// `credential_process`'s), so "Touch your YubiKey" reaches the person in time. The error that
/// ends the command still goes to standard error, where that program reports it.
pub fn send_messages_to_terminal() {
    if let Some((_, tty)) = prompt::open_terminal() {
        let _ = MESSAGES_TO_TERMINAL.set(std::sync::Mutex::new(tty));
    }
}

/// Writes `bytes` where messages go (standard error, or the terminal), ignoring failure.
pub fn write_message(bytes: &[u8]) {
    if let Some(tty) = MESSAGES_TO_TERMINAL.get() {
        let mut tty = tty.lock().unwrap_or_else(|e| e.into_inner());
        let _ = tty.write_all(bytes);
        let _ = tty.flush();
        return;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(bytes);
    let _ = stderr.flush();
}

/// Writes one line where messages go, made [`printable`], ignoring failure: there is nowhere
/// else to say it.
pub fn say(line: &str) {
    write_message(format!("{}\n", printable(line)).as_bytes());
}

/// Writes `{prefix}{label} {text}` where messages go, the label coloured on a terminal, the
/// rest made [`printable`].
pub fn say_labelled(prefix: &str, label: &str, colour: Colour, text: &str) {
    write_message(
        format!(
            "{}{} {}\n",
            printable(prefix),
            paint(label, colour, Stream::Stderr),
            printable(text)
        )
        .as_bytes(),
    );
}

/// Writes the error that ends the command to standard error (always: a program that runs
/// mfa-profile reports it from there).
pub fn say_error(prefix: &str, text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "{}{} {}",
        printable(prefix),
        paint("error:", Colour::Red, Stream::Stderr),
        printable(text)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert!(matches!(printable("[mfa] ~/.aws é"), Cow::Borrowed(_)));
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            printable("t\x1b]52;c;aGk=\x07x"),
            "t\\u{1b}]52;c;aGk=\\u{7}x"
        );
        assert_eq!(printable("two\nlines\r"), "two\\nlines\\r");
        assert_eq!(printable("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert_eq!(printable("rtl\u{202e}txt"), "rtl\\u{202e}txt");
        assert_eq!(printable("iso\u{2066}x"), "iso\\u{2066}x");
    }
}
