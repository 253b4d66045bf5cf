//! The files and the account the key commands' tests start from (`rotate`, `status --keys`,
//! `setup`, the IAM device search): alice's long-term key in three sections of two files, in
//! every spelling the editor keeps, a valid MFA session the stand-in issued, and a stand-in
//! whose key dates, last use and next keys are fixed, so that every file is the same each run.

use super::harness::{AKID, SECRET};
use super::sessions::{fixed_session, FIXED_EXPIRATION};
use super::standin::{StandIn, USER};

/// The key rotated: alice's (the harness's) long-term key.
pub const OLD: &str = AKID;
pub const OLD_SECRET: &str = SECRET;

/// The keys CreateAccessKey gives, in order.
pub const NEW_KEYS: [(&str, &str); 3] = [
    (
        "AKIANEWKEY1EXAMPLE00",
        "newSecret1/EXAMPLE+key0123456789abcdefgh",
    ),
    (
        "AKIANEWKEY2EXAMPLE00",
        "newSecret2/EXAMPLE+key0123456789abcdefgh",
    ),
    (
        "AKIANEWKEY3EXAMPLE00",
        "newSecret3/EXAMPLE+key0123456789abcdefgh",
    ),
];

/// A stand-in where alice's key was created 2025-01-01 and last used 2026-01-02 (s3 in
/// eu-west-1, kept so whatever the tool signs), CreateAccessKey gives [`NEW_KEYS`], every session expires at
/// [`FIXED_EXPIRATION`], and the first session it issued is [`session`]'s. IAM takes only
/// credential scopes of us-east-1, though [`credentials`]' source names eu-west-1.
pub fn start() -> StandIn {
    let aws = StandIn::for_files();
    aws.set_key_created(OLD, "2025-01-01T00:00:00Z");
    aws.set_last_used(OLD, "2026-01-02T03:04:05Z", "s3", "eu-west-1");
    aws.freeze_last_use();
    aws.queue_new_keys(&NEW_KEYS);
    let issued = aws.issue_session(USER, true, 12 * 3600);
    assert_eq!(issued.key_id, fixed_session(1).key_id, "the first session");
    aws
}

/// The valid MFA session of [default] in [mfa] that [`start`] issued: rotate needs no code.
pub fn session() -> String {
    let session = fixed_session(1);
    format!(
        "[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {FIXED_EXPIRATION}\nmfa_source_profile = default\n",
        session.key_id, session.secret, session.token
    )
}

/// The old key in three sections of two files, in every spelling the editor keeps: CRLF,
/// upper-case key, tabs, comments, no final newline.
pub fn credentials() -> String {
    format!(
        "# my keys\r\n[default]\r\nAWS_ACCESS_KEY_ID={OLD}\r\naws_secret_access_key={OLD_SECRET}\r\nregion=eu-west-1\r\n\r\n[backup]\t; a copy\r\naws_access_key_id\t=\t{OLD}\r\naws_secret_access_key = {OLD_SECRET}\r\n; another user below\r\n[other]\r\naws_access_key_id = AKIAOTHERKEYEXAMPLE0\r\naws_secret_access_key = otherSecret\r\n{}",
        session().replace('\n', "\r\n").trim_end()
    )
}

pub fn config() -> String {
    format!(
        "[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n[profile ci]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\noutput = json\n"
    )
}
