//! mfa-profile: refresh an MFA-protected AWS session into a named profile of the shared
//! credentials file, in place, atomically, byte-exact.
//!
//! Layers, bottom up (each uses only those below it):
//!
//! - [`ini`]: the format-preserving editor, with no AWS names and no I/O;
//! - [`input`], [`time`], [`keys`], [`notice`]: typed inputs, timestamps, access keys whose
//!   secrets never show, and the notices the core gives;
//! - [`fsio`]: the only code that touches the shared files (lock, bounded read, atomic
//!   replace);
//! - [`profile`]: AWS meaning on top of the editor (names, header rules, the target, the
//!   source, where the files are);
//! - [`sdk`]: what the AWS SDK's STS and IAM clients share in a process (the runtime, the HTTP
//!   clients, the configuration of each call, the rule for sending a call again);
//! - [`sts`]: the one place that talks to STS, behind a trait; [`iam`]: the one place that
//!   talks to IAM (and GetCallerIdentity), behind a trait;
//! - [`refresh`]: plan, code, STS, commit; [`handout`], [`status`] and [`export`]: what the
//!   other commands decide and print; [`serve`]: the container credentials endpoint's rules;
//!   [`console`]: the console sign-in URL of a role session;
//! - the long-term keys: [`rotate`], [`discover`] (the MFA device found in IAM), [`setup`],
//!   [`key_status`], [`process_keys`] (a `credential_process`'s keys), [`key_error`];
//! - [`schedule`]: the background job (a systemd timer, a crontab line, a LaunchAgent, a Task
//!   Scheduler task) as text, and what its runs decide and log;
//! - [`error`]: the error of a command and its exit code;
//! - [`fuzzing`]: the properties the fuzz targets check, replayed by the tests;
//! - [`cli`] and [`app`]: the command line and the process around the core (environment,
//!   clock, terminal, standard streams).

pub mod app;
pub mod cli;
pub mod console;
pub mod device;
pub mod discover;
pub mod doctor;
pub mod error;
pub mod exit;
pub mod export;
pub mod fsio;
pub mod fuzzing;
pub mod handout;
pub mod iam;
pub mod ini;
pub mod input;
pub mod key_error;
pub mod key_status;
pub mod keys;
pub mod notice;
pub mod plain;
pub mod process_keys;
pub mod profile;
pub mod prune;
pub mod refresh;
pub mod rotate;
pub mod schedule;
pub mod sdk;
pub mod serve;
pub mod setup;
pub mod status;
pub mod sts;
pub mod suggest;
pub mod time;
