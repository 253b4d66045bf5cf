//! `rotate`: a new access key in place of the old one in every section of both files that
//! holds it, byte for byte and read alike by the three readers (odd but valid layouts too;
//! lines the readers would read differently refused before IAM is asked), in the order AWS
//! needs (the new key checked before the old one is retired), IAM's limit of two keys, and each
//! failure with the state it leaves and the run that finishes it; against the stand-in, and
//! end to end against moto with the aws CLI reading the new key. Killed at every step:
//! `rotate_crash.rs`.

use crate::support::key_readers::{readings, substituted};
use crate::support::rotation::*;
use crate::support::*;

const CODE: &str = "123456";

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
    fn args_rotate(self, aws: &StandIn, extra: &[&str]) -> Test;
}

impl RotateTest for Test {
    fn args_rotate(self, aws: &StandIn, extra: &[&str]) -> Test {
        self.arg("rotate").args(aws.endpoints()).args(extra)
    }
}

/// Gives alice another key (`active` or not), created 2025-06-01.
fn add_other_key(aws: &StandIn, id: &str, active: bool) {
    aws.add_key(USER, id, "otherKeySecret/EXAMPLE", active);
    aws.set_key_created(id, "2025-06-01T00:00:00Z");
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
        aws.keys(USER),
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
    assert_eq!(aws.keys(USER).len(), 1);
    assert_eq!(aws.keys(USER)[0].0, new().0);
}

#[test]
fn at_iams_limit_an_inactive_other_key_is_deleted_only_with_yes() {
    let aws = start();
    add_other_key(&aws, "AKIAINACTIVEEXAMPLE0", false);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("the inactive one (AKIAINACTIVEEXAMPLE0) was not deleted; nothing changed (pass --yes to delete it)")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(aws.keys(USER).len(), 2);
    let ran = Test::in_env(ran.env)
        .args_rotate(&aws, &["--yes"])
        .stderr_has("deleted the inactive access key AKIAINACTIVEEXAMPLE0 of IAM user alice")
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
    let ids: Vec<String> = aws.keys(USER).into_iter().map(|k| k.0).collect();
    assert_eq!(ids, [OLD, new().0]);
}

#[test]
fn at_iams_limit_a_yes_on_the_terminal_deletes_the_inactive_key_and_rotates() {
    let aws = start();
    add_other_key(&aws, "AKIAINACTIVEEXAMPLE0", false);
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
    let ids: Vec<String> = aws.keys(USER).into_iter().map(|k| k.0).collect();
    assert_eq!(ids, [OLD, new().0]);
}

#[test]
fn at_iams_limit_an_active_other_key_stops_the_rotation_and_changes_nothing() {
    let aws = start();
    add_other_key(&aws, "AKIAACTIVEOTHEREXAMP", true);
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
    aws.fault("ListAccessKeys", Fault::error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys on resource: user alice with an explicit deny in an identity-based policy").times(1));
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
    aws.fault(
        "CreateAccessKey",
        Fault::error(
            409,
            "LimitExceeded",
            "Cannot exceed quota for AccessKeysPerUser: 2",
        )
        .times(1),
    );
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("IAM refused CreateAccessKey: the user already has the two access keys IAM allows (LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2); nothing changed")
        .run();
    assert_eq!(ran.env.read_credentials_text(), credentials());
    assert_eq!(aws.keys(USER).len(), 1);
}

#[test]
fn a_slow_new_key_is_waited_for() {
    let aws = start();
    aws.unknown_for(new().0, 2);
    let ran = Test::in_env(env_with(&credentials(), &config()))
        .args_rotate(&aws, &["--wait", "10s"])
        .stderr_has("works (GetCallerIdentity answered as alice after 3 s)")
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
}

#[test]
fn a_new_key_that_does_not_work_stays_saved_and_a_second_run_finishes() {
    let aws = start();
    aws.unknown_for(new().0, 100);
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
    aws.unknown_for(new().0, 0);
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
    aws.fault("UpdateAccessKey", Fault::error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:UpdateAccessKey").times(1));
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
    assert!(aws.keys(USER).iter().all(|k| k.1));
    let ran = Test::in_env(ran.env)
        .args_rotate(&aws, &["--delete"])
        .stderr_has("which is deleted")
        .run();
    assert_eq!(ran.env.read_credentials_text(), rotated(&credentials()));
    assert_eq!(aws.keys(USER).len(), 1);
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
    assert_eq!(aws.keys(USER).len(), 1);
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
    assert_eq!(aws.keys(USER).len(), 1);
    assert_eq!(aws.keys(USER)[0].0, OLD);
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
    aws.fault(
        "CreateAccessKey",
        Fault::error(
            500,
            "ServiceFailure",
            "Request processing has failed due to an unknown error",
        )
        .times(1),
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
    assert_eq!(aws.keys(USER).len(), 1);
}

/// The old secret, short, for the layouts below.
const S: &str = OLD_SECRET;

/// Credentials files holding the old key, each with the key-name spellings a rotation turns
/// to lower case.
fn accepted() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        ("plain", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
        ("no final newline", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}"), vec![]),
        ("crlf", format!("[default]\r\naws_access_key_id = {OLD}\r\naws_secret_access_key = {S}\r\n"), vec![]),
        ("mixed endings", format!("# a\r\n[default]\naws_access_key_id = {OLD}\r\naws_secret_access_key = {S}\n[b]\r\nk = v\n"), vec![]),
        ("no spaces and tabs", format!("[default]\naws_access_key_id={OLD}\naws_secret_access_key\t=\t{S}\n"), vec![]),
        ("mixed-case keys", format!("[default]\nAws_Access_Key_Id = {OLD}\nAWS_SECRET_ACCESS_KEY = {S}\n"), vec!["Aws_Access_Key_Id", "AWS_SECRET_ACCESS_KEY"]),
        ("comments and blanks between", format!("[default] # main\n; the key\naws_access_key_id = {OLD}\n\n# its secret\naws_secret_access_key = {S}\n\n"), vec![]),
        ("continuation under another key", format!("[default]\ns3 =\n  max_concurrent_requests = 20\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\nregion = eu-west-1\n"), vec![]),
        ("a DEFAULT section", format!("[DEFAULT]\nregion = eu-west-1\n\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
        ("unicode around", format!("# clé d'Émilie ✓\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\nnote = café\n"), vec![]),
        ("three sections", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n[copy]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n[old-laptop]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
        ("the last of repeated sections' keys", format!("[other]\naws_access_key_id = AKIAOTHERKEYEXAMPLE0\naws_secret_access_key = x\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
    ]
}

fn rotated_layout(text: &str, spellings: &[&str]) -> String {
    let mut out = text.to_owned();
    for spelling in spellings {
        out = out.replace(spelling, &spelling.to_ascii_lowercase());
    }
    out.replace(OLD, NEW_KEYS[0].0).replace(S, NEW_KEYS[0].1)
}

#[test]
fn odd_but_valid_layouts_are_rotated_byte_for_byte_and_read_alike() {
    for (name, text, spellings) in accepted() {
        let aws = start();
        let original = format!("{}{text}", session());
        let env = TestEnv::with_credentials(&original);
        env.write_config(&format!(
            "[profile ci]\nAWS_ACCESS_KEY_ID = {OLD}\naws_secret_access_key = {S}\n"
        ));
        let before = readings(&env);
        Test::on(&env).arg("rotate").args(aws.endpoints()).run();
        assert_eq!(
            env.read_credentials_text(),
            rotated_layout(&original, &spellings),
            "{name}"
        );
        assert_eq!(
            env.read_config_text(),
            format!(
                "[profile ci]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
                NEW_KEYS[0].0, NEW_KEYS[0].1
            ),
            "{name}"
        );
        let (Some(before), Some(after)) = (before, readings(&env)) else {
            continue;
        };
        assert_eq!(
            after,
            substituted(&before, &[(OLD, NEW_KEYS[0].0), (S, NEW_KEYS[0].1)]),
            "{name}: the readers read the new key wherever they read the old one"
        );
    }
}

#[test]
fn lines_the_readers_would_read_differently_stop_the_rotation_before_iam_is_asked() {
    for (name, text, says) in [
        ("inline comment", format!("[default]\naws_access_key_id = {OLD} # main\naws_secret_access_key = {S}\n"), "line 2: `aws_access_key_id` has an inline comment"),
        ("indented comment", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n  # rotated in May\n"), "line 4: an indented comment under `aws_secret_access_key`"),
        ("repeated key", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = x\naws_secret_access_key = {S}\n"), "line 4: `aws_secret_access_key` appears twice in [default]"),
        ("secret elsewhere", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n[copy]\naws_access_key_id = {OLD}\n"), "line 4: [copy] holds access key AKIAIOSFODNN7EXAMPLE but no aws_secret_access_key beside it"),
        ("invisible space", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n\u{a0}region = x\n"), "line 4: the line starts with an invisible space (U+00A0)"),
        ("a header only the JavaScript SDK sees", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n  [other]\n"), "line 4: `  [other]` is read as a section header by the AWS SDK for JavaScript"),
    ] {
        let aws = start();
        let original = format!("{text}{}", session());
        let env = TestEnv::with_credentials(&original);
        Test::on(&env)
            .arg("rotate")
            .args(aws.endpoints())
            .status(2)
            .stderr_has(says)
            .run();
        assert_eq!(env.read_credentials_text(), original, "{name}: byte-identical");
        assert!(aws.actions().is_empty(), "{name}: IAM was asked {:?}", aws.actions());
    }
}

#[test]
fn rotate_calls_sts_and_iam_with_the_right_keys_and_the_new_key_works() {
    let aws = StandIn::start();
    aws.new_keys_known_after(1);
    let ran = at(&aws, Test::new().credentials(default_source()))
        .arg("rotate")
        .args(aws.endpoints())
        .args(["--code-command", "echo 123456", "--delete"])
        .stderr_has("rotated [default]")
        .run();
    let actions = aws.actions();
    assert_eq!(
        actions[..2],
        ["GetCallerIdentity", "GetSessionToken"],
        "{actions:?}"
    );
    let calls = aws.calls();
    assert_eq!(
        (calls[0].key_id.as_str(), calls[1].key_id.as_str()),
        (AKID, AKID)
    );
    let keys = aws.keys(USER);
    assert_eq!(keys.len(), 1, "the old key deleted: {keys:?}");
    let new_key = keys[0].0.clone();
    let checks: Vec<&Call> = calls
        .iter()
        .filter(|c| c.action == "GetCallerIdentity" && c.key_id == new_key)
        .collect();
    assert_eq!(
        checks.iter().map(|c| c.status).collect::<Vec<_>>(),
        [403, 200],
        "the new key waited for until STS knows it"
    );
    assert_eq!(
        param(&calls[1], "TokenCode"),
        Some(CODE),
        "the MFA session for IAM"
    );
    for call in calls.iter().filter(|c| {
        [
            "ListAccessKeys",
            "CreateAccessKey",
            "UpdateAccessKey",
            "DeleteAccessKey",
        ]
        .contains(&c.action.as_str())
    }) {
        assert!(
            call.key_id.starts_with("ASIASTANDIN"),
            "IAM signed with the MFA session: {call:?}"
        );
        assert_eq!(call.status, 200, "{call:?}");
    }
    assert_works_as(&aws, &ran.env, "default", USER_ARN);
}

/// The same for `rotate`: the refresh for the MFA session, every IAM call, and the checks that
/// the new key works, over one connection to the one endpoint.
#[test]
fn rotate_makes_every_call_on_one_connection() {
    let aws = StandIn::start_https();
    let env = TestEnv::with_credentials(&default_source());
    let ca = aws.ca_file(&env, "ca.pem");
    at(&aws, Test::in_env(env))
        .args([
            "rotate",
            "--iam-endpoint-url",
            &aws.url(),
            "--code-command",
            "echo 123456",
            "--delete",
            "--yes",
        ])
        .env("AWS_CA_BUNDLE", &ca)
        .stderr_has("rotated [default]")
        .run();
    let actions = aws.actions();
    assert!(actions.len() >= 6, "{actions:?}");
    assert_eq!(aws.connections(), 1, "{actions:?}");
}

#[test]
fn rotate_against_moto_at_the_two_key_limit_from_a_source_without_a_serial() {
    let Some(moto) = Moto::start() else { return };
    let Some((key, secret)) = crate::support::moto_iam::create_user(&moto, "gina", &["gina"])
    else {
        return;
    };
    let inactive = crate::support::moto_iam::add_inactive_key(&moto, "gina");
    let original = format!(
        "# gina's keys\n[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\nregion = us-east-1\n"
    );
    let url = moto.url();
    let ran = Test::new()
        .credentials(&original)
        .args([
            "rotate",
            "--yes",
            "--delete",
            "--code-command",
            "echo 123456",
        ])
        .args(["--endpoint-url", &url, "--iam-endpoint-url", &url])
        .stderr_has("found MFA device arn:aws:iam::123456789012:mfa/gina in IAM and recorded it")
        .stderr_has(&format!(
            "deleted the inactive access key {inactive} of IAM user gina"
        ))
        .stderr_has("which is deleted")
        .run();
    ran.out.assert_silent_about(&secret);
    let text = ran.env.read_credentials_text();
    let new = sdk_value(&text, "default", "aws_access_key_id").unwrap();
    let new_secret = sdk_value(&text, "default", "aws_secret_access_key").unwrap();
    assert_ne!(new, key);
    ran.out.assert_silent_about(&new_secret);
    assert!(
        text.starts_with(&format!(
            "# gina's keys\n[default]\naws_access_key_id = {new}\naws_secret_access_key = {new_secret}\nregion = us-east-1\n\n[mfa]\n"
        )),
        "{text}"
    );
    assert_eq!(
        crate::support::moto_iam::keys(&moto, "gina"),
        [(new.clone(), true)]
    );
    assert_eq!(
        ran.env.read_config_text(),
        "[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/gina\n\n[profile mfa]\nregion = us-east-1\n"
    );
    require!("aws");
    let identity = caller_identity(ran.env.command("aws").args(["--profile", "default"]), &moto);
    identity
        .assert_code(0)
        .assert_stdout_has("arn:aws:iam::123456789012:user/gina");
}

/// [default] with the key it uses, `record` (rotation lines), and the valid session [`start`]
/// issued.
fn with_record(record: &str) -> String {
    format!(
        "[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\nmfa_serial = {SERIAL}\n{record}\n{}",
        session()
    )
}

/// A rotation record missing a line (a hand edit, a file restored from a backup) could point
/// at the wrong key: the rotation stops before IAM is asked, names the missing line, and the
/// files stay as they were.
#[test]
fn half_a_rotation_record_stops_the_rotation_before_iam_is_asked() {
    let aws = start();
    let text = with_record(&format!("mfa_new_access_key_id = {}\n", new().0));
    let ran = Test::new()
        .credentials(&text)
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has("[default] in ~/.aws/credentials holds half a rotation record (mfa_old_access_key_id is missing or empty); remove the mfa_new_*/mfa_old_* lines by hand, after checking in IAM which key is in use")
        .run();
    assert!(aws.actions().is_empty(), "{:?}", aws.actions());
    assert_eq!(ran.env.read_credentials_text(), text);
    assert_eq!(aws.keys(USER).len(), 1, "no key created");
}

/// A record of a rotation of another key (the source's key replaced by hand since) is not
/// finished with the wrong key: refused before IAM is asked, the files as they were.
#[test]
fn a_rotation_record_of_another_key_stops_the_rotation_before_iam_is_asked() {
    let aws = start();
    let (id, secret) = new();
    let text = with_record(&format!(
        "mfa_old_access_key_id = AKIAOTHEROLDEXAMPLE0\nmfa_new_access_key_id = {id}\nmfa_new_secret_access_key = {secret}\n"
    ));
    let ran = Test::new()
        .credentials(&text)
        .args_rotate(&aws, &[])
        .status(1)
        .stderr_has(&format!("the rotation record of [default] does not match the key it uses ({OLD}); check in IAM which key is in use"))
        .run();
    ran.out.assert_silent_about(secret);
    assert!(aws.actions().is_empty(), "{:?}", aws.actions());
    assert_eq!(ran.env.read_credentials_text(), text);
}

/// IAM's key calls need the user's own MFA session: `-t` naming a role target (whose session
/// is the role's) is refused with the kind of target that works, and no key is created.
#[test]
fn a_role_target_given_for_the_iam_calls_is_refused_and_no_key_is_created() {
    let aws = start();
    let role = aws.issue_session(USER, true, 3600);
    let text = format!(
        "{}\n[admin]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {FIXED_EXPIRATION}\nmfa_source_profile = default\nmfa_role_arn = {ADMIN_ROLE}\n",
        with_record(""),
        role.key_id,
        role.secret,
        role.token
    );
    let ran = Test::new()
        .credentials(&text)
        .args_rotate(&aws, &["-t", "admin"])
        .status(1)
        .stderr_has("[admin] holds a session of role")
        .stderr_has(&format!(
            "not of IAM user {USER}; pass -t with a target holding a plain session"
        ))
        .run();
    assert!(
        !aws.actions().iter().any(|a| a.contains("AccessKey")),
        "{:?}",
        aws.actions()
    );
    assert_eq!(ran.env.read_credentials_text(), text);
    assert_eq!(aws.keys(USER).len(), 1, "no key created");
}
