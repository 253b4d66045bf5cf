//! A path as people read it in a message: under the home directory, `~/...` (`~\...` on
//! Windows).
//!
//! Invariant: every path in a message goes through [`Shown`], the one place the home directory
//! becomes `~`; the home directory is set once, by `app` at start.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The home directory messages abbreviate to `~`, set once by `app` at start.
static DISPLAY_HOME: OnceLock<PathBuf> = OnceLock::new();

/// Sets the home directory that [`Shown`] abbreviates to `~` (the first call wins).
pub fn show_home_as_tilde(home: &Path) {
    let _ = DISPLAY_HOME.set(home.to_path_buf());
}

/// A path as people read it in a message: under the home directory, as `~/...`.
pub struct Shown<'a>(pub &'a Path);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(self.0, DISPLAY_HOME.get().map(PathBuf::as_path)))
    }
}

/// A path for humans: the home directory shown as `~`, with one kind of separator (`\` on
/// Windows, where `/` also separates and paths given with it would otherwise show both).
pub fn display(path: &Path, home: Option<&Path>) -> String {
    let shown = match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => format!("~{}{}", std::path::MAIN_SEPARATOR, rest.display()),
        None => path.display().to_string(),
    };
    if cfg!(windows) {
        shown.replace('/', "\\")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn display_uses_tilde() {
        assert_eq!(
            display(Path::new("/h/.aws/credentials"), Some(Path::new("/h"))),
            "~/.aws/credentials"
        );
        assert_eq!(display(Path::new("/x/c"), Some(Path::new("/h"))), "/x/c");
    }

    #[cfg(windows)]
    #[test]
    fn display_uses_tilde_and_backslashes() {
        let home = Some(Path::new(r"C:\Users\alice"));
        assert_eq!(
            display(Path::new(r"C:\Users\alice\.aws\credentials"), home),
            r"~\.aws\credentials"
        );
        assert_eq!(
            display(Path::new("C:/Users/alice/.aws/credentials"), home),
            r"~\.aws\credentials",
            "a path given with slashes"
        );
        assert_eq!(display(Path::new("D:/keys/c"), home), r"D:\keys\c");
    }
}
