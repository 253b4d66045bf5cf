//! Integration tests of the mfa-profile binary and library against real consumers.

mod conformance;
mod guards;
mod harness;
mod refresh_moto;
mod sts_errors;
mod editor_props;
