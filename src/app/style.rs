//! Terminal niceties: colour and a spinner, only where a person is watching.
//!
//! Invariant: nothing here writes an escape sequence or a spinner frame to a stream that is
//! not a terminal, and colour never appears when `NO_COLOR` is set (non-empty) or
//! `TERM=dumb`.

use crate::secret::{LongTermKeys, SessionCredentials};
use crate::sts::{SessionRequest, Sts, StsError};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A colour for a word.
#[derive(Clone, Copy)]
pub enum Colour {
    Red,
    Yellow,
    Green,
}

/// Which standard stream the text goes to.
#[derive(Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

fn wants_colour(stream: Stream) -> bool {
    let terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    terminal && !no_color && !dumb
}

/// `text` in `colour` when `stream` is a terminal that may have colour, else `text`.
pub fn paint(text: &str, colour: Colour, stream: Stream) -> String {
    if !wants_colour(stream) {
        return text.to_owned();
    }
    let code = match colour {
        Colour::Red => 31,
        Colour::Yellow => 33,
        Colour::Green => 32,
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// A spinner on standard error while it lives, when standard error is a terminal.
pub struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts spinning with `label`, or does nothing off a terminal.
    pub fn start(label: &str) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = Arc::clone(&stop);
            let label = label.to_owned();
            std::thread::spawn(move || {
                // Only a wait longer than a blink gets a spinner; drop unparks at once.
                std::thread::park_timeout(Duration::from_millis(150));
                let frames = ['|', '/', '-', '\\'];
                let mut shown = false;
                for frame in frames.iter().cycle() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    eprint!("\r{frame} {label}");
                    shown = true;
                    std::thread::park_timeout(Duration::from_millis(100));
                }
                if shown {
                    eprint!("\r\x1b[K");
                    let _ = std::io::stderr().flush();
                }
            })
        });
        Spinner { stop, thread }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// An [`Sts`] that shows a spinner during the call.
pub struct SpinningSts<'a>(pub &'a dyn Sts);

impl Sts for SpinningSts<'_> {
    fn get_session(
        &self,
        keys: &LongTermKeys,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let _spinner = Spinner::start("waiting for STS");
        self.0.get_session(keys, request)
    }
}
