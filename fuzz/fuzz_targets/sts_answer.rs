//! STS's answer on any bytes, through the SDK's parser and our checks: see
//! `mfa_profile::fuzzing::sts_answer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mfa_profile::fuzzing::sts_answer(data));
