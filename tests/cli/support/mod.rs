//! What the feature tests stand on, none of it a test of the tool: the harness (a throw-away
//! HOME, the binary run with a scrubbed environment, assertions that show both streams), the
//! test suite's AWS (`standin/`, enforcing AWS's documented rules), moto for the tests whose
//! real consumer (the aws CLI, boto3, an SDK) calls AWS with what the tool wrote, the readers
//! (botocore, the Rust SDK's parser, the JavaScript SDK's) run for real, a pseudo-terminal
//! driver, HTTP by hand, and the commands a message names.

pub mod harness;
pub mod key_readers;
pub mod moto_iam;
pub mod pty;
pub mod raw_http;
pub mod readers;
pub mod standin;

pub use harness::*;
