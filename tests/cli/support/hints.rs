//! The commands a message tells the user to run, taken out of it as printed (between
//! backticks) and run word for word: tests/cli/hints.rs holds the table of every such message
//! in src/, and the feature tests run the commands their messages name.

use super::harness::{Run, Test, TestEnv};

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

/// No arguments after a hinted command (it is complete as printed).
pub const NO_ARGS: [&str; 0] = [];

/// A hinted command as a run on `env`'s files as they are ([`Test::on`]), word for word, with
/// `extra` arguments after it (a code, an endpoint: what the hint leaves to the user); it is
/// expected to succeed unless the test says otherwise.
pub fn hint<I, S>(env: &TestEnv, command: &str, extra: I) -> Test
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Test::on(env).args(hint_words(command)).args(extra)
}

/// Runs a hinted command word for word on `env`, with `extra` arguments after it, and checks
/// that it succeeds.
pub fn run_hint<I, S>(env: &TestEnv, command: &str, extra: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    hint(env, command, extra).run().out
}
