//! mfa-profile: refresh an MFA-protected AWS session into a named profile of the shared
//! credentials file, in place, atomically, byte-exact.
//!
//! Layers, bottom up: [`ini`] edits the file format without knowing AWS; [`profile`] gives it
//! AWS meaning; [`fsio`] locks, reads and atomically replaces files; [`source`] and [`sts`]
//! read the source profile and call STS; [`refresh`] ties them into the one operation; [`cli`]
//! and [`app`] are the command line around it.

pub mod app;
pub mod cli;
pub mod code;
pub mod error;
pub mod export;
mod failpoint;
pub mod fsio;
pub mod ini;
pub mod paths;
pub mod profile;
pub mod refresh;
pub mod region;
pub mod secret;
pub mod source;
pub mod status;
pub mod stored;
pub mod sts;
pub mod units;
