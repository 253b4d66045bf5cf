//! Notices: what the core tells the user while it works, for `app` to show.
//!
//! Invariant: a notice is one sentence with no secret in it; how it looks (prefix, colour) is
//! decided where it is shown.

/// One thing to tell the user on standard error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Progress or a change made on the user's behalf.
    Info(String),
    /// Something the user should fix, though the command goes on.
    Warning(String),
}
