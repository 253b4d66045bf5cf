//! Integration tests of the mfa-profile binary and library against real consumers.

mod conformance;
mod daily;
mod editor_props;
mod guards;
mod harness;
mod lock_file;
mod portable;
mod refresh_moto;
mod reliability;
mod skip_status;
mod sts_errors;
