//! The hints of `setup` and of the keychain: the commands a finished, a half-finished and a
//! refused setup name, and the setup `source-keys` names when the keychain has no item.

use super::{hint_words, hinted_commands};
use crate::support::keychain::in_keyring_session;
use crate::support::rotation::{NEW_KEYS, OLD, OLD_SECRET};
use crate::support::*;

const DEVICE: &str = SERIAL;

/// The stand-in for setup: alice's keys ([`OLD`]) and device, every session expiring in 2099,
/// CreateAccessKey giving [`NEW_KEYS`].
fn fake() -> StandIn {
    let aws = StandIn::for_files();
    aws.queue_new_keys(&NEW_KEYS);
    aws
}

fn keys_and_code() -> String {
    format!("{OLD}\n{OLD_SECRET}\n123456\n")
}

/// As if the sessions had run out since, and the next 30 s window had come.
fn time_passes(env: &TestEnv, aws: &StandIn) {
    aws.next_code_window();
    let text = env
        .read_credentials_text()
        .replace("2099-01-01T00:00:00Z", "2001-01-01T00:00:00Z");
    env.write_credentials(text.as_bytes());
    env.next_code_window();
}

fn expiration(env: &TestEnv, target: &str) -> Option<String> {
    sdk_value(&env.read_credentials_text(), target, "expiration")
}

/// src/app/setup.rs, `run`: the three commands a finished setup names.
#[test]
fn each_command_a_finished_setup_names_does_what_it_says() {
    let aws = fake();
    let env = TestEnv::new();
    let out = Test::on(&env)
        .args(["setup", "-s", "work"])
        .args(aws.endpoints())
        .stdin(keys_and_code())
        .run()
        .out;
    out.assert_stderr_has("[work] is set up; `mfa-profile -s work` (or `mfa-profile refresh --all`) refreshes [work-mfa], `mfa-profile rotate -s work` rotates its key");
    let url = aws.url();
    for (command, extra) in [
        ("mfa-profile -s work", ["123456", "--endpoint-url", &url]),
        (
            "mfa-profile refresh --all",
            ["--code-command=echo 123456", "--endpoint-url", &url],
        ),
    ] {
        time_passes(&env, &aws);
        run_hint(&env, &hinted(&out.stderr, command), extra)
            .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
        assert_eq!(
            expiration(&env, "work-mfa").as_deref(),
            Some("2099-01-01T00:00:00Z")
        );
    }
    assert_eq!(aws.signers_of("GetSessionToken"), [OLD, OLD, OLD]);
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile rotate -s work"),
        aws.endpoints(),
    )
    .assert_stderr_has(&format!(
        "rotated [work] (IAM user alice): {} replaces {OLD}",
        NEW_KEYS[0].0
    ));
    assert_eq!(
        sdk_value(&env.read_credentials_text(), "work", "aws_access_key_id").as_deref(),
        Some(NEW_KEYS[0].0)
    );
}

/// src/app/setup.rs, `run` and `first_refresh`: with `-t`, the finished setup named
/// `mfa-profile -s work`, which refreshes [work-mfa], not the target set up; and a failed first
/// refresh named the same.
#[test]
fn the_refresh_setup_names_reaches_the_target_it_set_up_or_failed_to() {
    for (target, refreshes) in [(None, "work-mfa"), (Some("prod"), "prod")] {
        let mut args = vec!["setup", "-s", "work"];
        args.extend(target.map(|t| ["-t", t]).into_iter().flatten());
        // A finished setup.
        let aws = fake();
        let env = TestEnv::new();
        let out = Test::on(&env)
            .args(&args)
            .args(aws.endpoints())
            .stdin(keys_and_code())
            .stderr_has(&format!("refreshes [{refreshes}]"))
            .run()
            .out;
        time_passes(&env, &aws);
        let command = hinted(&out.stderr, "mfa-profile -s work");
        run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()]).assert_stderr_has(
            &format!("wrote [{refreshes}] in ~/.aws/credentials from [work]"),
        );
        // A setup whose first refresh failed.
        let aws = fake();
        aws.fault(
            "GetSessionToken",
            Fault::error(
                403,
                "AccessDenied",
                "MultiFactorAuthentication failed with invalid MFA one time pass code.",
            ),
        );
        let env = TestEnv::new();
        let out = Test::on(&env)
            .args(&args)
            .args(aws.endpoints())
            .stdin(keys_and_code())
            .status(3)
            .stderr_has(
                "[work] is written, but its first refresh failed (below); `mfa-profile -s work",
            )
            .run()
            .out;
        assert_eq!(expiration(&env, refreshes), None, "no session yet");
        env.next_code_window();
        aws.next_code_window();
        let command = hinted(&out.stderr, "mfa-profile -s work");
        run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()]).assert_stderr_has(
            &format!("wrote [{refreshes}] in ~/.aws/credentials from [work]"),
        );
        if refreshes != "work-mfa" {
            let text = env.read_credentials_text();
            assert!(!text.contains("[work-mfa]"), "{text}");
        }
    }
}

/// src/app/setup.rs, `migrate`: the commands named once aws-mfa's layout is taken over.
#[test]
fn the_commands_named_after_taking_over_aws_mfa_refresh_its_session() {
    let aws = fake();
    let env = TestEnv::with_credentials(&format!(
        "[default-long-term]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\naws_mfa_device = {DEVICE}\n\n[default]\nassumed_role = False\naws_access_key_id = ASIAOLDSESSION\naws_secret_access_key = old\naws_session_token = old\naws_security_token = old\nexpiration = 2020-01-01 00:00:00\n"
    ));
    let out = Test::on(&env)
        .args(["setup", "--yes"])
        .args(aws.endpoints())
        .stdin("123456\n")
        .run()
        .out;
    out.assert_stderr_has("took over aws-mfa's [default-long-term] -> [default]; `mfa-profile -t default` (or `mfa-profile refresh --all`) refreshes it from now on");
    for (command, extra) in [
        ("mfa-profile -t default", "123456"),
        ("mfa-profile refresh --all", "--code-command=echo 123456"),
    ] {
        time_passes(&env, &aws);
        run_hint(
            &env,
            &hinted(&out.stderr, command),
            [extra, "--endpoint-url", &aws.url()],
        )
        .assert_stderr_has("wrote [default] in ~/.aws/credentials from [default-long-term]");
        assert_eq!(
            expiration(&env, "default").as_deref(),
            Some("2099-01-01T00:00:00Z")
        );
    }
}

/// src/setup.rs, `check_new_source`: a source that holds long-term keys is refused with the
/// rotation that replaces them; one that holds anything else is not sent to `rotate`, which
/// would refuse it.
#[test]
fn setup_on_a_taken_name_names_rotate_only_where_rotate_works() {
    let aws = fake();
    let keys =
        format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n");
    let env = TestEnv::with_credentials(&keys);
    let out = Test::on(&env)
        .arg("setup")
        .args(aws.endpoints())
        .status(2)
        .run()
        .out;
    out.assert_stderr_has(
        "[default] already holds credentials in ~/.aws/credentials; `mfa-profile rotate -s default` replaces its key, or choose another name with -s",
    );
    let mut extra = vec!["--code-command".to_owned(), "echo 123456".to_owned()];
    extra.extend(aws.endpoints());
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile rotate -s default"),
        extra,
    )
    .assert_stderr_has(&format!(
        "rotated [default] (IAM user alice): {} replaces {OLD}",
        NEW_KEYS[0].0
    ));
    assert_eq!(
        sdk_value(&env.read_credentials_text(), "default", "aws_access_key_id").as_deref(),
        Some(NEW_KEYS[0].0)
    );

    for (credentials, config, what) in [
        (
            managed("mfa", "default", "2099-01-01T00:00:00Z"),
            "",
            "[mfa] already is a target mfa-profile writes sessions into; choose another name with -s",
        ),
        (
            String::new(),
            "[profile mfa]\ncredential_process = /usr/bin/keys-of mfa\n",
            "[mfa] already has credential_process in the config file; choose another name with -s",
        ),
        (
            String::new(),
            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n",
            "[mfa] already has role_arn in the config file; choose another name with -s",
        ),
    ] {
        let env = TestEnv::with_credentials(&credentials);
        env.write_config(config);
        let out = Test::on(&env)
            .args(["setup", "-s", "mfa"])
            .args(aws.endpoints())
            .status(2)
            .stderr_has(what)
            .run()
            .out;
        assert!(hinted_commands(&out.stderr).is_empty(), "{out}");
    }
}

/// src/app/keychain.rs: `source-keys` with no item names the setup that stores one; that
/// setup, word for word, stores it, and the command it says the profile runs gives the keys.
#[test]
fn the_setup_an_empty_keychain_names_stores_the_keys() {
    let aws = fake();
    let env = TestEnv::new();
    let Some(out) = in_keyring_session(&env, &["source-keys", "work"], "") else {
        return;
    };
    out.assert_code(1).assert_stderr_has(
        "the keychain holds no keys for [work] (store them with `mfa-profile setup -s work --keychain`)",
    );
    let command = hinted(&out.stderr, "mfa-profile setup -s work --keychain");
    let endpoints = aws.endpoints();
    let mut args = hint_words(&command);
    args.extend(endpoints.iter().map(String::as_str));
    let Some(setup) = in_keyring_session(&env, &args, &keys_and_code()) else {
        return;
    };
    setup
        .assert_code(0)
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .assert_silent_about(OLD_SECRET);
    assert!(!env.read_credentials_text().contains(OLD_SECRET));
    // "[work] in ~/.aws/config runs `mfa-profile source-keys work` for them": it does.
    let command = hinted(&setup.stderr, "mfa-profile source-keys work");
    let Some(keys) = in_keyring_session(&env, &hint_words(&command), "") else {
        return;
    };
    keys.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&keys.stdout).unwrap();
    assert_eq!(json["AccessKeyId"], OLD);
    assert_eq!(json["SecretAccessKey"], OLD_SECRET);
}
