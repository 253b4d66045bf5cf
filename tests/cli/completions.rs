//! Shell completions and man pages: the scripts for every shell name the commands, bash, fish
//! and zsh, run for real, complete options, their values and the managed targets (with
//! `mfa-profile` on their PATH as installed), and `man` prints the page or writes one per
//! command.

use crate::support::*;

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
    require!("bash");
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

/// The completion script for `shell`.
fn completions(env: &TestEnv, shell: &str) -> String {
    Test::on(env).args(["completions", shell]).run().out.stdout
}

/// Bash's completion for `words` (the last one the word being completed), by the real script.
fn bash_complete(words: &[&str]) -> Option<Vec<String>> {
    if !require("bash") {
        return None;
    }
    let env = TestEnv::new();
    let script = env.home().join("completion.bash");
    std::fs::write(&script, completions(&env, "bash")).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _mfa__profile mfa-profile '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = run(env.command("bash").args(["-c", &program]));
    out.assert_code(0);
    Some(out.stdout.lines().map(str::to_owned).collect())
}

#[test]
fn bash_completes_the_options_and_values_of_commands() {
    let Some(formats) = bash_complete(&["mfa-profile", "export", "--format", ""]) else {
        return;
    };
    for format in ["env", "powershell", "dotenv", "process"] {
        assert!(formats.iter().any(|f| f == format), "{format}: {formats:?}");
    }
    let json = bash_complete(&["mfa-profile", "status", "--j"]).unwrap();
    assert_eq!(json, ["--json"]);
    let exec = bash_complete(&["mfa-profile", "exec", "--ta"]).unwrap();
    assert_eq!(exec, ["--target"]);
}

#[test]
fn fish_completes_the_options_and_values_of_commands() {
    require!("fish");
    let env = TestEnv::new();
    let script = env.home().join("completion.fish");
    std::fs::write(&script, completions(&env, "fish")).unwrap();
    let complete = |line: &str| {
        let program = format!(
            "source '{}'; complete --do-complete '{line}'",
            script.display()
        );
        run(env.command("fish").args(["-c", &program])).stdout
    };
    let formats = complete("mfa-profile export --format ");
    assert!(formats.contains("powershell"), "{formats}");
    assert!(complete("mfa-profile status --j").contains("--json"));
}

/// The managed targets a shell offers after `exec -t ` and `--target wo`, with `mfa-profile`
/// on its PATH as installed.
#[test]
fn bash_and_fish_complete_the_managed_targets_after_t() {
    require!("bash");
    let env = TestEnv::with_credentials(&format!(
        "{}{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z"),
        managed("work-mfa", "default", "2001-01-01T00:00:00Z")
    ));
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = env.home().join("completion.bash");
    std::fs::write(&script, completions(&env, "bash")).unwrap();
    let bash = |words: &str, cur: &str, prev: &str| {
        let program = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); _mfa__profile mfa-profile '{cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        run(env
            .command("bash")
            .env("PATH", &path)
            .args(["-c", &program]))
        .stdout
    };
    assert_eq!(bash("mfa-profile exec -t ''", "", "-t"), "mfa\nwork-mfa\n");
    assert_eq!(
        bash("mfa-profile --target wo", "wo", "--target"),
        "work-mfa\n"
    );
    require!("fish");
    let script = env.home().join("completion.fish");
    std::fs::write(&script, completions(&env, "fish")).unwrap();
    let program = format!(
        "source '{}'; complete --do-complete 'mfa-profile exec -t '",
        script.display()
    );
    let fish = run(env
        .command("fish")
        .env("PATH", &path)
        .args(["-c", &program]))
    .stdout;
    assert!(fish.lines().any(|l| l == "mfa"), "{fish}");
    assert!(fish.lines().any(|l| l == "work-mfa"), "{fish}");
}

/// What zsh offers for `line`, with the generated function and `mfa-profile` on its PATH.
fn zsh_complete(env: &TestEnv, line: &str) -> Vec<String> {
    let dir = env.home().join("zsh-completions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("_mfa-profile"), completions(env, "zsh")).unwrap();
    let capture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cli/support/zsh/capture.zsh"
    );
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = run(env
        .command("zsh")
        .env("PATH", path)
        .env("COMPLETION_DIR", &dir)
        .args(["-f", capture, line]));
    out.assert_code(0);
    out.stdout
        .lines()
        .map(|l| l.trim_end_matches('\r').to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn zsh_completes_the_options_values_and_targets_of_commands() {
    require!("zsh");
    let env = TestEnv::with_credentials(&format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    ));
    let formats = zsh_complete(&env, "mfa-profile export --format ");
    for format in ["env", "powershell", "dotenv", "process"] {
        assert!(formats.iter().any(|f| f == format), "{format}: {formats:?}");
    }
    assert_eq!(zsh_complete(&env, "mfa-profile status --j"), ["--json"]);
    assert_eq!(zsh_complete(&env, "mfa-profile exec -t "), ["mfa"]);
}

#[test]
fn man_writes_a_page_per_command_with_its_options() {
    let env = TestEnv::new();
    let dir = env.home().join("share/man/man1");
    let ran = Test::in_env(env)
        .args(["man", "--dir"])
        .arg(&dir)
        .stderr_has("wrote 19 man pages")
        .run();
    let page = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert!(page("mfa-profile-serve.1").contains("\\-\\-listen"));
    assert!(page("mfa-profile-console.1").contains("\\-\\-signin\\-endpoint"));
    assert!(page("mfa-profile-exec.1").contains("\\-\\-target"));
    assert!(page("mfa-profile-export.1").contains("\\-\\-format"));
    assert!(page("mfa-profile-status.1").contains("\\-\\-json"));
    assert!(page("mfa-profile-doctor.1").contains("PROFILE"));
    assert!(page("mfa-profile-schedule-install.1").contains("\\-\\-every"));
    assert!(page("mfa-profile-schedule.1").contains("mfa\\-profile\\-schedule\\-install(1)"));
    let main = page("mfa-profile.1");
    assert!(
        main.contains("mfa\\-profile\\-exec(1)"),
        "the page it points to exists"
    );
    assert!(main.contains(".SH \"EXIT STATUS\"\n.nf\n  0  success\n"));
    drop(ran);
}
