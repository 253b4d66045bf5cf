//! The hints of refreshes that need more than was given: a code that cannot be asked for (the
//! rerun the `NeedsCode` error names), a derived target's base (the `--via` tip, `BadBase`,
//! `status` and its stale bases), `doctor`'s expired sessions and `prune`'s two commands.

use super::{hint_words, hinted_commands};
use crate::support::*;

const ADMIN: &str = "arn:aws:iam::123456789012:role/admin";

/// src/app/refresh.rs, `suggest_via`: a role target that took a code of its own.
#[test]
fn the_via_tip_assumes_the_role_with_the_sessions_key_and_no_code() {
    let aws = StandIn::start();
    aws.add_device(USER, &format!("{SERIAL}-2"));
    // The source names no device: each target records its own, so the second code is for
    // another device and needs no wait for the next 30 s window.
    let expired = "2001-01-01T00:00:00Z";
    let env = TestEnv::with_credentials(&format!(
        "[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n\n{}mfa_serial_number = {SERIAL}\n\n{}mfa_role_arn = {ADMIN}\nmfa_serial_number = {SERIAL}-2\n",
        managed("mfa", "default", expired),
        managed("admin", "default", expired),
    ));
    let out = Test::on(&env)
        .args([
            "refresh",
            "--all",
            "--code-command",
            "echo 123456",
            "--endpoint-url",
            &aws.url(),
        ])
        .status(0)
        .run()
        .out;
    out.assert_stderr_has("tip: `mfa-profile -t admin --via mfa --force` assumes [admin]'s role with [mfa]'s session from now on, with no code of its own");
    let before = aws.calls().len();
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -t admin --via mfa --force"),
        ["--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session");
    let sent = &aws.calls()[before..];
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].action == "AssumeRole" && param(&sent[0], "TokenCode").is_none(),
        "{sent:?}"
    );
    let session = sdk_value(&env.read_credentials_text(), "mfa", "aws_access_key_id").unwrap();
    assert_eq!(aws.signers()[before..], [session], "[mfa]'s session signs");
    assert_eq!(
        sdk_value(&env.read_credentials_text(), "admin", "mfa_via").as_deref(),
        Some("mfa")
    );
}

/// src/error.rs, `NeedsCode`: both commands it names, for a new role target (the rerun lacked
/// the session name and the length asked for).
#[test]
fn the_commands_a_refresh_with_no_way_to_ask_a_code_names_do_what_was_asked() {
    let aws = StandIn::start();
    aws.add_bob();
    let asked = [
        "-s",
        "work",
        "-t",
        "prod",
        "--role-arn",
        ADMIN,
        "--role-session-name",
        "deploy",
        "--duration",
        "2h",
        "--no-input",
    ];
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = Test::on(&env)
        .args(asked)
        .args(["--endpoint-url", &aws.url()])
        .status(4)
        .run()
        .out;
    let rerun = format!(
        "mfa-profile -s work -t prod --role-arn {ADMIN} --role-session-name deploy --duration 7200"
    );
    out.assert_stderr_has(&format!(
        "and --no-input forbids asking for it; run `{rerun}` in a terminal, pass the code (`{rerun} 123456`)"
    ));
    let commands = hinted_commands(&out.stderr);
    assert_eq!(commands, [rerun.clone(), format!("{rerun} 123456")]);
    let written = |env: &TestEnv| {
        let text = env.read_credentials_text();
        for (key, value) in [
            ("mfa_source_profile", "work"),
            ("mfa_role_arn", ADMIN),
            ("mfa_role_session_name", "deploy"),
            ("mfa_duration", "7200"),
        ] {
            assert_eq!(
                sdk_value(&text, "prod", key).as_deref(),
                Some(value),
                "{text}"
            );
        }
    };
    // The code passed.
    run_hint(&env, &commands[1], ["--endpoint-url", &aws.url()])
        .assert_code(0)
        .assert_stderr_has("wrote [prod] in ~/.aws/credentials from [work]");
    written(&env);
    let sent = aws.calls();
    assert!(
        param(&sent[0], "RoleSessionName") == Some("deploy")
            && param(&sent[0], "DurationSeconds") == Some("7200"),
        "{sent:?}"
    );
    // On a terminal, in the device's next window.
    aws.next_code_window();
    let env = TestEnv::with_credentials(TWO_USERS);
    let mut args = hint_words(&commands[0]);
    let url = aws.url();
    args.extend(["--endpoint-url", &url]);
    let Some(ran) =
        crate::support::pty::on_terminal(&env, &[], &args, &[("MFA code for", "123456\r")])
    else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    written(&env);
}

/// src/refresh/derive.rs: a derived target whose base needs a code named the base's refresh
/// alone (`mfa-profile -t mfa`), which never creates the derived target.
#[test]
fn the_command_named_when_a_bases_code_cannot_be_asked_renews_both() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    ));
    let out = Test::on(&env)
        .args([
            "-t",
            "admin",
            "--role-arn",
            ADMIN,
            "--via",
            "mfa",
            "--no-input",
        ])
        .args(["--endpoint-url", &aws.url()])
        .status(4)
        .run()
        .out;
    let rerun = format!("mfa-profile -t admin --role-arn {ADMIN} --via mfa");
    out.assert_stderr_has(&format!(
        "[admin] needs an MFA code for {SERIAL} and --no-input forbids asking for it; run `{rerun}` in a terminal, pass the code (`{rerun} 123456`)"
    ));
    run_hint(
        &env,
        &hinted_commands(&out.stderr)[1],
        ["--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("refreshed [mfa] first")
    .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session");
    let text = env.read_credentials_text();
    assert_eq!(sdk_value(&text, "admin", "mfa_via").as_deref(), Some("mfa"));
    assert_eq!(
        sdk_value(&text, "admin", "mfa_role_arn").as_deref(),
        Some(ADMIN)
    );
}

/// src/refresh/plan/derived.rs, `BadBase`: the base named with `--via` is not a managed target;
/// the command named creates it, and the derived refresh then needs no code.
#[test]
fn the_base_named_for_a_derived_target_is_created_by_the_command_named() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let derive = |env: &TestEnv, status: i32| {
        Test::on(env)
            .args(["-t", "admin", "--role-arn", ADMIN, "--via", "base"])
            .args(["--endpoint-url", &aws.url()])
            .status(status)
            .run()
            .out
    };
    let out = derive(&env, 2);
    out.assert_stderr_has(
        "[admin] cannot derive from [base]: it is not a target mfa-profile manages; to create [base], name its source: `mfa-profile -s default -t base`",
    );
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s default -t base"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [base] in ~/.aws/credentials from [default]");
    derive(&env, 0).assert_stderr_has("wrote [admin] in ~/.aws/credentials from [base]'s session");
}

fn derived_day(base: Option<&str>) -> String {
    format!(
        "{}\n{}\n{}mfa_role_arn = {ADMIN}\nmfa_via = mfa\n",
        default_source(),
        base.map(|expiration| managed("mfa", "default", expiration))
            .unwrap_or_default(),
        managed("admin", "default", "2001-01-01T00:00:00Z")
    )
}

/// src/status.rs, `stale_bases`: a derived target whose base has expired.
#[test]
fn the_refresh_status_names_for_an_expired_base_renews_both_with_one_code() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&derived_day(Some("2001-01-01T00:00:00Z")));
    let out = Test::on(&env).arg("status").status(0).run().out;
    out.assert_stderr_has("[admin] derives from [mfa], which has expired: `mfa-profile -t admin` asks one code, for [mfa]'s MFA device, then renews both");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -t admin"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("refreshed [mfa] first")
    .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session");
    let sent = aws.calls();
    assert_eq!(sent.len(), 2);
    assert!(sent[0].action == "GetSessionToken" && param(&sent[0], "TokenCode") == Some("123456"));
    assert!(sent[1].action == "AssumeRole" && param(&sent[1], "TokenCode").is_none());
}

/// src/status.rs, `stale_bases`: the base is missing; `mfa-profile -t admin` refuses a base
/// that is not a managed target, so the base is named to be made again first.
#[test]
fn the_commands_status_names_for_a_missing_base_make_it_then_renew_the_derived_target() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&derived_day(None));
    let out = Test::on(&env).arg("status").status(0).run().out;
    out.assert_stderr_has("[admin] derives from [mfa], which is missing: `mfa-profile -s default -t mfa` makes it again (one code), then `mfa-profile -t admin` renews [admin] with no code of its own");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s default -t mfa"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
    // No code given, none can be asked for: it needs none.
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -t admin"),
        ["--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [mfa]'s session");
}

/// src/doctor.rs, `managed_state`: an expired session, and one with no readable expiration.
#[test]
fn the_refresh_doctor_names_for_a_stale_session_renews_it() {
    for (expiration, says, hint) in [
        (
            "2001-01-01T00:00:00Z",
            "the session from [default] expired on 2001-01-01 00:00 UTC; run `mfa-profile -t mfa`",
            "mfa-profile -t mfa",
        ),
        (
            "soon",
            "a session from [default] with no readable expiration; run `mfa-profile -t mfa --force`",
            "mfa-profile -t mfa --force",
        ),
    ] {
        let aws = StandIn::for_files();
        let env = TestEnv::with_credentials(&format!(
            "{}\n{}",
            default_source(),
            managed("mfa", "default", expiration)
        ));
        // Private, so that what doctor finds is the session alone (a note: exit 0).
        std::fs::set_permissions(
            env.credentials(),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        let out = Test::on(&env).arg("doctor").stdout_has(says).run().out;
        run_hint(
            &env,
            &hinted(&out.stdout, hint),
            ["123456", "--endpoint-url", &aws.url()],
        )
        .assert_code(0)
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
        assert_eq!(
            sdk_value(&env.read_credentials_text(), "mfa", "expiration").as_deref(),
            Some("2099-01-01T00:00:00Z")
        );
    }
}

/// src/app/prune.rs: what `prune` says of the sessions it cleared: `refresh --all` renews
/// them, `prune NAMES` removes them for good.
#[test]
fn both_commands_prune_names_do_what_it_says() {
    let expired = "2001-01-01T00:00:00Z";
    let text = format!(
        "{TWO_USERS}\n{}\n{}",
        managed("mfa", "default", expired),
        managed("work-mfa", "work", expired)
    );
    let pruned = || {
        let env = TestEnv::with_credentials(&text);
        let out = Test::on(&env).arg("prune").status(0).run().out;
        out.assert_stderr_has("what each records stays, so `mfa-profile refresh --all` renews them; `mfa-profile prune mfa work-mfa` removes them for good");
        (env, out)
    };
    let aws = StandIn::start();
    aws.add_bob();
    let (env, out) = pruned();
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile refresh --all"),
        [
            "--code-command",
            "echo 123456",
            "--endpoint-url",
            &aws.url(),
        ],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]")
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    let (env, out) = pruned();
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile prune mfa work-mfa"),
        NO_ARGS,
    )
    .assert_code(0)
    .assert_stderr_has("removed [mfa] from ~/.aws/credentials")
    .assert_stderr_has("removed [work-mfa] from ~/.aws/credentials");
    env.assert_credentials(format!("{TWO_USERS}\n").as_bytes());
}
