//! The process exit codes, named once: what each means is documented in `--help` and README.
//!
//! Invariant: constants only, imported by every error type; no code here depends on another
//! module.

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a failure that is not the input's fault (STS, network, disk).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad usage or bad input (arguments, code, names, the files' contents).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: STS rejected the MFA code; ask for a new one and run again.
pub const EXIT_CODE_REJECTED: u8 = 3;
/// Exit code: a new session needs an MFA code and there was no way to ask for one.
pub const EXIT_NEEDS_CODE: u8 = 4;
