//! Colour, only where a person is watching.
//!
//! Invariant: colour appears only on a terminal, and never when `NO_COLOR` is set (non-empty)
//! or `TERM=dumb`.

use std::io::IsTerminal;

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
    terminal && !no_color && !dumb && escapes_work()
}

/// Whether the console understands escape sequences: always on Unix; on Windows once virtual
/// terminal processing could be switched on (Windows 10 and later; older consoles get plain
/// text).
pub fn escapes_work() -> bool {
    #[cfg(windows)]
    {
        static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *ON.get_or_init(|| anstyle_query::windows::enable_ansi_colors().unwrap_or(false))
    }
    #[cfg(not(windows))]
    {
        true
    }
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
