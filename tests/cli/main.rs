//! Integration tests of the mfa-profile binary and library against real consumers, one file per
//! command or area (`refresh.rs` for the default command, `exec.rs`, `rotate.rs`, `network.rs`,
//! ...), on what `support/` provides: the harness, the test suite's AWS (the stand-in), moto for
//! the real consumers, the readers, a pseudo-terminal. CONTRIBUTING.md's "The tests" is the map.

#[macro_use]
mod support;

mod background;
mod codes;
mod completions;
mod conformance;
mod console;
mod credential_process;
mod derived;
mod differential;
mod discover;
mod doctor;
mod documents;
mod editor;
mod exec;
mod exit_codes;
mod export;
#[cfg(feature = "fuzzing")]
mod fuzz_corpus;
mod guards;
mod hints;
mod key_status;
mod keychain;
mod network;
mod process_source;
mod prune;
mod readers;
mod refresh;
mod refresh_all;
mod reliability;
mod role_targets;
mod rotate;
mod rotate_crash;
mod schedule;
mod security;
mod serve;
mod setup;
mod status;
mod sts_answers;
mod trust;
