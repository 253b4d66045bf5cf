//! The hints of `rotate` and `status --keys`: every stop of a rotation names the run that
//! finishes it, and that run, word for word, does; the key report names the refresh or the
//! rotation it asks for, and that command does it.

use crate::support::rotation::{config, credentials, start, NEW_KEYS, OLD, OLD_SECRET};
use crate::support::*;
use std::time::Duration;

fn files() -> TestEnv {
    let env = TestEnv::with_credentials(&credentials());
    env.write_config(&config());
    env
}

/// `rotate` with `extra` on `env`'s files, at `aws`, expecting exit `status`.
fn rotate(env: &TestEnv, aws: &StandIn, extra: &[&str], status: i32) -> Run {
    Test::on(env)
        .arg("rotate")
        .args(aws.endpoints())
        .args(extra)
        .status(status)
        .run()
        .out
}

/// Both files byte for byte once the rotation to `new` is done (no record left), and IAM
/// holding `new` active beside the old key in `old_left` (`None`: deleted).
fn assert_rotated(env: &TestEnv, aws: &StandIn, new: (&str, &str), old_left: Option<bool>) {
    let (id, secret) = new;
    let want = credentials()
        .replace(
            &format!("AWS_ACCESS_KEY_ID={OLD}"),
            &format!("aws_access_key_id={OLD}"),
        )
        .replace(OLD, id)
        .replace(OLD_SECRET, secret);
    assert_eq!(env.read_credentials_text(), want);
    assert_eq!(
        env.read_config_text(),
        config().replace(OLD, id).replace(OLD_SECRET, secret)
    );
    let mut keys = Vec::new();
    if let Some(active) = old_left {
        keys.push((OLD.to_owned(), active));
    }
    keys.push((id.to_owned(), true));
    assert_eq!(aws.keys(USER), keys);
}

/// `status --keys` on `env`'s files at `aws`; it succeeds, whatever it warns about.
fn status_keys(env: &TestEnv, aws: &StandIn) -> Run {
    Test::on(env)
        .args(["status", "--keys"])
        .args(aws.endpoints())
        .run()
        .out
}

/// Longer than a client waits for one answer (`ATTEMPT_TIMEOUT`, 5 s): an answer lost.
const LATE: Duration = Duration::from_secs(8);

fn creates(aws: &StandIn) -> usize {
    aws.actions()
        .iter()
        .filter(|a| *a == "CreateAccessKey")
        .count()
}

/// src/app/rotate.rs: a finished rotation leaves the old key inactive and names the cleanup.
#[test]
fn the_cleanup_a_rotation_names_deletes_the_inactive_old_key() {
    let aws = start();
    let env = files();
    let out = rotate(&env, &aws, &[], 0);
    out
        .assert_stderr_has("`mfa-profile rotate -s default --cleanup` deletes it once you are sure nothing else used it");
    assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
    let command = hinted(&out.stderr, "mfa-profile rotate -s default --cleanup");
    run_hint(&env, &command, aws.endpoints()).assert_stderr_has(&format!(
        "deleted the inactive access key {OLD} of IAM user alice"
    ));
    assert_rotated(&env, &aws, NEW_KEYS[0], None);
}

/// src/rotate/mod.rs, `finish`: a new key that does not work yet stays saved beside the old one.
#[test]
fn a_new_key_that_does_not_work_yet_is_put_in_place_by_the_run_named() {
    let aws = start();
    aws.unknown_for(NEW_KEYS[0].0, 100);
    let env = files();
    let out = rotate(&env, &aws, &["--wait", "2s"], 1);
    out.assert_stderr_has(
        "keeps the new one (mfa_new_access_key_id); run `mfa-profile rotate -s default` again to finish",
    );
    aws.unknown_for(NEW_KEYS[0].0, 0);
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    run_hint(&env, &command, aws.endpoints())
        .assert_stderr_has("an earlier rotation of [default] created");
    assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
    assert_eq!(creates(&aws), 1, "the saved key, no second one");
}

/// src/rotate/mod.rs, `cleanup`: `--cleanup` while a new key is saved but unused refuses and
/// names the run that finishes the rotation.
#[test]
fn cleanup_during_a_half_done_rotation_names_the_run_that_finishes_it() {
    let aws = start();
    aws.unknown_for(NEW_KEYS[0].0, 100);
    let env = files();
    rotate(&env, &aws, &["--wait", "2s"], 1);
    aws.unknown_for(NEW_KEYS[0].0, 0);
    let out = rotate(&env, &aws, &["--cleanup"], 1);
    out.assert_stderr_has(
        "is saved but not yet in use); run `mfa-profile rotate -s default` to finish it first",
    );
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    run_hint(&env, &command, aws.endpoints());
    assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
}

/// src/rotate/mod.rs, `finish`: the swap stopped after one file.
#[test]
fn a_swap_stopped_between_the_files_is_finished_by_the_run_named() {
    let aws = start();
    let env = files();
    let out = Test::on(&env)
        .arg("rotate")
        .args(aws.endpoints())
        .env("MFA_PROFILE_FAILPOINT", "before-rename#4")
        .status(1)
        .run()
        .out;
    out.assert_stderr_has(
        "~/.aws/config already uses the new key, the rest still the old one (both work); run `mfa-profile rotate -s default` again to finish",
    );
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    run_hint(&env, &command, aws.endpoints());
    assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
    assert_eq!(creates(&aws), 1);
}

/// src/rotate/mod.rs, `retire`: IAM refused to deactivate the old key.
#[test]
fn an_old_key_left_active_is_retired_by_the_run_named() {
    let aws = start();
    aws.fault("UpdateAccessKey", Fault::error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:UpdateAccessKey").times(1));
    let env = files();
    let out = rotate(&env, &aws, &[], 1);
    out.assert_stderr_has(&format!(
        "the old key {OLD} is still active in IAM; run `mfa-profile rotate -s default` again to retire it"
    ));
    assert!(aws.keys(USER).iter().all(|k| k.1));
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    run_hint(&env, &command, aws.endpoints()).assert_stderr_has("retiring");
    assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
    assert_eq!(creates(&aws), 1);
}

/// src/rotate/mod.rs, `delete_old`: `--delete` could not delete the deactivated old key.
#[test]
fn an_old_key_left_undeleted_is_deleted_by_the_cleanup_named() {
    let aws = start();
    aws.fault(
        "DeleteAccessKey",
        Fault::error(
            500,
            "ServiceFailure",
            "Request processing has failed due to an unknown error",
        )
        .times(3),
    );
    let env = files();
    let out = rotate(&env, &aws, &["--delete"], 1);
    out.assert_stderr_has(&format!(
        "the old key {OLD} is inactive in IAM but not deleted; run `mfa-profile rotate -s default --cleanup` to delete it"
    ));
    let command = hinted(&out.stderr, "mfa-profile rotate -s default --cleanup");
    run_hint(&env, &command, aws.endpoints());
    assert_rotated(&env, &aws, NEW_KEYS[0], None);
}

/// src/rotate/mod.rs, `create`: CreateAccessKey's answer lost (it came after the client gave
/// up): IAM holds a key whose secret nobody has, and the run named deletes it and starts over.
#[test]
fn a_lost_create_answer_is_cleaned_up_by_the_run_named() {
    let aws = start();
    aws.fault("CreateAccessKey", Fault::delay(LATE));
    let env = files();
    let out = rotate(&env, &aws, &[], 1);
    out.assert_stderr_has(
        "IAM may or may not have created a key (the answer was lost); the files still use the old key and record when the rotation started, so `mfa-profile rotate -s default` run again deletes such a key and starts over",
    );
    assert_eq!(aws.keys(USER).len(), 2, "IAM did create the key");
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    run_hint(&env, &command, aws.endpoints()).assert_stderr_has(&format!(
        "deleted {}, the key the interrupted rotation had IAM create",
        NEW_KEYS[0].0
    ));
    assert_rotated(&env, &aws, NEW_KEYS[1], Some(false));
}

/// src/rotate/mod.rs, `create`: CreateAccessKey refused and the start record could not be
/// cleared; each of the two runs named removes it (it said `rotate --cleanup`, with neither
/// `mfa-profile` nor the source).
#[test]
fn a_start_record_left_behind_is_removed_by_either_run_named() {
    for (hint, cleanup) in [
        ("mfa-profile rotate -s default --cleanup", true),
        ("mfa-profile rotate -s default", false),
    ] {
        let aws = start();
        aws.fault("CreateAccessKey", Fault::error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateAccessKey").times(1));
        let env = files();
        let out = Test::on(&env)
            .arg("rotate")
            .args(aws.endpoints())
            .env("MFA_PROFILE_FAILPOINT", "before-rename#2")
            .status(1)
            .run()
            .out;
        out.assert_stderr_has(
            "but for mfa_rotation_started in [default], which the next `mfa-profile rotate -s default` or `mfa-profile rotate -s default --cleanup` removes",
        );
        assert!(env.read_credentials_text().contains("mfa_rotation_started"));
        run_hint(&env, &hinted(&out.stderr, hint), aws.endpoints());
        if cleanup {
            env.assert_credentials(credentials().as_bytes());
            assert_eq!(aws.keys(USER), [(OLD.to_owned(), true)]);
        } else {
            assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
        }
    }
}

/// src/key_status.rs: a key past the rotation age names the rotation.
#[test]
fn the_rotation_an_old_key_is_due_for_replaces_it() {
    let aws = start();
    let env = files();
    let out = status_keys(&env, &aws);
    out.assert_stderr_has(
        "[default]: older than 90 days: rotate it with `mfa-profile rotate -s default`",
    );
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    run_hint(&env, &command, aws.endpoints());
    assert_rotated(&env, &aws, NEW_KEYS[0], Some(false));
    status_keys(&env, &aws).assert_stderr_lacks("older than");
}

const DENIED: &str = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys with an explicit deny";

/// src/key_status.rs: IAM wants an MFA session and none is valid: the refresh named makes one,
/// and the next `status --keys` is signed with it. (It was printed without backticks.)
#[test]
fn the_refresh_a_denied_key_report_names_makes_the_session_it_needs() {
    let aws = start();
    aws.fault(
        "ListAccessKeys",
        Fault::error(403, "AccessDenied", DENIED).times(1),
    );
    let env = TestEnv::with_credentials(&credentials().replace("2099-01-01", "2001-01-01"));
    env.write_config(&config());
    let status = || status_keys(&env, &aws);
    let out = status();
    out.assert_stderr_has(
        "this call needs an MFA session; refresh [mfa] with `mfa-profile -t mfa` and run again",
    );
    let command = hinted(&out.stderr, "mfa-profile -t mfa");
    run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
    status().assert_stderr_lacks("AccessDenied");
    assert_eq!(
        aws.signers_of("ListAccessKeys"),
        [OLD.to_owned(), session_key_id(2)],
        "the long-term key, then the session the refresh got (the stand-in's second)"
    );
}

/// src/app/key_status.rs: a source whose only target is a role's has no session target yet;
/// the hint named `mfa-profile -t work-mfa`, which refuses a target with no recorded source.
#[test]
fn the_refresh_named_for_a_source_with_only_a_role_target_creates_its_session() {
    let aws = start();
    aws.fault(
        "ListAccessKeys",
        Fault::error(403, "AccessDenied", DENIED).times(1),
    );
    let env = TestEnv::with_credentials(&format!(
        "[work]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n\n{}mfa_role_arn = arn:aws:iam::123456789012:role/admin\n",
        managed("admin", "work", "2001-01-01T00:00:00Z")
    ));
    env.write_config("[profile work]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n");
    let status = || status_keys(&env, &aws);
    let out = status();
    out.assert_stderr_has("refresh [work-mfa] with `mfa-profile -s work` and run again");
    let command = hinted(&out.stderr, "mfa-profile -s work");
    run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    status().assert_stderr_lacks("AccessDenied");
    assert_eq!(
        aws.signers_of("ListAccessKeys"),
        [OLD.to_owned(), session_key_id(2)],
        "the long-term key, then the session the refresh got (the stand-in's second)"
    );
}

/// A hint that leaves a code command to the user as well as the endpoints.
#[test]
fn the_rotation_named_when_no_session_is_valid_asks_its_code() {
    let aws = start();
    let env = TestEnv::with_credentials(&credentials().replace("2099-01-01", "2001-01-01"));
    env.write_config(&config());
    let out = status_keys(&env, &aws);
    let command = hinted(&out.stderr, "mfa-profile rotate -s default");
    let mut extra = vec!["--code-command".to_owned(), "echo 123456".to_owned()];
    extra.extend(aws.endpoints());
    run_hint(&env, &command, extra)
        .assert_stderr_has("the IAM calls need an MFA session of [default]: refreshing [mfa]");
    assert_eq!(
        sdk_value(&env.read_credentials_text(), "default", "aws_access_key_id").as_deref(),
        Some(NEW_KEYS[0].0)
    );
}
