//! AWS meaning on top of the editor: profile names and the keys mfa-profile reads and
//! writes, which section of each shared file is which profile (as botocore and the SDKs find
//! it), the managed target, the source profile, and where the files are.
//!
//! Invariant: wherever botocore and the SDKs would read a section or a key differently, these
//! functions refuse with the line (a [`Refusal`]) instead of guessing; an edit touches only the
//! target section's managed keys (and appends the section when it is missing).

mod access_keys;
mod config_file;
mod credentials_file;
mod files;
mod find;
pub mod locations;
mod managed;
mod name;
mod new_target;
pub mod process_keys;
mod readers;
pub mod source;
mod target;

pub use access_keys::{
    check_lines_of, clear_record, key_sections, read_record, replace_key, source_key_section,
    write_pending, write_replaced, write_started, RotationRecord, MFA_NEW_ACCESS_KEY_ID,
    MFA_NEW_SECRET_ACCESS_KEY, MFA_OLD_ACCESS_KEY_ID, MFA_ROTATION_STARTED,
};
pub use config_file::add_region;
pub use credentials_file::{write_session, RecordedRole, SessionEntries};
pub use files::{edit_locked, read_document, ReadError, SharedDocuments};
pub use find::{find_section, sections_for_profiles, FileKind};
pub use locations::{writable_dir_warning, FileLocations, NoHome};
pub use managed::{
    default_target, first_refresh_hint, long_term_profiles, managed_targets, meaning_of,
    stored_session, ManagedTarget, NoSession, ProfileMeaning, NO_SOURCE_YET,
};
pub use name::{NameError, ProfileName};
pub use new_target::{create_hint, implicit_source};
pub use readers::{unreadable, Reader, Unreadable};
pub use source::{ProfileSet, SharedFiles, SourceError, SourceKeys, SourceProfile};
pub use target::{
    defaults_give_a_security_token, inspect_target, js_header_fix, locate_target, TargetSummary,
};

use std::fmt;

/// `aws_access_key_id`
pub const ACCESS_KEY_ID: &str = "aws_access_key_id";
/// `aws_secret_access_key`
pub const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
/// `aws_session_token`
pub const SESSION_TOKEN: &str = "aws_session_token";
/// The boto2-era name of the session token, which botocore prefers when both are present.
pub const SECURITY_TOKEN: &str = "aws_security_token";
/// When the session expires, RFC 3339 UTC.
pub const EXPIRATION: &str = "expiration";
/// The source profile a managed target was refreshed from; marks the target as ours.
pub const MFA_SOURCE_PROFILE: &str = "mfa_source_profile";
/// The role a managed target's session is of (AssumeRole), repeated by later refreshes.
pub const MFA_ROLE_ARN: &str = "mfa_role_arn";
/// The external ID the role asks for, recorded with the role.
pub const MFA_EXTERNAL_ID: &str = "mfa_external_id";
/// The role session name given with the role, recorded with it.
pub const MFA_ROLE_SESSION_NAME: &str = "mfa_role_session_name";

/// The MFA device given with `--serial-number`, recorded so later refreshes use it too.
pub const MFA_SERIAL_NUMBER: &str = "mfa_serial_number";
/// The session length asked for (seconds), recorded so later refreshes ask the same.
pub const MFA_DURATION: &str = "mfa_duration";
/// The managed target whose MFA session a derived target's role is assumed with.
pub const MFA_VIA: &str = "mfa_via";

/// Keys whose lines a refresh rewrites in the target section.
pub const MANAGED_KEYS: [&str; 12] = [
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    SECURITY_TOKEN,
    EXPIRATION,
    MFA_SOURCE_PROFILE,
    MFA_ROLE_ARN,
    MFA_EXTERNAL_ID,
    MFA_ROLE_SESSION_NAME,
    MFA_SERIAL_NUMBER,
    MFA_DURATION,
    MFA_VIA,
];

/// Why a file cannot be edited safely, with the 1-based line it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 1-based input line.
    pub line: usize,
    /// One sentence: what is there and why it blocks the edit.
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}
