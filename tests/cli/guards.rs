//! The refresh's guards: every one refuses before asking for a code or calling STS, with a
//! clear message, the documented exit code, and the file left byte-identical. STS points at a
//! closed port, so a guard that let a call through would show up as a network error instead.
//! One test a guard; then the paths that are not files, and the usage errors.

use crate::support::*;

/// The usual source with `extra` lines after it.
fn with_source(extra: &str) -> String {
    format!("{}{extra}", default_source())
}

/// Runs mfa-profile with `args` on `credentials` and checks the refusal: exit `code`, one
/// error line holding `message`, no secret printed, no STS call, the file unchanged.
fn guard(credentials: impl Into<Vec<u8>>, args: &[&str], code: i32, message: &str) {
    let credentials = credentials.into();
    let ran = Test::new()
        .credentials(&credentials)
        .env("AWS_ENDPOINT_URL_STS", CLOSED)
        .args(args)
        .status(code)
        .stderr_has(message)
        .run();
    let out = &ran.out;
    out.assert_silent_about(SECRET)
        .assert_stderr_lacks("panicked")
        .assert_stderr_lacks("STS at");
    let error_lines = out
        .stderr
        .trim()
        .lines()
        .filter(|l| l.contains("error"))
        .count();
    assert!(error_lines <= 1, "more than one error line\n{out}");
    ran.env.assert_credentials(&credentials);
}

#[test]
fn source_equals_target() {
    guard(
        default_source(),
        &["-s", "default", "-t", "default", "123456"],
        2,
        "the source and the target are both [default]",
    );
}

#[test]
fn target_holds_long_term_keys() {
    guard(
        with_source(&format!(
            "[mfa]\naws_access_key_id = {AKID}\naws_secret_access_key = x\n"
        )),
        &["123456"],
        2,
        "refusing to overwrite [mfa]",
    );
}

#[test]
fn source_missing() {
    guard(
        "[other]\nk = v\n",
        &["123456"],
        2,
        "source profile [default] is in neither",
    );
}

#[test]
fn source_without_keys() {
    guard(
        "[default]\nregion = eu-west-1\n",
        &["123456"],
        2,
        "has no aws_access_key_id",
    );
}

#[test]
fn source_without_secret() {
    guard(
        format!("[default]\naws_access_key_id = {AKID}\n"),
        &["123456"],
        2,
        "no aws_secret_access_key",
    );
}

#[test]
fn source_is_a_session() {
    guard(
        with_source("aws_session_token = x\n"),
        &["123456"],
        2,
        "holds temporary credentials",
    );
}

#[test]
fn source_is_a_managed_target() {
    guard(
        "[default]\naws_access_key_id = A\naws_secret_access_key = S\nmfa_source_profile = x\n",
        &["123456"],
        2,
        "is itself a session written by mfa-profile",
    );
}

#[test]
fn no_serial() {
    guard(
        format!("[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"),
        &["123456"],
        2,
        "aws configure set mfa_serial",
    );
}

#[test]
fn user_arn_as_serial() {
    guard(
        default_source(),
        &[
            "--serial-number",
            "arn:aws:iam::123456789012:user/alice",
            "123456",
        ],
        2,
        ":user/",
    );
}

#[test]
fn five_digit_code() {
    guard(default_source(), &["12345"], 2, "is not six digits");
}

#[test]
fn seven_digit_code() {
    guard(default_source(), &["1234567"], 2, "is not six digits");
}

#[test]
fn letters_in_code() {
    guard(default_source(), &["12a456"], 2, "is not six digits");
}

#[test]
fn no_code_and_no_terminal() {
    guard(default_source(), &[], 4, "needs an MFA code");
}

#[test]
fn duration_too_short() {
    guard(
        default_source(),
        &["-d", "10m", "123456"],
        2,
        "outside what STS grants",
    );
}

#[test]
fn duration_too_long() {
    guard(
        default_source(),
        &["-d", "37h", "123456"],
        2,
        "outside what STS grants",
    );
}

#[test]
fn duration_malformed() {
    guard(
        default_source(),
        &["-d", "1.5h", "123456"],
        2,
        "is not a number of seconds",
    );
}

#[test]
fn duration_from_profile_out_of_range() {
    guard(
        with_source("duration_seconds = 60\n"),
        &["123456"],
        2,
        "outside what STS grants",
    );
}

#[test]
fn bad_target_name() {
    guard(
        default_source(),
        &["-t", "my profile", "123456"],
        2,
        "has a character outside",
    );
}

#[test]
fn default_target() {
    guard(
        default_source(),
        &["-t", "DEFAULT", "123456"],
        2,
        "special to the AWS CLI",
    );
}

#[test]
fn bad_region() {
    guard(
        default_source(),
        &["--region", "US East", "123456"],
        2,
        "is not a region name",
    );
}

#[test]
fn bad_endpoint() {
    guard(
        default_source(),
        &["--endpoint-url", "ftp://x", "123456"],
        2,
        "is not an http:// or https:// URL",
    );
}

#[test]
fn duplicate_target_section() {
    guard(
        with_source("[mfa]\nk = 1\n[mfa]\nj = 2\n"),
        &["123456"],
        2,
        "[mfa] appears twice",
    );
}

#[test]
fn duplicate_key_in_target() {
    guard(
        with_source("[mfa]\nregion = a\nREGION = b\n"),
        &["123456"],
        2,
        "appears twice in the target section",
    );
}

#[test]
fn spaced_header() {
    guard(
        with_source("[ mfa ]\nk = 1\n"),
        &["123456"],
        2,
        "read as profile `mfa` by the AWS SDKs but not by the AWS CLI",
    );
}

#[test]
fn inline_comment_on_managed_value() {
    guard(
        with_source("[mfa]\naws_session_token = x # old\n"),
        &["123456"],
        2,
        "inline comment",
    );
}

#[test]
fn indented_comment_under_managed_key() {
    guard(
        with_source("[mfa]\naws_session_token = x\n  # old\n"),
        &["123456"],
        2,
        "indented comment",
    );
}

#[test]
fn colon_key_in_target() {
    guard(
        with_source("[mfa]\naws_session_token: x = y\n"),
        &["123456"],
        2,
        "the AWS CLI (and the Go SDK) reads the key here as",
    );
}

#[test]
fn bom() {
    guard(
        [b"\xEF\xBB\xBF".as_slice(), default_source().as_bytes()].concat(),
        &["123456"],
        2,
        "byte-order mark",
    );
}

#[test]
fn invalid_utf_8() {
    guard(
        [default_source().as_bytes(), b"# caf\xE9\n"].concat(),
        &["123456"],
        2,
        "line 5: the file is not valid UTF-8",
    );
}

#[test]
fn nul_byte() {
    guard(with_source("k = \0\n"), &["123456"], 2, "NUL byte");
}

#[test]
fn lone_cr() {
    guard(
        with_source("[x]\rk = v\n"),
        &["123456"],
        2,
        "carriage return",
    );
}

#[test]
fn header_with_junk() {
    guard(
        with_source("[x] junk\n"),
        &["123456"],
        2,
        "line 5: a section header must be",
    );
}

#[test]
fn indented_key_after_header() {
    guard(
        with_source("[x]\n  k = v\n"),
        &["123456"],
        2,
        "indented line with no property",
    );
}

#[test]
fn unknown_flag() {
    guard(default_source(), &["--bogus"], 2, "unexpected argument");
}

#[test]
fn a_credentials_path_that_is_a_directory_is_refused() {
    let env = TestEnv::new();
    let dir = env.home().join("adir");
    std::fs::create_dir(&dir).unwrap();
    Test::in_env(env)
        .env("AWS_SHARED_CREDENTIALS_FILE", &dir)
        .arg("123456")
        .status(1)
        .stderr_has("is a directory, not a file")
        .run();
}

#[test]
fn a_dangling_credentials_symlink_is_refused() {
    let env = TestEnv::new();
    std::os::unix::fs::symlink(env.home().join("gone"), env.credentials()).unwrap();
    Test::in_env(env)
        .arg("123456")
        .status(1)
        .stderr_has("which does not exist")
        .run();
}

#[test]
fn help_documents_exit_codes() {
    let ran = Test::new().arg("--help").run();
    for line in [
        "0  success",
        "2  bad usage or bad input",
        "3  STS rejected the MFA code",
    ] {
        ran.out.assert_stdout_has(line);
    }
}

/// Issue 20: clap's own usage errors lacked the `mfa-profile:` prefix every other error has.
#[test]
fn usage_errors_carry_the_programs_name_like_every_other_error() {
    Test::new()
        .args(["--no-such-flag"])
        .status(2)
        .stderr_has("mfa-profile: error: unexpected argument '--no-such-flag' found")
        .run();
}
#[test]
fn a_duration_just_under_the_minimum_is_shown_to_the_second() {
    Test::new()
        .credentials(default_source())
        .args(["-d", "899", "123456"])
        .status(2)
        .stderr_has("duration 14m59s is outside what STS grants an IAM user")
        .run();
}

#[test]
fn a_missing_source_lists_the_profiles_with_long_term_keys() {
    Test::new()
        .credentials(format!("[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"))
        .args(["-s", "wrok", "123456"])
        .status(2)
        .stderr_has("source profile [wrok] is in neither the credentials nor the config file; the profiles with long-term keys are [work]")
        .run();
}
