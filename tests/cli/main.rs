//! Integration tests of the mfa-profile binary and library against real consumers.

mod code_command;
mod conformance;
mod daily;
mod editor_props;
mod export_safety;
mod fuzz_corpus;
mod guards;
mod hardening;
mod harness;
mod private_network;
mod refresh_moto;
mod reliability;
mod skip_status;
mod sts_answers;
mod sts_errors;
