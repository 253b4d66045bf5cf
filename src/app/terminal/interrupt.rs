//! Ctrl-C: what it does depends on what mfa-profile is doing. While a spinner is drawn, its
//! line is cleared first; while a command `exec` started runs (Windows), the command alone
//! gets it; otherwise mfa-profile ends with 130, as a shell reports an interrupt.
//!
//! Invariant: one handler for the process, installed on first use; the mode is a plain atomic
//! the rest of the program sets.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Once;

/// What Ctrl-C should do now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    /// End with 130.
    Exit = 0,
    /// Clear the line drawn (a spinner, a countdown), then end with 130.
    ClearLineThenExit = 1,
    /// Nothing: a command mfa-profile waits for gets it.
    Ignore = 2,
}

static MODE: AtomicU8 = AtomicU8::new(Mode::Exit as u8);
static INSTALL: Once = Once::new();

/// Sets what Ctrl-C does from now on (installing the handler the first time). Once it is
/// [`Mode::Ignore`] it stays so: a command mfa-profile runs (`exec` on Windows, `exec
/// --server`) decides how to stop, whatever a refresh meanwhile draws.
pub fn set(mode: Mode) {
    INSTALL.call_once(|| {
        // Without a handler Ctrl-C ends the process as before; nothing to fall back to.
        let _ = ctrlc::set_handler(on_interrupt);
    });
    let _ = MODE.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |current| {
        (current != Mode::Ignore as u8).then_some(mode as u8)
    });
}

fn on_interrupt() {
    match MODE.load(Ordering::SeqCst) {
        m if m == Mode::Ignore as u8 => {}
        m => {
            if m == Mode::ClearLineThenExit as u8 {
                clear_line();
            }
            std::process::exit(130);
        }
    }
}

/// Clears the line drawn on the terminal: standard error when it is one, else the controlling
/// terminal (a countdown drawn there while standard error goes to a program); never an escape
/// sequence into a pipe or a file.
fn clear_line() {
    let clear = |out: &mut dyn Write| {
        let _ = write!(out, "\r\x1b[K");
        let _ = out.flush();
    };
    let mut stderr = std::io::stderr();
    if stderr.is_terminal() {
        clear(&mut stderr);
    } else if let Some((_, mut tty)) = super::prompt::open_terminal() {
        clear(&mut tty);
    }
}
