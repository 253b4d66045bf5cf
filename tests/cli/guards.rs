//! Every guard refuses before asking for a code or calling STS, with a clear message, the
//! documented exit code, and the file left byte-identical. STS points at a closed port, so a
//! guard that let a call through would show up as a network error instead.

use crate::harness::*;

struct Case {
    name: &'static str,
    credentials: Vec<u8>,
    config: &'static str,
    args: Vec<&'static str>,
    code: i32,
    message: &'static str,
}

fn case(
    name: &'static str,
    credentials: impl Into<Vec<u8>>,
    args: &[&'static str],
    code: i32,
    message: &'static str,
) -> Case {
    Case {
        name,
        credentials: credentials.into(),
        config: "",
        args: args.to_vec(),
        code,
        message,
    }
}

fn cases() -> Vec<Case> {
    let src = default_source();
    let with = |extra: &str| format!("{src}{extra}");
    vec![
        case(
            "source equals target",
            src.clone(),
            &["-t", "default", "123456"],
            2,
            "the source and the target are both [default]",
        ),
        case(
            "target holds long-term keys",
            with(&format!(
                "[mfa]\naws_access_key_id = {AKID}\naws_secret_access_key = x\n"
            )),
            &["123456"],
            2,
            "refusing to overwrite [mfa]",
        ),
        case(
            "source missing",
            "[other]\nk = v\n",
            &["123456"],
            2,
            "source profile [default] is in neither",
        ),
        case(
            "source without keys",
            "[default]\nregion = eu-west-1\n",
            &["123456"],
            2,
            "has no aws_access_key_id",
        ),
        case(
            "source without secret",
            format!("[default]\naws_access_key_id = {AKID}\n"),
            &["123456"],
            2,
            "no aws_secret_access_key",
        ),
        case(
            "source is a session",
            with("aws_session_token = x\n"),
            &["123456"],
            2,
            "holds temporary credentials",
        ),
        case(
            "source is a managed target",
            "[default]\naws_access_key_id = A\naws_secret_access_key = S\nmfa_source_profile = x\n",
            &["123456"],
            2,
            "is itself a session written by mfa-profile",
        ),
        case(
            "no serial",
            format!("[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"),
            &["123456"],
            2,
            "aws configure set mfa_serial",
        ),
        case(
            "user ARN as serial",
            src.clone(),
            &[
                "--serial-number",
                "arn:aws:iam::123456789012:user/alice",
                "123456",
            ],
            2,
            ":user/",
        ),
        case(
            "five-digit code",
            src.clone(),
            &["12345"],
            2,
            "is not six digits",
        ),
        case(
            "seven-digit code",
            src.clone(),
            &["1234567"],
            2,
            "is not six digits",
        ),
        case(
            "letters in code",
            src.clone(),
            &["12a456"],
            2,
            "is not six digits",
        ),
        case(
            "no code and no terminal",
            src.clone(),
            &[],
            2,
            "no MFA code",
        ),
        case(
            "duration too short",
            src.clone(),
            &["-d", "10m", "123456"],
            2,
            "outside what STS grants",
        ),
        case(
            "duration too long",
            src.clone(),
            &["-d", "37h", "123456"],
            2,
            "outside what STS grants",
        ),
        case(
            "duration malformed",
            src.clone(),
            &["-d", "1.5h", "123456"],
            2,
            "is not a number of seconds",
        ),
        case(
            "duration from profile out of range",
            with("duration_seconds = 60\n"),
            &["123456"],
            2,
            "outside what STS grants",
        ),
        case(
            "bad target name",
            src.clone(),
            &["-t", "my profile", "123456"],
            2,
            "has a character outside",
        ),
        case(
            "DEFAULT target",
            src.clone(),
            &["-t", "DEFAULT", "123456"],
            2,
            "special to the AWS CLI",
        ),
        case(
            "bad region",
            src.clone(),
            &["--region", "US East", "123456"],
            2,
            "is not a region name",
        ),
        case(
            "bad endpoint",
            src.clone(),
            &["--endpoint-url", "ftp://x", "123456"],
            2,
            "is not an http:// or https:// URL",
        ),
        case(
            "duplicate target section",
            with("[mfa]\nk = 1\n[mfa]\nj = 2\n"),
            &["123456"],
            2,
            "[mfa] appears twice",
        ),
        case(
            "duplicate key in target",
            with("[mfa]\nregion = a\nREGION = b\n"),
            &["123456"],
            2,
            "appears twice in the target section",
        ),
        case(
            "spaced header",
            with("[ mfa ]\nk = 1\n"),
            &["123456"],
            2,
            "read as profile `mfa` by the AWS SDKs but not by the AWS CLI",
        ),
        case(
            "inline comment on managed value",
            with("[mfa]\naws_session_token = x # old\n"),
            &["123456"],
            2,
            "inline comment",
        ),
        case(
            "indented comment under managed key",
            with("[mfa]\naws_session_token = x\n  # old\n"),
            &["123456"],
            2,
            "indented comment",
        ),
        case(
            "colon key in target",
            with("[mfa]\naws_session_token: x = y\n"),
            &["123456"],
            2,
            "the AWS CLI reads the key here as",
        ),
        case(
            "BOM",
            [b"\xEF\xBB\xBF".as_slice(), src.as_bytes()].concat(),
            &["123456"],
            2,
            "byte-order mark",
        ),
        case(
            "invalid UTF-8",
            [src.as_bytes(), b"# caf\xE9\n"].concat(),
            &["123456"],
            2,
            "line 5: the file is not valid UTF-8",
        ),
        case("NUL byte", with("k = \0\n"), &["123456"], 2, "NUL byte"),
        case(
            "lone CR",
            with("[x]\rk = v\n"),
            &["123456"],
            2,
            "carriage return",
        ),
        case(
            "header with junk",
            with("[x] junk\n"),
            &["123456"],
            2,
            "line 5: a section header must be",
        ),
        case(
            "indented key after header",
            with("[x]\n  k = v\n"),
            &["123456"],
            2,
            "indented line with no property",
        ),
        case(
            "DEFAULT leaking a security token",
            with("[DEFAULT]\naws_security_token = x\n"),
            &["123456"],
            2,
            "[DEFAULT] holds aws_security_token",
        ),
        case(
            "unknown flag",
            src.clone(),
            &["--bogus"],
            2,
            "unexpected argument",
        ),
    ]
}

#[test]
fn guards_refuse_with_a_message_the_exit_code_and_an_untouched_file() {
    let mut failures = Vec::new();
    for case in cases() {
        let env = TestEnv::new();
        env.write_credentials(&case.credentials);
        env.write_config(case.config);
        let out = run(env
            .mfa()
            .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
            .args(&case.args));
        let unchanged = env.read_credentials() == case.credentials;
        let mut problems = Vec::new();
        if out.code != case.code {
            problems.push(format!("exit {} (want {})", out.code, case.code));
        }
        if !out.stderr.contains(case.message) {
            problems.push(format!("stderr lacks {:?}", case.message));
        }
        if !unchanged {
            problems.push("file changed".into());
        }
        if [&out.stderr, &out.stdout]
            .iter()
            .any(|o| o.contains(SECRET))
        {
            problems.push("the secret key was printed".into());
        }
        if out.stderr.contains("panicked") || out.stderr.contains("STS at") {
            problems.push("panicked or called STS".into());
        }
        if out
            .stderr
            .trim()
            .lines()
            .filter(|l| l.contains("error"))
            .count()
            > 1
        {
            problems.push("more than one error line".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n  stderr: {}",
                case.name,
                problems.join("; "),
                out.stderr.trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} guard(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn credentials_path_that_is_a_directory_or_dangling_symlink() {
    let env = TestEnv::new();
    let dir = env.home().join("adir");
    std::fs::create_dir(&dir).unwrap();
    let out = run(env
        .mfa()
        .env("AWS_SHARED_CREDENTIALS_FILE", &dir)
        .arg("123456"));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("is a directory, not a file"),
        "{}",
        out.stderr
    );

    std::os::unix::fs::symlink(env.home().join("gone"), env.credentials()).unwrap();
    let out = run(env.mfa().arg("123456"));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("which does not exist"),
        "{}",
        out.stderr
    );
}

#[test]
fn help_documents_exit_codes() {
    let env = TestEnv::new();
    let out = run(env.mfa().arg("--help"));
    assert_eq!(out.code, 0);
    for line in [
        "0  success",
        "2  bad usage or bad input",
        "3  STS rejected the MFA code",
    ] {
        assert!(out.stdout.contains(line), "{line}");
    }
}
