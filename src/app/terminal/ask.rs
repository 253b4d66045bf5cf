//! Questions for `setup` and `rotate`: a line, a secret typed or pasted without echo, a choice
//! among numbered options, a yes or no; asked on standard error and read from standard input
//! (a terminal, or a pipe for scripts).
//!
//! Invariant: a secret is never echoed: on a terminal, echo is off while it is typed and the
//! terminal's settings come back whatever ends the input (Enter, Ctrl-C, Ctrl-D, an error);
//! nothing typed is repeated in a message.

use super::printable;
use crate::error::key_error::KeyError;
use crate::error::Error;
#[cfg(unix)]
use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex};
use std::io::{self, BufRead, IsTerminal, Read, Write};
#[cfg(unix)]
use zeroize::Zeroize;
use zeroize::Zeroizing;

/// Where answers come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answers {
    /// Standard input is a terminal: ask, hide secrets, re-ask on a bad answer.
    Terminal,
    /// Standard input is a pipe: one line per question, as given.
    Piped,
}

impl Answers {
    /// What this process's standard input is.
    pub fn detect() -> Answers {
        if io::stdin().is_terminal() {
            Answers::Terminal
        } else {
            Answers::Piped
        }
    }

    /// Asks `question` and reads one line, trimmed; `None` at the end of input.
    pub fn line(self, question: &str) -> Result<Option<String>, Error> {
        say_question(question);
        let mut line = String::new();
        let read = io::stdin()
            .lock()
            .take(64 * 1024)
            .read_line(&mut line)
            .map_err(|e| cancelled(&format!("cannot read the answer: {e}")))?;
        if self == Answers::Piped {
            eprintln!();
        }
        Ok((read > 0).then(|| line.trim().to_owned()))
    }

    /// Asks `question` and reads a secret: on a terminal without echo (pasting works), from a
    /// pipe as a line. `None` at the end of input.
    pub fn secret(self, question: &str) -> Result<Option<Zeroizing<String>>, Error> {
        match self {
            Answers::Piped => Ok(self.line(question)?.map(Zeroizing::new)),
            Answers::Terminal => {
                say_question(question);
                let typed = read_hidden()?;
                eprintln!();
                Ok(typed)
            }
        }
    }

    /// Asks to choose among `options`; the index chosen. A pipe answers with the number.
    pub fn choose(self, question: &str, options: &[String]) -> Result<usize, Error> {
        eprintln!("{}", printable(question));
        for (n, option) in options.iter().enumerate() {
            eprintln!("  {}) {}", n + 1, printable(option));
        }
        for _ in 0..5 {
            let Some(answer) = self.line(&format!("number [1-{}]", options.len()))? else {
                break;
            };
            match answer.parse::<usize>() {
                Ok(n) if (1..=options.len()).contains(&n) => return Ok(n - 1),
                _ => eprintln!("not a number from 1 to {}; try again", options.len()),
            }
        }
        Err(cancelled("no choice was made"))
    }

    /// Asks a yes-or-no `question`; only `y` or `yes` is yes.
    pub fn confirm(self, question: &str) -> Result<bool, Error> {
        let answer = self.line(&format!("{question} [y/N]"))?.unwrap_or_default();
        Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"))
    }
}

fn say_question(question: &str) {
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "{}: ", printable(question));
    let _ = stderr.flush();
}

fn cancelled(why: &str) -> Error {
    KeyError::Setup(format!("{why}; nothing was written")).into()
}

/// The terminal's settings, put back on drop.
#[cfg(unix)]
struct EchoOff {
    saved: termios::Termios,
}

#[cfg(unix)]
impl EchoOff {
    /// Echo, line editing and signals off on standard input, one byte at a time.
    fn start() -> Result<EchoOff, Error> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(&stdin)
            .map_err(|e| cancelled(&format!("cannot turn the terminal's echo off: {e}")))?;
        let mut quiet = saved.clone();
        quiet.local_modes -= LocalModes::ECHO | LocalModes::ICANON | LocalModes::ISIG;
        quiet.special_codes[SpecialCodeIndex::VMIN] = 1;
        quiet.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios::tcsetattr(&stdin, OptionalActions::Flush, &quiet)
            .map_err(|e| cancelled(&format!("cannot turn the terminal's echo off: {e}")))?;
        Ok(EchoOff { saved })
    }
}

#[cfg(unix)]
impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(io::stdin(), OptionalActions::Now, &self.saved);
    }
}

/// Reads a line from the console with echo off (the console's own line editing).
#[cfg(windows)]
fn read_hidden() -> Result<Option<Zeroizing<String>>, Error> {
    let typed = Zeroizing::new(
        rpassword::read_password()
            .map_err(|e| cancelled(&format!("cannot read the answer: {e}")))?,
    );
    let trimmed = typed.trim();
    Ok((!trimmed.is_empty()).then(|| Zeroizing::new(trimmed.to_owned())))
}

/// Reads a line with echo off, handling Enter, backspace, Ctrl-U, Ctrl-C and Ctrl-D itself.
#[cfg(unix)]
fn read_hidden() -> Result<Option<Zeroizing<String>>, Error> {
    let _echo_off = EchoOff::start()?;
    let mut typed = Zeroizing::new(Vec::new());
    let mut stdin = io::stdin().lock();
    let mut byte = [0u8; 1];
    loop {
        match stdin.read(&mut byte) {
            Ok(0) if typed.is_empty() => return Ok(None),
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cancelled(&format!("cannot read the answer: {e}"))),
        }
        match byte[0] {
            b'\r' | b'\n' => break,
            0x03 => return Err(cancelled("cancelled (Ctrl-C)")),
            0x04 if typed.is_empty() => return Ok(None),
            0x04 => break,
            0x7f | 0x08 => {
                // One character back: continuation bytes of UTF-8, then its first byte.
                while typed.pop().is_some_and(|b| b & 0xC0 == 0x80) {}
            }
            0x15 => typed.zeroize(),
            b if b < 0x20 => {}
            b => typed.push(b),
        }
    }
    byte.zeroize();
    match std::str::from_utf8(&typed) {
        Ok(text) => Ok(Some(Zeroizing::new(text.trim().to_owned()))),
        Err(_) => Err(cancelled("the answer is not UTF-8 text")),
    }
}
