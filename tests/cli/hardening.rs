//! The security review's findings, each pinned: no core dump holding the keys, a closed pipe
//! is a quiet exit, nothing a file or STS says can drive the terminal, the guards and
//! environment scrubbing hold.

use crate::support::*;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

/// A session valid until 2099, written by mfa-profile.
fn valid_session(target: &str) -> String {
    format!("[{target}]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = sessionsecret\naws_session_token = sessiontoken\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n")
}

/// A standard output whose reader is gone: every write fails with EPIPE.
fn closed_stdout() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

/// `sh -c 'ulimit -c unlimited; exec PROGRAM ARGS'` in the temp HOME: a crash there would
/// leave a core file.
fn with_core_dumps(env: &TestEnv, program: &str) -> std::process::Command {
    let mut cmd = env.command("sh");
    cmd.args([
        "-c",
        "ulimit -c unlimited || exit 90; exec \"$0\" \"$@\"",
        program,
    ]);
    cmd
}

fn core_files(env: &TestEnv) -> Vec<String> {
    std::fs::read_dir(env.home())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("core"))
        .collect()
}

/// `status | head -1`, `export` and `credential-process` into a closed pipe once panicked, and
/// with `panic = "abort"` dumped core holding the `[default]` secret key.
#[test]
fn a_closed_stdout_ends_every_command_quietly_without_a_core_dump() {
    let env = TestEnv::with_credentials(&format!("{}{}", default_source(), valid_session("mfa")));
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["export"],
        &["export", "--format", "process"],
        &["credential-process", "mfa"],
        &["--help"],
        &["exec", "--help"],
        &["--version"],
        &["completions", "bash"],
        &["man"],
    ] {
        let out = with_core_dumps(&env, env!("CARGO_BIN_EXE_mfa-profile"))
            .args(args)
            .stdout(closed_stdout())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}: a closed pipe is a quiet exit");
        assert!(!out.status.core_dumped(), "{args:?}");
    }
    assert_eq!(core_files(&env), Vec::<String>::new());
}

/// The process is not dumpable: killed by SIGQUIT (whose default action is a core dump) in the
/// middle of a refresh, with the long-term keys read, it leaves no core.
#[test]
fn a_process_killed_mid_refresh_leaves_no_core_dump() {
    let env = TestEnv::with_credentials(&default_source());
    let control = with_core_dumps(&env, "sh")
        .args(["-c", "kill -QUIT $$"])
        .status()
        .unwrap();
    if !control.core_dumped() {
        assert!(
            !in_ci(),
            "this machine writes no core dumps (see /proc/sys/kernel/core_pattern and ulimit -Hc); the test cannot tell"
        );
        eprintln!("SKIPPED: this machine writes no core dumps");
        return;
    }
    for core in core_files(&env) {
        std::fs::remove_file(env.home().join(core)).unwrap();
    }
    let status = with_core_dumps(&env, env!("CARGO_BIN_EXE_mfa-profile"))
        .args([
            "--code-command",
            "kill -QUIT $PPID; sleep 1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.signal(), Some(3), "{status:?}");
    assert!(!status.core_dumped(), "a core was dumped");
    assert_eq!(core_files(&env), Vec::<String>::new());
}

/// An empty `aws_session_token =` line made long-term keys in the target look like a session,
/// and a refresh overwrote them.
#[test]
fn an_empty_session_token_does_not_hide_long_term_keys_in_the_target() {
    let original = format!(
        "{}[mfa]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\naws_session_token =\n",
        default_source()
    );
    let env = TestEnv::with_credentials(&original);
    let out = run(env
        .mfa()
        .args(["123456", "--endpoint-url", "http://127.0.0.1:9"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("refusing to overwrite [mfa] in ~/.aws/credentials: it holds long-term keys"),
        "{}",
        out.stderr
    );
    assert_eq!(env.read_credentials(), original.as_bytes());
}

/// Profile names and values with escape sequences (screen clear, title, clipboard write) were
/// printed raw by `status`, `refresh --all` and errors.
#[test]
fn escape_sequences_from_the_files_reach_the_terminal_escaped() {
    let clipboard = "\x1b]52;c;aGk=\x07";
    let original = format!(
        "{}[evil\x1b[2J]\naws_session_token = t\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default{clipboard}\n",
        default_source()
    );
    let env = TestEnv::with_credentials(&original);
    let status = run(env.mfa().arg("status"));
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(
        status.stdout.contains("evil\\u{1b}[2J"),
        "{}",
        status.stdout
    );
    let all = run(env
        .mfa()
        .args(["refresh", "--all", "--endpoint-url", "http://127.0.0.1:9"]));
    assert_ne!(all.code, 0);
    assert!(all.stderr.contains("[evil\\u{1b}[2J]"), "{}", all.stderr);
    let named = run(env.mfa().args(["export", "-t"]).arg("x\x1b]0;title\x07"));
    assert_eq!(named.code, 2);
    for (what, text) in [
        ("status", &status.stdout),
        ("status", &status.stderr),
        ("refresh --all", &all.stderr),
        ("a bad argument", &named.stderr),
    ] {
        assert!(!text.contains('\x1b'), "{what}: {text:?}");
        assert!(!text.contains('\x07'), "{what}: {text:?}");
    }
    assert_eq!(env.read_credentials(), original.as_bytes());
}

/// With `--region`, the source's own `region` was neither checked nor refused: one with a line
/// break panicked after the credentials were written (exit 134), one with an escape sequence
/// was copied into `[profile mfa]`.
#[test]
fn a_malformed_source_region_is_refused_even_with_region_given() {
    for bad in ["eu-west-1\n  more", "eu-west-1\x1b[2J"] {
        let env = TestEnv::with_credentials(&default_source());
        let config = format!("[default]\nregion = {bad}\n");
        env.write_config(&config);
        let out = run(env.mfa().args([
            "123456",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ]));
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("region in [default]: region `eu-west-1\\"),
            "{bad:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains('\x1b'), "{:?}", out.stderr);
        assert_eq!(env.read_credentials(), default_source().as_bytes());
        assert_eq!(std::fs::read_to_string(env.config()).unwrap(), config);
    }
}

#[test]
fn a_credentials_directory_others_can_write_to_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::with_credentials(&default_source());
    let dir = env.home().join(".aws");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run(env
        .mfa()
        .args(["123456", "--endpoint-url", "http://127.0.0.1:9"]));
    assert!(
        out.stderr.contains(
            "warning: ~/.aws is writable by other users (mode 777): they can replace ~/.aws/credentials"
        ),
        "{}",
        out.stderr
    );
}

/// A malformed code was echoed back (up to 16 characters): piping a secret key in printed
/// half of it.
#[test]
fn a_malformed_code_is_never_echoed() {
    let env = TestEnv::with_credentials(&default_source());
    let piped = run(env
        .mfa()
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .stdin(std::fs::File::open(write_stdin(&env, SECRET)).unwrap()));
    let argument = run(env
        .mfa()
        .args([SECRET, "--endpoint-url", "http://127.0.0.1:9"]));
    for out in [piped, argument] {
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("the MFA code is not six digits"),
            "{}",
            out.stderr
        );
        for window in SECRET.as_bytes().windows(6) {
            let piece = std::str::from_utf8(window).unwrap();
            assert!(!out.stderr.contains(piece), "{piece}: {}", out.stderr);
        }
    }
}

fn write_stdin(env: &TestEnv, text: &str) -> std::path::PathBuf {
    let path = env.home().join("stdin");
    std::fs::write(&path, format!("{text}\n")).unwrap();
    path
}
