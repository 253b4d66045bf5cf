//! `setup`: the first run for a new IAM user on a terminal (keys typed without echo, checked,
//! the device found, the files written, one refresh), from a pipe for scripts, refusals, and
//! the migration of an aws-mfa layout; against the stand-in, the files read back by the three
//! readers. The keys kept in a keychain instead: `keychain.rs`.

use crate::support::key_readers::readings;
use crate::support::pty::on_terminal;
use crate::support::rotation::{OLD, OLD_SECRET};
use crate::support::*;

const DEVICE: &str = SERIAL;

/// Erin, a new IAM user with her own key and device.
const ERIN_KEY: &str = "AKIAERINEXAMPLE00000";
const ERIN_SECRET: &str = "erinSecret/EXAMPLE+key0123456789abcdefgh";

#[test]
fn setup_on_a_terminal_writes_the_source_and_refreshes_once() {
    let aws = StandIn::start();
    aws.add_user("erin", ERIN_KEY, ERIN_SECRET);
    aws.add_device("erin", "arn:aws:iam::123456789012:mfa/erin");
    aws.set_mfa_required("erin", true);
    let (key, secret) = (ERIN_KEY.to_owned(), ERIN_SECRET.to_owned());
    let env = TestEnv::new();
    let url = aws.url();
    let Some(ran) = on_terminal(
        &env,
        &[],
        &["setup", "--endpoint-url", &url, "--iam-endpoint-url", &url],
        &[
            ("AWS access key ID (hidden): ", &format!("{key}\r")),
            ("AWS secret access key (hidden): ", &format!("{secret}\r")),
            ("Default region for [default] [us-east-1]: ", "eu-west-1\r"),
            (
                "MFA code for arn:aws:iam::123456789012:mfa/erin (for [mfa]): ",
                "123456\r",
            ),
        ],
    ) else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(
        !ran.transcript.contains(&key),
        "the key id was echoed\n{ran}"
    );
    assert!(
        !ran.transcript.contains(&secret),
        "the secret was echoed\n{ran}"
    );
    assert!(ran.echo, "the terminal echoes again");
    assert!(
        ran.transcript.contains("the keys are IAM user erin's"),
        "{ran}"
    );
    let text = env.read_credentials_text();
    assert!(
        text.starts_with(&format!(
            "[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n\n[mfa]\n"
        )),
        "{text}"
    );
    // Issue 20: setup asked no region, and `aws --profile mfa ...` then failed with "You
    // must specify a region"; the region asked goes to the source and the target.
    assert_eq!(
        env.read_config_text(),
        "[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/erin\nregion = eu-west-1\n\n[profile mfa]\nregion = eu-west-1\n"
    );
    let Some(readings) = readings(&env) else {
        return;
    };
    for (reader, reading) in &readings {
        if reader.contains("config") {
            continue;
        }
        let default = &reading["default"];
        assert_eq!(default["aws_access_key_id"], key, "{reader}");
        assert_eq!(default["aws_secret_access_key"], secret, "{reader}");
    }
}

#[test]
fn a_mistyped_key_is_asked_again_and_never_shown() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let url = aws.url();
    let Some(ran) = on_terminal(
        &env,
        &[],
        &["setup", "--endpoint-url", &url, "--iam-endpoint-url", &url],
        &[
            ("AWS access key ID (hidden): ", &format!("{OLD_SECRET}\r")),
            ("try again", ""),
            ("AWS access key ID (hidden): ", &format!("{OLD}\r")),
            ("AWS secret access key (hidden): ", "short secret\r"),
            ("try again", ""),
            (
                "AWS secret access key (hidden): ",
                &format!("{OLD_SECRET}\r"),
            ),
            ("Default region for [default] [us-east-1]: ", "\r"),
            ("MFA code for", "123456\r"),
        ],
    ) else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(
        ran.transcript.contains("that is not an access key id (AKIA and upper-case letters and digits, 20 today); it is not shown, in case it was the secret; try again"),
        "{ran}"
    );
    assert!(!ran.transcript.contains(OLD_SECRET), "{ran}");
    assert!(!ran.transcript.contains("short secret"), "{ran}");
    assert!(
        ran.transcript.contains(
            "the secret access key (12 characters) is not 1 to 128 of A-Z a-z 0-9 + / =; try again"
        ),
        "{ran}"
    );
}

#[test]
fn ctrl_c_at_the_hidden_prompt_writes_nothing_and_gives_the_terminal_back() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let url = aws.url();
    let Some(ran) = on_terminal(
        &env,
        &[],
        &["setup", "--endpoint-url", &url, "--iam-endpoint-url", &url],
        &[("AWS access key ID (hidden): ", "AKIA\x03")],
    ) else {
        return;
    };
    assert_eq!(ran.code, 2, "{ran}");
    assert!(
        ran.transcript
            .contains("cancelled (Ctrl-C); nothing was written"),
        "{ran}"
    );
    assert!(ran.echo, "the terminal echoes again");
    assert!(!env.credentials().exists());
    assert!(aws.actions().is_empty());
}

/// Also stands for aws_rules' `setup_checks_the_keys_finds_the_device_and_refreshes_once`
/// (merged here: every call signed with the keys given and answered, and the session written
/// works).
#[test]
fn setup_from_a_pipe_writes_the_source_byte_for_byte() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials("# team\n[other]\nregion = eu-west-1\n")
        .args(["setup", "-s", "work", "--region", "eu-west-1"])
        .args(aws.endpoints())
        .stdin(format!("{OLD}\n{OLD_SECRET}\n123456\n"))
        .stderr_has("wrote the long-term keys of IAM user alice into [work] of ~/.aws/credentials")
        .stderr_has(&format!("recorded MFA device {DEVICE} as mfa_serial in [profile work] of ~/.aws/config"))
        .stderr_has("[work] is set up; `mfa-profile -s work` (or `mfa-profile refresh --all`) refreshes [work-mfa]")
        .stderr_has("the keys are IAM user alice's")
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
    ran.out.assert_silent_about(OLD_SECRET);
    let session = fixed_session(1);
    assert_eq!(
        ran.env.read_credentials_text(),
        format!("# team\n[other]\nregion = eu-west-1\n\n[work]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n\n[work-mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = work\n", session.key_id, session.secret, session.token)
    );
    assert_eq!(
        ran.env.read_config_text(),
        format!("[profile work]\nmfa_serial = {DEVICE}\nregion = eu-west-1\n\n[profile work-mfa]\nregion = eu-west-1\n")
    );
    assert_eq!(
        aws.actions(),
        ["GetCallerIdentity", "ListMFADevices", "GetSessionToken"],
        "keys checked, device found, then one refresh"
    );
    assert!(aws
        .calls()
        .iter()
        .all(|c| c.key_id == OLD && c.status == 200));
    assert_works_as(&aws, &ran.env, "work-mfa", USER_ARN);
}

#[test]
fn setup_refuses_a_source_that_has_credentials() {
    let aws = StandIn::for_files();
    let original =
        format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n");
    let ran = Test::new()
        .credentials(&original)
        .args(["setup"])
        .args(aws.endpoints())
        .status(2)
        .stderr_has("[default] already holds credentials in ~/.aws/credentials; `mfa-profile rotate -s default` replaces its key, or choose another name with -s")
        .run();
    assert_eq!(ran.env.read_credentials_text(), original);
    assert!(aws.actions().is_empty());
}

/// Also stands for aws_rules' `setup_with_keys_aws_does_not_know_writes_nothing` (merged here:
/// the stand-in's log shows STS's refusal).
#[test]
fn keys_that_are_not_an_iam_users_write_nothing() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .args(["setup"])
        .args(aws.endpoints())
        .stdin(format!("AKIAUNKNOWNKEYEXAMPL\n{OLD_SECRET}\n"))
        .status(1)
        .stderr_has(
            "AWS does not know the access key that signed GetCallerIdentity (InvalidClientTokenId)",
        )
        .run();
    assert!(!ran.env.credentials().exists());
    assert_eq!(aws.calls()[0].code.as_deref(), Some("InvalidClientTokenId"));
}

#[test]
fn an_aws_mfa_layout_is_taken_over_with_yes() {
    let aws = StandIn::for_files();
    let original = format!(
        "[default-long-term]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\naws_mfa_device = {DEVICE}\n\n[default]\nassumed_role = False\naws_access_key_id = ASIAOLDSESSION\naws_secret_access_key = old\naws_session_token = old\naws_security_token = old\nexpiration = 2020-01-01 00:00:00\n"
    );
    let ran = Test::new()
        .credentials(&original)
        .args(["setup", "--yes"])
        .args(aws.endpoints())
        .stdin("123456\n")
        .stderr_has("took over aws-mfa's [default-long-term] -> [default]; `mfa-profile -t default` (or `mfa-profile refresh --all`) refreshes it from now on")
        .run();
    let text = ran.env.read_credentials_text();
    assert!(
        text.starts_with(&format!("[default-long-term]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\naws_mfa_device = {DEVICE}\n\n[default]\nassumed_role = False\naws_access_key_id = {}\n", session_key_id(1))),
        "{text}"
    );
    assert!(
        text.ends_with("mfa_source_profile = default-long-term\n"),
        "{text}"
    );
    assert_eq!(
        ran.env.read_config_text(),
        format!("[profile default-long-term]\nmfa_serial = {DEVICE}\n")
    );
}

#[test]
fn an_aws_mfa_layout_is_only_named_without_yes_and_a_terminal() {
    let aws = StandIn::for_files();
    let original = format!(
        "[default-long-term]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n\n[default]\naws_access_key_id = ASIAOLDSESSION\naws_session_token = old\n"
    );
    Test::new()
        .credentials(&original)
        .args(["setup"])
        .args(aws.endpoints())
        .stdin("")
        .status(2)
        .stderr_has("holds aws-mfa's layout: [default-long-term] has the long-term keys, [default] gets the session. Refresh [default] from [default-long-term] with mfa-profile from now on; pass --yes to take it over")
        .run();
}

/// Standard input that ends before the secret access key: setup stops with exit 2, says which
/// answer it lacked, and writes nothing, to either file, and asks AWS nothing.
#[test]
fn input_that_ends_before_the_secret_writes_nothing() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials("# team\n")
        .args(["setup", "-s", "work", "--region", "eu-west-1"])
        .args(aws.endpoints())
        .stdin(format!("{OLD}\n"))
        .status(2)
        .stderr_has("no answer to `AWS secret access key (hidden)`; nothing was written")
        .run();
    assert_eq!(ran.env.read_credentials_text(), "# team\n");
    assert!(!ran.env.config().exists());
    assert!(aws.actions().is_empty(), "{:?}", aws.actions());
}
