//! mfa-profile: refresh an MFA-protected AWS session into a named profile of the shared
//! credentials file, in place, atomically, byte-exact.

pub mod ini;
pub mod profile;
