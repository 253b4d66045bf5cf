//! A spinner on standard error while STS is asked, when a person is watching.
//!
//! Invariant: no frame is drawn off a terminal, and the line is cleared when the spinner stops.

use crate::aws::sts::{SessionRequest, Signer, Sts, StsError};
use crate::input::keys::SessionCredentials;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A spinner on standard error while it lives, when standard error is a terminal.
pub struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts spinning with `label`, or does nothing off a terminal.
    pub fn start(label: &str) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let watched = std::io::stderr().is_terminal() && super::colour::escapes_work();
        let thread = watched.then(|| {
            super::interrupt::set(super::interrupt::Mode::ClearLineThenExit);
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
                    let _ = write!(std::io::stderr(), "\r{frame} {label}");
                    shown = true;
                    std::thread::park_timeout(Duration::from_millis(100));
                }
                if shown {
                    let _ = write!(std::io::stderr(), "\r\x1b[K");
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
            super::interrupt::set(super::interrupt::Mode::Exit);
        }
    }
}

/// An [`Sts`] that shows a spinner during the call.
pub struct SpinningSts<'a>(pub &'a dyn Sts);

impl Sts for SpinningSts<'_> {
    fn get_session(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let _spinner = Spinner::start("waiting for STS");
        self.0.get_session(signer, request)
    }
}
