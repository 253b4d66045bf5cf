//! Integration tests of the mfa-profile binary and library against real consumers.

mod code_command;
mod conformance;
mod daily;
mod differential;
mod doctor;
mod editor_props;
mod export_safety;
mod first_hour;
mod fuzz_corpus;
mod guards;
mod hardening;
mod harness;
mod https_sts;
mod local_time;
mod lock_file;
mod portable;
mod private_network;
mod readers;
mod refresh_moto;
mod reliability;
mod skip_status;
mod sts_answers;
mod sts_errors;
mod three_readers;
