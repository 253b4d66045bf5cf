//! Every command a message tells the user to run works as printed: each test brings about the
//! message, takes the `mfa-profile ...` command out of it, runs it word for word (a code, an
//! endpoint, or a code command added only where the hint leaves the code to the user) and
//! checks it did what the message promised.

use crate::fake_aws::FakeAws;
use crate::harness::*;
use std::process::Command;

mod first_run;
mod handout;
mod refresh;
mod rotate;
mod setup;

/// The `mfa-profile ...` commands a message names, in order, as printed between backticks.
pub fn hinted_commands(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| quoted.starts_with("mfa-profile"))
        .map(str::to_owned)
        .collect()
}

/// The command `message` names that is `prefix` itself, else the one that starts with it
/// (`mfa-profile -s `).
pub fn hinted(message: &str, prefix: &str) -> String {
    let commands = hinted_commands(message);
    if let Some(exact) = commands.iter().find(|c| *c == prefix) {
        return exact.clone();
    }
    let found: Vec<String> = commands
        .into_iter()
        .filter(|c| c.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "one `{prefix}...` hint in:\n{message}");
    found.into_iter().next().unwrap()
}

/// The words of a hinted command after `mfa-profile`; a placeholder left in it (an upper-case
/// word: SOURCE, NAME, CODE) fails the test, since such a command cannot work as printed.
pub fn hint_words(command: &str) -> Vec<&str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "mfa-profile", "{command}");
    assert!(
        !words
            .iter()
            .any(|w| w.chars().all(|c| c.is_ascii_uppercase())),
        "a placeholder left in `{command}`"
    );
    words[1..].to_vec()
}

/// A hinted command ready to run word for word in `env`, with `extra` arguments after it (a
/// code, an endpoint: what the hint leaves to the user), for a test that adds standard input
/// or a variable the message's own run had.
pub fn hint_command(env: &TestEnv, command: &str, extra: &[&str]) -> Command {
    let mut cmd = env.mfa();
    cmd.args(hint_words(command)).args(extra);
    cmd
}

/// Runs a hinted command word for word in `env`, with `extra` arguments after it (a code, an
/// endpoint: what the hint leaves to the user).
pub fn run_hint(env: &TestEnv, command: &str, extra: &[&str]) -> Run {
    run(&mut hint_command(env, command, extra))
}

/// `extra` then the flags that send STS and IAM calls to `aws`.
pub fn at_fake_aws<'a>(aws: &'a FakeAws, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = extra.to_vec();
    args.extend(aws.endpoint_args());
    args
}

const TWO_USERS: &str = "# alice\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n# bob\n[work]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n";

/// Issue 20, bug 3: `-t wrk-mfa` (a typo of bob's target) wrote alice's session from
/// `[default]` into it, recorded `mfa_source_profile = default` and added `[profile wrk-mfa]`.
#[test]
fn a_new_target_is_never_filled_from_a_guessed_source() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(TWO_USERS);
    env.write_config("[default]\nregion = eu-west-1\n");
    let out = run(env
        .mfa()
        .args(["-t", "wrk-mfa", "123456", "--endpoint-url", &sts.url()]));
    out.assert_code(2)
        .assert_stderr_has("[wrk-mfa] in ~/.aws/credentials does not exist yet")
        .assert_stderr_has(
            "did you mean [work-mfa], the target of [work]? `mfa-profile -s work` creates it",
        );
    env.assert_credentials(TWO_USERS.as_bytes());
    assert_eq!(env.read_config_text(), "[default]\nregion = eu-west-1\n");
    assert!(sts.requests().is_empty(), "nothing sent");

    // The "did you mean" command creates bob's target from bob's keys.
    let fix = run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s work"),
        &["123456", "--endpoint-url", &sts.url()],
    );
    fix.assert_code(0)
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    assert_eq!(
        sts.signing_keys(),
        ["AKIAI44QH8DHBEXAMPLE"],
        "bob's key signed"
    );
    assert_eq!(
        sdk_value(
            &env.read_credentials_text(),
            "work-mfa",
            "mfa_source_profile"
        )
        .as_deref(),
        Some("work")
    );
}

/// The exact name of a source's own target names that source; `[mfa]` alone is filled from
/// `[default]` unasked.
#[test]
fn a_sources_own_target_is_created_only_with_its_source_named() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = run(env
        .mfa()
        .args(["-t", "work-mfa", "123456", "--endpoint-url", &sts.url()]));
    out.assert_code(2)
        .assert_stderr_has("it is [work]'s target: create it with `mfa-profile -s work`");
    env.assert_credentials(TWO_USERS.as_bytes());
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s work"),
        &["123456", "--endpoint-url", &sts.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    assert_eq!(sts.signing_keys(), ["AKIAI44QH8DHBEXAMPLE"], "bob's key");
    run(env
        .mfa()
        .args(["-t", "mfa", "123456", "--endpoint-url", &sts.url()]))
    .assert_code(0)
    .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
}

/// Each "name its source" command of the refusal creates the target from that source.
#[test]
fn each_source_the_refusal_offers_creates_the_target_from_it() {
    let sts = CannedSts::start();
    for (source, key) in [
        ("default", "AKIAIOSFODNN7EXAMPLE"),
        ("work", "AKIAI44QH8DHBEXAMPLE"),
    ] {
        let env = TestEnv::with_credentials(TWO_USERS);
        let out = run(env.mfa().args(["-t", "prod", "123456"]));
        out.assert_code(2)
            .assert_stderr_has("to create [prod], name its source:");
        let command = hinted(&out.stderr, &format!("mfa-profile -s {source} "));
        let before = sts.signing_keys().len();
        run_hint(&env, &command, &["123456", "--endpoint-url", &sts.url()])
            .assert_code(0)
            .assert_stderr_has(&format!(
                "wrote [prod] in ~/.aws/credentials from [{source}]"
            ));
        assert_eq!(sts.signing_keys()[before..], [key.to_owned()]);
    }
}

/// Issue 20: `mfa-profile work` (a profile's name where the code goes, the aws-vault habit)
/// said only that the code is not six digits; it names the refresh meant, which works.
#[test]
fn a_profile_name_for_the_code_names_the_refresh_meant() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&format!(
        "{TWO_USERS}\n{}",
        managed("admin", "default", "2001-01-01T00:00:00Z")
    ));
    let out = run(env.mfa().arg("work"));
    out.assert_code(2)
        .assert_stderr_has("the MFA code is not six digits, and [work] holds long-term keys: `mfa-profile -s work` refreshes its target [work-mfa]");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s work"),
        &["123456", "--endpoint-url", &sts.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    let out = run(env.mfa().arg("admin"));
    out.assert_code(2)
        .assert_stderr_has("[admin] is a target: `mfa-profile -t admin` refreshes it");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -t admin"),
        &["123456", "--endpoint-url", &sts.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [default]");
    // Anything else is refused without being repeated (it may be a pasted secret).
    run(env.mfa().arg("wJalrXUtnFEMI"))
        .assert_code(2)
        .assert_stderr_lacks("wJalrXUtnFEMI");
}

/// Issue 20: `-s work -t mfa` switched a valid `[mfa]` from `[default]` to `[work]` without a
/// word; it is said.
#[test]
fn switching_a_targets_source_is_said() {
    let sts = CannedSts::start();
    let env = TestEnv::with_credentials(&format!(
        "{TWO_USERS}\n{}",
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    ));
    run(env.mfa().args([
        "-s",
        "work",
        "-t",
        "mfa",
        "123456",
        "--endpoint-url",
        &sts.url(),
    ]))
    .assert_code(0)
    .assert_stderr_has(
        "[mfa] was refreshed from [default]; it is refreshed from [work] now, and from now on",
    );
}
