//! What the feature tests stand on, none of it a test of the tool: the harness (a throw-away
//! HOME, the binary run with a scrubbed environment, assertions that show both streams), the
//! test suite's AWS (`standin/`, enforcing AWS's documented rules), moto for the tests whose
//! real consumer (the aws CLI, boto3, an SDK) calls AWS with what the tool wrote, the readers
//! (botocore, the Rust SDK's parser, the JavaScript SDK's) run for real, a pseudo-terminal
//! driver, HTTP by hand, and the commands a message names.

/// Skips the test unless every tool named is on PATH (see [`harness::require`]): under
/// `CI=true` a missing one fails the test, elsewhere `SKIPPED <test>: <tool> missing` shows on
/// the terminal and the test returns.
macro_rules! require {
    ($($tool:expr),+ $(,)?) => {
        if ![$($tool),+].into_iter().all($crate::support::harness::require) {
            return;
        }
    };
}

pub mod display;
pub mod files;
pub mod harness;
pub mod hints;
pub mod key_readers;
pub mod keychain;
pub mod moto;
pub mod moto_iam;
pub mod namespace;
pub mod proxy;
pub mod pty;
pub mod raw_http;
pub mod readers;
pub mod rotation;
pub mod sessions;
pub mod standin;

pub use files::*;
pub use harness::*;
pub use hints::{hint, hinted, run_hint, NO_ARGS};
pub use moto::*;
pub use sessions::*;
pub use standin::{Call, Codes, Fault, StandIn, ADMIN_ROLE, OPS_ROLE, USER, USER_ARN};
