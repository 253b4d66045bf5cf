//! Integration tests of the mfa-profile binary and library against real consumers.

mod conformance;
mod daily;
mod differential;
mod editor_props;
mod guards;
mod harness;
mod readers;
mod refresh_moto;
mod reliability;
mod skip_status;
mod sts_errors;
mod three_readers;
