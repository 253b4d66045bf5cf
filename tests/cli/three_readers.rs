//! The four classes of input on which the JavaScript SDK read a refresh differently from
//! botocore and the Rust SDK, each pinned by a regression test that asks the real readers.

use crate::support::readers::*;
use crate::support::*;

fn canned_triple() -> Triple {
    (
        Some(CANNED_KEY.to_owned()),
        Some(CANNED_SECRET.to_owned()),
        Some(CANNED_TOKEN.to_owned()),
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
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(format!(
            "{}\n[mfa]\nAWS_ACCESS_KEY_ID = ASIAOLD\nAws_Secret_Access_Key=old\nAWS_SESSION_TOKEN = old\nREGION = eu-west-1\nmfa_source_profile = default\n",
            default_source()
        ))
        .args(["123456", "--endpoint-url", &sts.url()])
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
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(format!(
            "{}\n[mfa]; refreshed daily\naws_session_token = old\nmfa_source_profile = default\n",
            default_source()
        ))
        .args(["123456", "--endpoint-url", &sts.url()])
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
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(aws_cli_unreadable())
        .args(["123456", "--endpoint-url", &sts.url()])
        .stderr_has(CLI_WARNING)
        .stderr_has("wrote [mfa]")
        .run();
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "mfa", "aws_session_token").as_deref(),
        Some(CANNED_TOKEN),
        "the session is written for the SDKs"
    );
    if require("aws") {
        // The warning is true: the real AWS CLI cannot parse the file.
        run(ran
            .env
            .command("aws")
            .args(["configure", "list", "--profile", "mfa"]))
        .assert_stderr_has("Unable to parse config file");
    }
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
    let sts = CannedSts::start();
    Test::new()
        .credentials(format!("{}\n[__proto__]\nk = v\n", default_source()))
        .args(["123456", "--endpoint-url", &sts.url()])
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
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(format!(
            "{}\n[DEFAULT]\naws_security_token = stale\n",
            default_source()
        ))
        .args(["123456", "--endpoint-url", &sts.url()])
        .run();
    let Some((botocore, rust, js)) = read_three(&ran.env) else {
        return;
    };
    assert_eq!(botocore_triple(&botocore, "mfa"), canned_triple());
    assert_eq!(sdk_triple(&rust, "mfa"), canned_triple());
    assert_eq!(sdk_triple(&js, "mfa"), canned_triple());
}
