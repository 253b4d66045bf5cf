//! What each command decides, apart from the process around it: pure functions of the parsed
//! files, the settings and the answers of the traits they are given (`app/X` reads the
//! environment, the terminal and the files, runs `commands/X`, and prints what it decides).
//!
//! Invariant: nothing here reads the environment, the clock, a terminal or a file on its own.

pub mod doctor;
pub mod export;
pub mod handout;
pub mod key_status;
pub mod prune;
pub mod rotate;
pub mod schedule;
pub mod serve;
pub mod setup;
pub mod status;
