//! The hints of the commands that hand a session out (`export`, and `exec` and
//! `credential-process` through the same decision): each refusal names the refresh that makes
//! a session to hand out, and after it, word for word, the handout works.

use crate::support::*;

/// The last session `aws` issued.
fn last_session(aws: &StandIn) -> String {
    aws.issued_keys().pop().expect("a session issued")
}

/// `export TARGET` hands out the last session `aws` issued.
fn exports(env: &TestEnv, target: &str, aws: &StandIn) {
    env.next_code_window();
    Test::on(env)
        .args(["export", target])
        .stdout_has(&format!("export AWS_ACCESS_KEY_ID='{}'", last_session(aws)))
        .run();
}

/// src/handout.rs, `choose_target`: `AWS_PROFILE` names a source with no session yet.
#[test]
fn the_session_named_for_a_source_in_aws_profile_is_then_handed_out() {
    let aws = StandIn::start();
    aws.add_bob();
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = Test::on(&env)
        .arg("export")
        .env("AWS_PROFILE", "work")
        .status(2)
        .run()
        .out;
    out.assert_stderr_has(
        "AWS_PROFILE=work names [work], a source with no session yet: create one with `mfa-profile -s work`",
    );
    // Run in the same shell, AWS_PROFILE still set.
    let command = hinted(&out.stderr, "mfa-profile -s work");
    hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
        .env("AWS_PROFILE", "work")
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
    assert_eq!(aws.signers(), [BOB_KEY], "bob's key");
    Test::on(&env)
        .arg("export")
        .env("AWS_PROFILE", "work")
        .stdout_has(&format!(
            "export AWS_ACCESS_KEY_ID='{}'",
            last_session(&aws)
        ))
        .run();
}

/// src/handout.rs, `decide`: an expired session is not handed out without `--refresh`.
#[test]
fn the_refresh_named_for_an_expired_session_renews_it() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    ));
    let out = Test::on(&env).args(["export", "mfa"]).status(1).run().out;
    out.assert_stderr_has("refresh it with `mfa-profile -t mfa`, or add --refresh");
    let command = hinted(&out.stderr, "mfa-profile -t mfa");
    run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
    exports(&env, "mfa", &aws);
}

/// src/handout.rs, `not_managed`: a source's name given as the target.
#[test]
fn the_session_named_for_a_profile_of_long_term_keys_is_then_handed_out() {
    let aws = StandIn::start();
    aws.add_bob();
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = Test::on(&env).args(["export", "work"]).status(2).run().out;
    out.assert_stderr_has(
        "holds long-term keys, not a session; make a session from it with `mfa-profile -s work`",
    );
    let command = hinted(&out.stderr, "mfa-profile -s work");
    run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    Test::on(&env)
        .args(["export", "work"])
        .status(2)
        .run()
        .out
        .assert_stderr_has("use its session target [work-mfa]");
    exports(&env, "work-mfa", &aws);
}

/// src/handout.rs, `no_session`: a target whose session was pruned (it keeps only what it
/// records).
#[test]
fn the_refresh_named_for_a_target_with_no_session_fills_it() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n[mfa]\nmfa_source_profile = default\n",
        default_source()
    ));
    let out = Test::on(&env).args(["export", "mfa"]).status(2).run().out;
    out.assert_stderr_has("refresh it with `mfa-profile -t mfa --force`");
    let command = hinted(&out.stderr, "mfa-profile -t mfa --force");
    run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
    exports(&env, "mfa", &aws);
}

/// src/handout.rs, `missing_target`: a target that does not exist, far from any managed one,
/// gets `create_hint`'s commands; each creates it from the source it names.
#[test]
fn each_source_named_for_a_missing_target_creates_it_for_the_handout() {
    for (source, key) in [
        ("default", "AKIAIOSFODNN7EXAMPLE"),
        ("work", "AKIAI44QH8DHBEXAMPLE"),
    ] {
        let aws = StandIn::start();
        aws.add_bob();
        let env = TestEnv::with_credentials(TWO_USERS);
        let out = Test::on(&env).args(["export", "prod"]).status(2).run().out;
        out.assert_stderr_has(
            "does not exist (mfa-profile manages none yet); to create [prod], name its source:",
        );
        let command = hinted(&out.stderr, &format!("mfa-profile -s {source} "));
        run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
            .assert_code(0)
            .assert_stderr_has(&format!(
                "wrote [prod] in ~/.aws/credentials from [{source}]"
            ));
        assert_eq!(aws.signers(), [key]);
        exports(&env, "prod", &aws);
    }
}
