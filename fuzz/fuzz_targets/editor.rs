//! The format-preserving editor on any bytes: see `mfa_profile::fuzzing::editor`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mfa_profile::fuzzing::editor(data));
