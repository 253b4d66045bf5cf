//! The bugs and frictions of a new user's first hour, each pinned by a test named after it.

use crate::support::*;

fn work_pair() -> String {
    format!(
        "{}\n[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = {SERIAL}\n\n{}",
        default_source(),
        managed("work-mfa", "work", "2001-01-01T00:00:00Z")
    )
}

/// Bash's completion for `words` (the last one the word being completed), by the real script.
fn bash_complete(words: &[&str]) -> Option<Vec<String>> {
    if !require("bash") {
        return None;
    }
    let env = TestEnv::new();
    let script = env.home().join("completion.bash");
    std::fs::write(&script, run(env.mfa().args(["completions", "bash"])).stdout).unwrap();
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
    if !require("fish") {
        return;
    }
    let env = TestEnv::new();
    let script = env.home().join("completion.fish");
    std::fs::write(&script, run(env.mfa().args(["completions", "fish"])).stdout).unwrap();
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
    if !require("bash") {
        return;
    }
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
    std::fs::write(&script, run(env.mfa().args(["completions", "bash"])).stdout).unwrap();
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
    if !require("fish") {
        return;
    }
    let script = env.home().join("completion.fish");
    std::fs::write(&script, run(env.mfa().args(["completions", "fish"])).stdout).unwrap();
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
    std::fs::write(
        dir.join("_mfa-profile"),
        run(env.mfa().args(["completions", "zsh"])).stdout,
    )
    .unwrap();
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
    if !require("zsh") {
        return;
    }
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

#[test]
fn a_duration_just_under_the_minimum_is_shown_to_the_second() {
    Test::new()
        .credentials(default_source())
        .args(["-d", "899", "123456"])
        .status(2)
        .stderr_has("duration 14m59s is outside what STS grants an IAM user")
        .run();
}

#[test]
fn an_aws_mfa_expiration_is_read() {
    let text = format!(
        "{}[mfa]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2099-01-01 00:00:00\nmfa_source_profile = default\n",
        default_source()
    );
    let ran = Test::new()
        .credentials(text)
        .args(["status", "--json"])
        .run();
    let row = &ran.out.json()[0];
    assert_eq!(row["state"], "valid");
    assert_eq!(row["expiration"], "2099-01-01T00:00:00Z");
}

#[test]
fn a_missing_source_lists_the_profiles_with_long_term_keys() {
    Test::new()
        .credentials(format!("[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"))
        .args(["-s", "wrok", "123456"])
        .status(2)
        .stderr_has("source profile [wrok] is in neither the credentials nor the config file; the profiles with long-term keys are [work]")
        .run();
}

#[test]
fn with_no_default_status_suggests_a_command_that_works() {
    let sts = CannedSts::start();
    let ran = Test::new()
        .credentials(format!(
            "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
        ))
        .arg("status")
        .stderr_has("run `mfa-profile -s work` to create [work-mfa] from [work] (it asks for the MFA code)")
        .run();
    let command = crate::support::hints::hinted(&ran.out.stderr, "mfa-profile -s work");
    crate::support::hints::run_hint(
        &ran.env,
        &command,
        &["123456", "--endpoint-url", &sts.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
}
