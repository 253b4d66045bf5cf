//! The three readers a credentials file must satisfy, run for real on what a refresh wrote:
//! botocore (the AWS CLI and boto3), the AWS SDK for Rust's parser and the JavaScript SDK's;
//! the session read back and used by the real consumers (the aws CLI and boto3 calling moto
//! with it); and the four classes of input on which the JavaScript SDK read a refresh
//! differently from the other two, each pinned by a regression test. The readers on generated
//! files: `differential.rs`; the parser suites: `conformance.rs`.

use crate::support::readers::*;
use crate::support::*;

fn original() -> String {
    format!(
        "# my keys\n{}\n[other]\nregion = eu-west-1\n",
        default_source()
    )
}

/// A refresh of [`original`] against `url` (moto, or the stand-in); the environment, for the
/// consumers to read.
fn refreshed_at(url: &str) -> TestEnv {
    Test::new()
        .credentials(original())
        .args(["123456", "--endpoint-url", url])
        .run()
        .env
}

#[test]
fn the_aws_cli_signs_with_the_written_session() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let env = refreshed_at(&moto.url());
    let cli = caller_identity(env.command("aws").args(["--profile", "mfa"]), &moto);
    cli.assert_code(0);
    assert_eq!(cli.json()["Account"], "123456789012");
}

#[test]
fn boto3_reads_the_written_session_and_calls_sts_with_it() {
    let Some(moto) = Moto::start() else { return };
    require!("python3");
    let env = refreshed_at(&moto.url());
    let text = env.read_credentials_text();
    let script = "import boto3, json, sys\n\
s = boto3.Session()\n\
c = s.get_credentials().get_frozen_credentials()\n\
ident = s.client('sts', region_name='us-east-1', endpoint_url=sys.argv[1]).get_caller_identity()\n\
print(json.dumps({'access_key': c.access_key, 'secret_key': c.secret_key, 'token': c.token, 'account': ident['Account']}))\n";
    let py =
        run(env
            .command("python3")
            .env("AWS_PROFILE", "mfa")
            .args(["-c", script, &moto.url()]));
    py.assert_code(0);
    let seen = py.json();
    let written = |k| sdk_value(&text, "mfa", k).unwrap();
    assert_eq!(seen["access_key"], written("aws_access_key_id"));
    assert_eq!(seen["secret_key"], written("aws_secret_access_key"));
    assert_eq!(seen["token"], written("aws_session_token"));
    assert_eq!(seen["account"], "123456789012");
}

#[test]
fn the_aws_config_crate_reads_the_written_session() {
    let aws = StandIn::start();
    let env = refreshed_at(&aws.url());
    let text = env.read_credentials_text();
    let profiles = sdk_profiles(&text);
    let mfa = profiles.get_profile("mfa").unwrap();
    // The values as written, found as text in the appended section.
    let appended = &text[original().len()..];
    for key in [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    ] {
        let written = appended
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} line in {appended}"));
        assert!(!written.is_empty());
        assert_eq!(mfa.get(key), Some(written), "{key}");
    }
    assert_eq!(mfa.get("mfa_source_profile"), Some("default"));
    assert!(epoch_of(mfa.get("expiration").unwrap()) > now() + 11 * 3600);
    assert!(text.starts_with(&original()), "the original bytes stay");
}

#[test]
fn the_javascript_sdk_reads_the_written_session() {
    let aws = StandIn::start();
    let env = refreshed_at(&aws.url());
    let Some(read) = js_read(&[env.credentials()]) else {
        return;
    };
    let rust = rust_read(&env.read_credentials_text());
    let js = sdk_triple(&read[0], "mfa");
    assert!(js.0.is_some() && js.1.is_some() && js.2.is_some(), "{js:?}");
    assert_eq!(js, sdk_triple(&rust, "mfa"));
    // Every other profile reads as before.
    let before = TestEnv::with_credentials(&original());
    let read_before = js_read(&[before.credentials()]).unwrap();
    let others = |read: &Read| {
        let mut profiles = read.profiles().unwrap().clone();
        profiles.remove("mfa");
        profiles
    };
    assert_eq!(others(&read[0]), others(&read_before[0]));
}

/// The session a [`StandIn::for_files`] issues first, as a reader's triple.
fn canned_triple() -> Triple {
    let session = fixed_session(1);
    (
        Some(session.key_id),
        Some(session.secret),
        Some(session.token),
    )
}

/// The three readers' readings of the credentials file of `env`.
fn read_three(env: &TestEnv) -> Option<(Read, Read, Read)> {
    let path = vec![env.credentials()];
    let botocore = botocore_read(&path)?.remove(0);
    let js = js_read(&path)?.remove(0);
    Some((botocore, rust_read(&env.read_credentials_text()), js))
}

#[test]
fn upper_case_keys_in_the_target_are_written_in_lower_case_so_the_javascript_sdk_reads_them() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials(format!(
            "{}\n[mfa]\nAWS_ACCESS_KEY_ID = ASIAOLD\nAws_Secret_Access_Key=old\nAWS_SESSION_TOKEN = old\nREGION = eu-west-1\nmfa_source_profile = default\n",
            default_source()
        ))
        .args(["123456", "--endpoint-url", &aws.url()])
        .run();
    ran.env
        .assert_credentials(&expected("upper-case-keys.credentials"));
    let Some((botocore, rust, js)) = read_three(&ran.env) else {
        return;
    };
    assert_eq!(botocore_triple(&botocore, "mfa"), canned_triple());
    assert_eq!(sdk_triple(&rust, "mfa"), canned_triple());
    assert_eq!(sdk_triple(&js, "mfa"), canned_triple());
}

#[test]
fn a_header_glued_to_its_comment_gets_a_space_so_the_javascript_sdk_sees_the_target() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials(format!(
            "{}\n[mfa]; refreshed daily\naws_session_token = old\nmfa_source_profile = default\n",
            default_source()
        ))
        .args(["123456", "--endpoint-url", &aws.url()])
        .run();
    ran.env
        .assert_credentials(&expected("header-comment-glued.credentials"));
    let Some((botocore, rust, js)) = read_three(&ran.env) else {
        return;
    };
    for (reader, triple) in [
        ("botocore", botocore_triple(&botocore, "mfa")),
        ("rust", sdk_triple(&rust, "mfa")),
        ("js", sdk_triple(&js, "mfa")),
    ] {
        assert_eq!(triple, canned_triple(), "{reader}");
    }
    // [default] keeps only its own keys for Node tools: no session leaked into it.
    let default = &js.profiles().unwrap()["default"];
    assert_eq!(
        default.get("aws_access_key_id").map(String::as_str),
        Some(AKID)
    );
    assert!(!default.contains_key("aws_session_token"), "{default:?}");
}

#[test]
fn a_source_key_going_on_to_the_next_line_is_refused_with_the_line() {
    for continuation in ["  # rotated in May", "  more"] {
        let original = format!(
            "[default]\naws_access_key_id = {AKID}\n{continuation}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
        );
        let ran = Test::new()
            .credentials(&original)
            .args(["123456", "--endpoint-url", CLOSED])
            .status(2)
            .stderr_has("source profile [default]: aws_access_key_id in ~/.aws/credentials goes on to line 3")
            .run();
        ran.out
            .assert_stderr_lacks("STS")
            .assert_silent_about(SECRET);
        ran.env.assert_credentials(original.as_bytes());
    }
}

fn aws_cli_unreadable() -> String {
    format!(
        "{}\n[other]\nregion = eu-west-1\nregion = us-east-1\n",
        default_source()
    )
}

const CLI_WARNING: &str = "warning: the AWS CLI cannot read ~/.aws/credentials (line 8: `region` repeated in [other]); the SDKs can. Fix that line to use `aws --profile mfa`.";

#[test]
fn a_file_the_aws_cli_cannot_parse_is_written_with_a_warning_naming_the_line() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials(aws_cli_unreadable())
        .args(["123456", "--endpoint-url", &aws.url()])
        .stderr_has(CLI_WARNING)
        .stderr_has("wrote [mfa]")
        .run();
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "mfa", "aws_session_token").as_deref(),
        Some(fixed_session(1).token.as_str()),
        "the session is written for the SDKs"
    );
    require!("aws");
    // The warning is true: the real AWS CLI cannot parse the file.
    run(ran
        .env
        .command("aws")
        .args(["configure", "list", "--profile", "mfa"]))
    .assert_stderr_has("Unable to parse config file");
}

#[test]
fn status_warns_about_a_file_the_aws_cli_cannot_parse() {
    let text = format!(
        "{}{}",
        aws_cli_unreadable(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    );
    Test::new()
        .credentials(text)
        .arg("status")
        .stderr_has("warning: the AWS CLI cannot read ~/.aws/credentials (line 8: `region` repeated in [other]); the SDKs can. Fix that line to use the AWS CLI.")
        .run();
}

#[test]
fn a_proto_section_which_the_javascript_sdk_cannot_read_is_warned_about() {
    let aws = StandIn::for_files();
    Test::new()
        .credentials(format!("{}\n[__proto__]\nk = v\n", default_source()))
        .args(["123456", "--endpoint-url", &aws.url()])
        .stderr_has("warning: the AWS SDK for JavaScript reads nothing from ~/.aws/credentials (line 6: a [__proto__] section)")
        .run();
}

#[test]
fn an_indented_target_header_only_the_javascript_sdk_sees_with_a_key_after_it_is_refused() {
    // For the JavaScript SDK the indented line opens a second [mfa], merged after the first:
    // its aws_session_token would win over the new session.
    let original = format!(
        "{}{}[other]\nk = v\n  [mfa]\naws_session_token = stale\n",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    );
    let ran = Test::new()
        .credentials(&original)
        .args(["123456", "--endpoint-url", CLOSED])
        .status(2)
        .stderr_has("line 13: `  [mfa]` is read as a second [mfa] by the AWS SDK for JavaScript")
        .run();
    ran.env.assert_credentials(original.as_bytes());
}

#[test]
fn a_security_token_in_default_is_outranked_by_one_written_into_the_target() {
    // botocore gives every section [DEFAULT]'s aws_security_token and prefers it to
    // aws_session_token: the target gets one of its own, which botocore reads instead.
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials(format!(
            "{}\n[DEFAULT]\naws_security_token = stale\n",
            default_source()
        ))
        .args(["123456", "--endpoint-url", &aws.url()])
        .run();
    let Some((botocore, rust, js)) = read_three(&ran.env) else {
        return;
    };
    assert_eq!(botocore_triple(&botocore, "mfa"), canned_triple());
    assert_eq!(sdk_triple(&rust, "mfa"), canned_triple());
    assert_eq!(sdk_triple(&js, "mfa"), canned_triple());
}
