//! How things are said to people: moments and spans of time, "did you mean", and the
//! operating system's messages in plain words.
//!
//! Invariant: pure functions of their arguments (the clock is read by `app` alone).

pub mod plain;
pub mod suggest;
pub mod time;
