//! The hints of first contact: what `status`, `refresh --all`, `status --keys` and `doctor`
//! name when nothing is managed yet, and what a refresh of a target that does not exist names
//! (`profile::create_hint`); each command, word for word, makes the first source or session.

use crate::support::rotation::{OLD, OLD_SECRET};
use crate::support::*;

fn keys_and_code() -> String {
    format!("{OLD}\n{OLD_SECRET}\n123456\n")
}

/// Runs the setup `command` names in `env` with the keys and a code piped in; it succeeds.
fn run_setup_hint(env: &TestEnv, command: &str, aws: &StandIn) -> Run {
    hint(env, command, aws.endpoints())
        .stdin(keys_and_code())
        .run()
        .out
}

/// src/profile/managed.rs, `NO_SOURCE_YET` (through `first_refresh_hint`): no profile holds
/// keys; `status`, `refresh --all` and `status --keys` name `setup`, which writes [default] and
/// makes [mfa].
#[test]
fn with_no_keys_the_setup_named_writes_the_first_source_and_session() {
    for args in [
        vec!["status"],
        vec!["refresh", "--all"],
        vec!["status", "--keys"],
    ] {
        let aws = StandIn::for_files();
        let env = TestEnv::new();
        let out = Test::on(&env).args(&args).status(0).run().out;
        out.assert_stderr_has(
            "no profile holds long-term keys yet: run `mfa-profile setup`, which asks for your IAM user's access key, writes it into [default] and makes the first session",
        );
        run_setup_hint(&env, &hinted(&out.stderr, "mfa-profile setup"), &aws)
            .assert_code(0)
            .assert_stderr_has("wrote the long-term keys of IAM user alice into [default]")
            .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
        assert_eq!(
            sdk_value(&env.read_credentials_text(), "default", "aws_access_key_id").as_deref(),
            Some(OLD),
            "{args:?}"
        );
    }
}

/// src/doctor.rs: the credentials file does not exist.
#[test]
fn the_setup_doctor_names_for_a_missing_credentials_file_writes_it() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let out = Test::on(&env).arg("doctor").status(0).run().out;
    out.assert_stdout_has(
        "does not exist: no profile has keys yet; `mfa-profile setup` asks for your IAM user's access key and writes it here",
    );
    assert!(!env.credentials().exists());
    run_setup_hint(&env, &hinted(&out.stdout, "mfa-profile setup"), &aws).assert_code(0);
    assert_eq!(
        sdk_value(&env.read_credentials_text(), "default", "aws_access_key_id").as_deref(),
        Some(OLD)
    );
}

/// src/refresh/plan/request.rs: `-s wrok` with no keys anywhere named a plain `setup`, which
/// writes [default], not the source asked for.
#[test]
fn the_setup_named_for_a_missing_source_writes_that_source() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let out = Test::on(&env)
        .args(["-s", "wrok", "123456"])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has(
        "source profile [wrok] is in neither the credentials nor the config file; no profile holds long-term keys yet: run `mfa-profile setup -s wrok`",
    );
    run_setup_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile setup -s wrok"),
        &aws,
    )
    .assert_code(0)
    .assert_stderr_has("wrote [wrok-mfa] in ~/.aws/credentials from [wrok]");
    Test::on(&env)
        .args(["-s", "wrok", "123456"])
        .status(0)
        .run()
        .out
        .assert_stderr_has("[wrok-mfa] is still valid");
}

/// src/profile/new_target.rs: a target named with no profile holding keys.
#[test]
fn the_setup_named_for_a_new_target_with_no_keys_creates_that_target() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let out = Test::on(&env)
        .args(["-t", "prod", "123456"])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has(
        "no profile holds long-term keys yet: `mfa-profile setup -t prod` asks for your IAM user's access key, writes it into [default] and creates [prod]",
    );
    run_setup_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile setup -t prod"),
        &aws,
    )
    .assert_code(0)
    .assert_stderr_has("wrote [prod] in ~/.aws/credentials from [default]");
    let text = env.read_credentials_text();
    assert!(!text.contains("[mfa]"), "{text}");
}

/// src/profile/managed.rs, `first_refresh_hint`: keys in [default] and nothing managed.
#[test]
fn with_keys_in_default_the_refresh_named_creates_mfa() {
    for args in [
        vec!["status"],
        vec!["refresh", "--all"],
        vec!["status", "--keys"],
    ] {
        let aws = StandIn::start();
        let env = TestEnv::with_credentials(&default_source());
        let out = Test::on(&env).args(&args).status(0).run().out;
        out.assert_stderr_has(
            "run `mfa-profile` to create [mfa] from [default] (it asks for the MFA code)",
        );
        run_hint(
            &env,
            &hinted(&out.stderr, "mfa-profile"),
            ["123456", "--endpoint-url", &aws.url()],
        )
        .assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
        assert_eq!(aws.signers(), [AKID], "{args:?}");
    }
}

/// src/profile/managed.rs, `first_refresh_hint`: [default]'s own target [mfa] holds long-term
/// keys itself, and `mfa-profile` refuses to overwrite them; the hint names a source whose
/// target can be written.
#[test]
fn the_first_refresh_named_never_overwrites_long_term_keys() {
    let aws = StandIn::start();
    aws.add_bob();
    let text = format!(
        "{}\n[mfa]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n",
        default_source()
    );
    let env = TestEnv::with_credentials(&text);
    let out = Test::on(&env).arg("status").status(0).run().out;
    out.assert_stderr_has(
        "run `mfa-profile -s mfa` to create [mfa-mfa] from [mfa] (it asks for the MFA code)",
    );
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s mfa"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [mfa-mfa] in ~/.aws/credentials from [mfa]");
    assert!(env.read_credentials_text().starts_with(&text), "untouched");
}

/// src/profile/new_target.rs: a name one edit from a managed target.
#[test]
fn the_target_a_typo_is_near_is_refreshed_by_the_command_named() {
    let aws = StandIn::start();
    aws.add_bob();
    let env = TestEnv::with_credentials(&format!(
        "{TWO_USERS}\n{}",
        managed("prod", "work", "2001-01-01T00:00:00Z")
    ));
    let out = Test::on(&env)
        .args(["-t", "prdo", "123456"])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has("did you mean [prod]? `mfa-profile -t prod` refreshes it");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -t prod"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [prod] in ~/.aws/credentials from [work]");
    assert_eq!(aws.signers(), [BOB_KEY]);
    assert!(!env.read_credentials_text().contains("[prdo]"));
}

/// src/profile/new_target.rs: more than three sources; one is named, "say".
#[test]
fn the_source_named_among_many_creates_the_target() {
    let aws = StandIn::start();
    let sources: String = ["a", "b", "c", "d"]
        .iter()
        .map(|s| format!("[{s}]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"))
        .collect();
    let env = TestEnv::with_credentials(&sources);
    let out = Test::on(&env)
        .args(["-t", "x", "123456"])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has(
        "to create [x], name its source ([a], [b], [c], [d]): `mfa-profile -s a -t x`, say",
    );
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s a -t x"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [x] in ~/.aws/credentials from [a]");
}

/// src/profile/managed.rs, `first_refresh_hint`: a source whose own target's name would pass
/// the 128-character limit; a name that can be written is offered.
#[test]
fn the_first_refresh_named_for_a_source_with_a_long_name_writes_a_valid_target() {
    let aws = StandIn::start();
    let long = "s".repeat(125);
    let env = TestEnv::with_credentials(&format!(
        "[{long}]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
    ));
    let out = Test::on(&env).arg("status").status(0).run().out;
    out.assert_stderr_has(&format!(
        "run `mfa-profile -s {long} -t mfa-session` to create [mfa-session] from [{long}]"
    ));
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s s"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has(&format!(
        "wrote [mfa-session] in ~/.aws/credentials from [{long}]"
    ));
}
