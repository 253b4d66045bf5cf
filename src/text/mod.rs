//! How things are said to people: moments and spans of time, "did you mean", the operating
//! system's messages in plain words, and the notices the core gives while it works.
//!
//! Invariant: pure functions of their arguments (the clock is read by `app` alone).

pub mod notice;
pub mod plain;
pub mod shown;
pub mod suggest;
pub mod time;
