//! `rotate` against the fake AWS (fake_aws.rs): the order of the calls, every section of both
//! files rewritten byte for byte and read alike by the three readers, IAM's limit of two keys,
//! and each failure with the state it leaves and the run that finishes it.

use crate::fake_aws::*;
use crate::support::key_readers::{readings, substituted};
use crate::support::*;

pub const OLD: &str = "AKIAOLDKEYEXAMPLE000";
pub const OLD_SECRET: &str = "oldSecret/EXAMPLE+key0123456789abcdefghi";

/// A valid MFA session of [default] in [mfa]: rotate needs no code.
pub fn session() -> String {
    "[mfa]\naws_access_key_id = ASIAFAKESESSIONEXAMPLE\naws_secret_access_key = fakeSessionSecret/EXAMPLE+0123456789abcd\naws_session_token = FwoGZXIvYXdzEXAMPLEfakeTOKEN0123456789+abcdef==\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n".into()
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

pub fn start() -> FakeAws {
    FakeAws::start(
        OLD,
        "2025-01-01T00:00:00Z",
        &["arn:aws:iam::123456789012:mfa/alice"],
    )
}

fn new() -> (&'static str, &'static str) {
    NEW_KEYS[0]
}

/// `text` as rotate should leave it: the new key wherever the old one was, key names in
/// lower case, nothing else.
fn rotated(text: &str) -> String {
    let (id, secret) = new();
    text.replace(
        &format!("AWS_ACCESS_KEY_ID={OLD}"),
        &format!("aws_access_key_id={OLD}"),
    )
    .replace(OLD, id)
    .replace(OLD_SECRET, secret)
}

trait RotateTest {
    fn args_rotate(self, aws: &FakeAws, extra: &[&str]) -> Test;
}

impl RotateTest for Test {
    fn args_rotate(self, aws: &FakeAws, extra: &[&str]) -> Test {
        self.arg("rotate").args(aws.endpoints()).args(extra)
    }
}

fn env_with(credentials: &str, config: &str) -> TestEnv {
    let env = TestEnv::with_credentials(credentials);
    env.write_config(config);
    env
}

#[test]
fn rotate_rewrites_every_section_holding_the_key_in_both_files_and_nothing_else() {
    let aws = start();
    let env = env_with(&credentials(), &config());
    let before = readings(&env);
    let ran = Test::in_env(env)
        .args_rotate(&aws, &[])
        .stderr_has(&format!(
            "rotated [default] (IAM user alice): {} replaces {OLD}, which is inactive",
            new().0
        ))
        .run();
    ran.out
        .assert_silent_about(new().1)
        .assert_silent_about(OLD_SECRET);
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
    assert_eq!(ran.env.read_config_text(), rotated(&config()));
    assert_eq!(
        aws.actions(),
        [
            "GetCallerIdentity",
            "ListAccessKeys",
            "CreateAccessKey",
            "GetCallerIdentity",
            "UpdateAccessKey",
        ]
    );
    assert_eq!(
        aws.signers_of("GetCallerIdentity"),
        [OLD, new().0],
        "who the user is, with the old key; then the new key checked"
    );
    assert_eq!(
        aws.key_states(),
        [(OLD.to_owned(), false), (new().0.to_owned(), true)]
    );
    let (Some(before), Some(after)) = (before, readings(&ran.env)) else {
        return;
    };
    assert_eq!(
        after,
        substituted(&before, &[(OLD, new().0), (OLD_SECRET, new().1)]),
        "every reader reads the new key wherever it read the old one, and nothing else changed"
    );
}

#[test]
fn rotate_with_delete_deletes_the_old_key() {
    let aws = start();
    Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &["--delete"])
        .stderr_has("which is deleted")
        .run();
    assert_eq!(aws.keys().len(), 1);
    assert_eq!(aws.keys()[0].id, new().0);
}

#[test]
fn at_iams_limit_an_inactive_other_key_is_deleted_only_with_yes() {
    let aws = start();
    aws.add_key("AKIAINACTIVEEXAMPLE0", false);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("the inactive one (AKIAINACTIVEEXAMPLE0) was not deleted; nothing changed (pass --yes to delete it)")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(aws.keys().len(), 2);
    let ran = Test::in_env(ran.env)
        .args_rotate(&aws, &["--yes"])
        .stderr_has("deleted the inactive access key AKIAINACTIVEEXAMPLE0 of IAM user alice")
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
    let ids: Vec<String> = aws.keys().into_iter().map(|k| k.id).collect();
    assert_eq!(ids, [OLD, new().0]);
}

#[test]
fn at_iams_limit_a_yes_on_the_terminal_deletes_the_inactive_key_and_rotates() {
    let aws = start();
    aws.add_key("AKIAINACTIVEEXAMPLE0", false);
    let env = env_with(&credentials(), &config());
    let mut args = vec!["rotate".to_owned()];
    args.extend(aws.endpoints());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let Some(ran) = crate::support::pty::on_terminal(&env, &[], &args, &[("[y/N]: ", "y\r")])
    else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(
        ran.transcript
            .contains("deleted the inactive access key AKIAINACTIVEEXAMPLE0 of IAM user alice"),
        "{ran}"
    );
    assert_eq!(env.read_credentials_text(), rotated(&credentials()));
    let ids: Vec<String> = aws.keys().into_iter().map(|k| k.id).collect();
    assert_eq!(ids, [OLD, new().0]);
}

#[test]
fn at_iams_limit_an_active_other_key_stops_the_rotation_and_changes_nothing() {
    let aws = start();
    aws.add_key("AKIAACTIVEOTHEREXAMP", true);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &["--yes"])
        .status(1)
        .stderr_has("the other one, AKIAACTIVEOTHEREXAMP (created on 2025-06-01 00:00 UTC), is active and not the key of [default]: something may use it")
        .stderr_has("aws iam update-access-key --user-name alice --access-key-id AKIAACTIVEOTHEREXAMP --status Inactive")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(ran.env.read_config_text(), config());
    assert!(!aws.actions().contains(&"CreateAccessKey".to_owned()));
}

#[test]
fn access_denied_on_the_key_list_changes_nothing() {
    let aws = start();
    aws.fail("ListAccessKeys", 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys on resource: user alice with an explicit deny in an identity-based policy", 1);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("IAM denied ListAccessKeys (User: arn:aws:iam::123456789012:user/alice is not authorized")
        .stderr_has("nothing changed: IAM and the files are as before")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
}

#[test]
fn limit_exceeded_on_create_changes_nothing() {
    let aws = start();
    aws.fail(
        "CreateAccessKey",
        409,
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
        1,
    );
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("IAM refused CreateAccessKey: the user already has the two access keys IAM allows (LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2); nothing changed")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(aws.keys().len(), 1);
}

#[test]
fn a_slow_new_key_is_waited_for() {
    let aws = start();
    aws.slow_to_propagate(new().0, 2);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &["--wait", "10s"])
        .stderr_has("works (GetCallerIdentity answered as alice after 3 s)")
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
}

#[test]
fn a_new_key_that_does_not_work_stays_saved_and_a_second_run_finishes() {
    let aws = start();
    aws.slow_to_propagate(new().0, 100);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &["--wait", "2s"])
        .status(1)
        .stderr_has(&format!("the new key {} does not work yet (after 1 s: AWS does not know the access key", new().0))
        .stderr_has(&format!("IAM holds both keys active; the files still use the old key {OLD}, and [default] in ~/.aws/credentials keeps the new one (mfa_new_access_key_id); run `mfa-profile rotate -s default` again to finish"))
        .run();
    let pending = ran.env.read_credentials_text();
    assert!(
        pending.contains(&format!("[default]\r\nmfa_old_access_key_id={OLD}\r\nmfa_new_access_key_id={}\r\nmfa_new_secret_access_key={}\r\nAWS_ACCESS_KEY_ID={OLD}\r\n", new().0, new().1)),
        "{pending}"
    );
    assert_eq!(
        sdk_value(&pending, "default", "aws_access_key_id").as_deref(),
        Some(OLD),
        "the files still use the old key"
    );
    aws.slow_to_propagate(new().0, 0);
    let ran = Test::in_env(ran.env)
        .args_rotate(&aws, &[])
        .stderr_has(&format!(
            "an earlier rotation of [default] created {} and saved it; checking it and going on",
            new().0
        ))
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
    assert_eq!(ran.env.read_config_text(), rotated(&config()));
    assert_eq!(
        aws.actions()
            .iter()
            .filter(|a| *a == "CreateAccessKey")
            .count(),
        1,
        "no second key"
    );
}

#[test]
fn a_denied_deactivation_leaves_the_new_key_in_use_and_a_second_run_retires_the_old_one() {
    let aws = start();
    aws.fail("UpdateAccessKey", 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:UpdateAccessKey", 1);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has(&format!("the files use the new key {}, and the old key {OLD} is still active in IAM; run `mfa-profile rotate -s default` again to retire it", new().0))
        .run();
    let text = ran.env.read_credentials_text();
    assert!(
        text.contains(&format!(
            "[default]\r\nmfa_old_access_key_id={OLD}\r\naws_access_key_id={}\r\n",
            new().0
        )),
        "{text}"
    );
    assert!(aws.keys().iter().all(|k| k.active));
    let ran = Test::in_env(ran.env)
        .args_rotate(&aws, &["--delete"])
        .stderr_has("which is deleted")
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
    assert_eq!(aws.keys().len(), 1);
}

#[test]
fn cleanup_deletes_the_inactive_key_a_rotation_left() {
    let aws = start();
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .run();
    let ran = Test::in_env(ran.env)
        .args_rotate(&aws, &["--cleanup"])
        .stderr_has(&format!(
            "deleted the inactive access key {OLD} of IAM user alice"
        ))
        .run();
    assert_eq!(aws.keys().len(), 1);
    Test::in_env(ran.env)
        .args_rotate(&aws, &["--cleanup"])
        .stderr_has("IAM user alice of [default] has no inactive key to delete")
        .run();
}

#[test]
fn a_failed_save_deletes_the_new_key_again() {
    let aws = start();
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .env("MFA_PROFILE_FAILPOINT", "before-rename#2")
        .status(1)
        .stderr_has(&format!(
            "the new key {} could not be saved in ~/.aws/credentials",
            new().0
        ))
        .stderr_has("so it was deleted again: IAM and the files are as before")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(aws.keys().len(), 1);
    assert_eq!(aws.keys()[0].id, OLD);
}

#[test]
fn without_a_valid_session_one_is_refreshed_with_a_code() {
    let aws = start();
    let expired = credentials().replace("2099-01-01", "2001-01-01");
    let ran = Test::in_env(env_with(&expired, &config()))
        .args_rotate(&aws, &["--code-command", "echo 123456"])
        .stderr_has("the IAM calls need an MFA session of [default]: refreshing [mfa]")
        .run();
    assert_eq!(aws.actions()[..2], ["GetCallerIdentity", "GetSessionToken"]);
    assert_eq!(
        aws.signers_of("GetSessionToken"),
        [OLD],
        "the session is the old key's"
    );
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "default", "aws_access_key_id").as_deref(),
        Some(new().0)
    );
    assert!(
        text.contains("expiration = 2099-01-01T00:00:00Z"),
        "[mfa] was refreshed"
    );
}

#[test]
fn a_source_whose_keys_come_from_a_credential_process_is_not_rotated() {
    let aws = start();
    let ran = Test::new()
        .credentials(session())
        .config("[default]\ncredential_process = echo not-run\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n")
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("the keys of [default] come from its credential_process (`echo not-run`), which mfa-profile cannot write to")
        .run();
    assert!(aws.actions().is_empty());
    assert_eq!(ran.env.read_credentials_text(), session());
}

#[test]
fn a_server_error_on_create_is_not_sent_again() {
    let aws = start();
    aws.fail(
        "CreateAccessKey",
        500,
        "ServiceFailure",
        "Request processing has failed due to an unknown error",
        1,
    );
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("CreateAccessKey failed: ServiceFailure")
        .run();
    let creates = aws
        .actions()
        .iter()
        .filter(|a| *a == "CreateAccessKey")
        .count();
    assert_eq!(
        creates, 1,
        "a lost answer would leave a key nobody has the secret of"
    );
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(aws.keys().len(), 1);
}
