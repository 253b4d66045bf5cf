//! The daily commands end to end: `export` evaluated by `sh`, `credential-process` called by
//! the aws CLI, `exec`, `refresh --all`, AssumeRole, code commands, `AWS_PROFILE`, completions
//! and the man page.

use crate::support::*;

fn with_target(target: &str, expiration: &str) -> String {
    format!(
        "{}\n{}",
        default_source(),
        managed(target, "default", expiration)
    )
}

const VALID: &str = "2099-01-01T00:00:00Z";
const EXPIRED: &str = "2001-01-01T00:00:00Z";

const ROLE: &str = "arn:aws:iam::123456789012:role/admin";

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        Test::new()
            .args(["completions", shell])
            .stdout_has("credential-process")
            .run();
    }
}

#[test]
fn bash_loads_the_completion_script() {
    if !require("bash") {
        return;
    }
    let env = TestEnv::new();
    let script = format!("source <('{BIN}' completions bash) && complete -p mfa-profile");
    run(env.command("bash").args(["-c", &script])).assert_code(0);
}

#[test]
fn the_man_page_lists_the_commands() {
    let ran = Test::new()
        .arg("man")
        .stdout_has("credential\\-process")
        .run();
    let page = &ran.out.stdout;
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH mfa-profile"),
        "{}",
        &page[..200.min(page.len())]
    );
}

const WORK_CONFIG: &str = "# work account\n[profile work]\nregion = eu-west-1\n";
