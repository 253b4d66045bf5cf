//! mfa-profile: refresh an MFA-protected AWS session into a named profile of the shared
//! credentials file, in place, atomically, byte-exact.
//!
//! One folder a layer, bottom up; each uses only those below it:
//!
//! - `ini/`: the format-preserving editor, with no AWS names and no I/O;
//! - `text/`: how times, paths, "did you mean", notices and the system's errors are said to
//!   people;
//! - `input/`: typed inputs, parsed at the edge, and access keys whose secrets never show;
//! - `fsio/`: the only code that touches files (the shared files: lock, bounded read, atomic
//!   replace; an MFA device's lock and last code);
//! - `aws/`: everything that crosses the network: the SDK clients' runtime and HTTP client,
//!   the certificates trusted, STS and IAM behind traits, the console's federation endpoint;
//! - `profile/`: AWS meaning on top of the editor (names, header rules, the target, the
//!   source, where the files are, what a `credential_process` prints);
//! - `error/`: the error of a command and its exit code;
//! - `refresh/`: plan, code, STS, commit: the core every command that needs a session uses
//!   (with the MFA device found in IAM when a source names none);
//! - `commands/`: what each other command decides (status, doctor, export and the handout,
//!   prune, setup, rotate, `status --keys`, the schedule, the credentials endpoint);
//! - `cli/` and `app/`: the command line, and the process around the core (environment,
//!   clock, terminal, standard streams); `app/X` runs `commands/X`.
//!
//! The public surface is what the binary, the benchmarks, the conformance tests and the fuzz
//! targets use: the editor and the profile rules, the binary's entry points, a few types.

mod app;
mod aws;
mod cli;
mod commands;
mod error;
mod fsio;
pub mod ini;
mod input;
pub mod profile;
mod refresh;
mod text;

/// The properties the fuzz targets check (`cargo +nightly fuzz`, and the corpus replayed by
/// the tests).
#[cfg(feature = "fuzzing")]
pub mod fuzzing;

pub use app::{protect_process, report_error, report_usage, run};
pub use aws::http::crypto_provider;
pub use cli::Cli;
pub use error::Error;
pub use input::keys::{Secret, SessionCredentials};
pub use text::time::{parse_rfc3339, rfc3339};
