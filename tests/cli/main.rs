//! Integration tests of the mfa-profile binary and library against real consumers.

mod code_command;
mod conformance;
mod daily;
mod differential;
mod editor_props;
mod export_safety;
mod fake_aws;
mod fuzz_corpus;
mod guards;
mod hardening;
mod harness;
mod key_readers;
mod moto_iam;
mod private_network;
mod readers;
mod refresh_moto;
mod reliability;
mod rotate;
mod rotate_crash;
mod skip_status;
mod sts_answers;
mod sts_errors;
mod three_readers;
