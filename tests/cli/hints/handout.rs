//! The hints of the commands that hand a session out (`export`, and `exec` and
//! `credential-process` through the same decision): each refusal names the refresh that makes
//! a session to hand out, and after it, word for word, the handout works.

use super::{hint_command, hinted, run_hint, TWO_USERS};
use crate::support::*;

/// `export TARGET` hands out the canned session.
fn exports(env: &TestEnv, target: &str) {
    env.next_code_window();
    run(env.mfa().args(["export", target]))
        .assert_code(0)
        .assert_stdout_has(&format!("export AWS_ACCESS_KEY_ID='{CANNED_KEY}'"));
}

/// src/handout.rs, `choose_target`: `AWS_PROFILE` names a source with no session yet.
#[test]
fn the_session_named_for_a_source_in_aws_profile_is_then_handed_out() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = run(env.mfa().arg("export").env("AWS_PROFILE", "work"));
    out.assert_code(2).assert_stderr_has(
        "AWS_PROFILE=work names [work], a source with no session yet: create one with `mfa-profile -s work`",
    );
    // Run in the same shell, AWS_PROFILE still set.
    let command = hinted(&out.stderr, "mfa-profile -s work");
    run(
        hint_command(&env, &command, &["123456", "--endpoint-url", &sts.url()])
            .env("AWS_PROFILE", "work"),
    )
    .assert_code(0)
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    assert_eq!(sts.signing_keys(), ["AKIAI44QH8DHBEXAMPLE"], "bob's key");
    run(env.mfa().arg("export").env("AWS_PROFILE", "work"))
        .assert_code(0)
        .assert_stdout_has(&format!("export AWS_ACCESS_KEY_ID='{CANNED_KEY}'"));
}

/// src/handout.rs, `decide`: an expired session is not handed out without `--refresh`.
#[test]
fn the_refresh_named_for_an_expired_session_renews_it() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    ));
    let out = run(env.mfa().args(["export", "mfa"]));
    out.assert_code(1)
        .assert_stderr_has("refresh it with `mfa-profile -t mfa`, or add --refresh");
    let command = hinted(&out.stderr, "mfa-profile -t mfa");
    run_hint(&env, &command, &["123456", "--endpoint-url", &sts.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
    exports(&env, "mfa");
}

/// src/handout.rs, `not_managed`: a source's name given as the target.
#[test]
fn the_session_named_for_a_profile_of_long_term_keys_is_then_handed_out() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = run(env.mfa().args(["export", "work"]));
    out.assert_code(2).assert_stderr_has(
        "holds long-term keys, not a session; make a session from it with `mfa-profile -s work`",
    );
    let command = hinted(&out.stderr, "mfa-profile -s work");
    run_hint(&env, &command, &["123456", "--endpoint-url", &sts.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    run(env.mfa().args(["export", "work"]))
        .assert_code(2)
        .assert_stderr_has("use its session target [work-mfa]");
    exports(&env, "work-mfa");
}

/// src/handout.rs, `no_session`: a target whose session was pruned (it keeps only what it
/// records).
#[test]
fn the_refresh_named_for_a_target_with_no_session_fills_it() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n[mfa]\nmfa_source_profile = default\n",
        default_source()
    ));
    let out = run(env.mfa().args(["export", "mfa"]));
    out.assert_code(2)
        .assert_stderr_has("refresh it with `mfa-profile -t mfa --force`");
    let command = hinted(&out.stderr, "mfa-profile -t mfa --force");
    run_hint(&env, &command, &["123456", "--endpoint-url", &sts.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
    exports(&env, "mfa");
}

/// src/handout.rs, `missing_target`: a target that does not exist, far from any managed one,
/// gets `create_hint`'s commands; each creates it from the source it names.
#[test]
fn each_source_named_for_a_missing_target_creates_it_for_the_handout() {
    for (source, key) in [
        ("default", "AKIAIOSFODNN7EXAMPLE"),
        ("work", "AKIAI44QH8DHBEXAMPLE"),
    ] {
        let sts = CannedSts::start();
        let env = TestEnv::with_credentials(TWO_USERS);
        let out = run(env.mfa().args(["export", "prod"]));
        out.assert_code(2).assert_stderr_has(
            "does not exist (mfa-profile manages none yet); to create [prod], name its source:",
        );
        let command = hinted(&out.stderr, &format!("mfa-profile -s {source} "));
        run_hint(&env, &command, &["123456", "--endpoint-url", &sts.url()])
            .assert_code(0)
            .assert_stderr_has(&format!(
                "wrote [prod] in ~/.aws/credentials from [{source}]"
            ));
        assert_eq!(sts.signing_keys(), [key]);
        exports(&env, "prod");
    }
}
