//! The security review's findings, each pinned: no core dump holding the keys, a closed pipe is
//! a quiet exit, nothing a file or STS says can drive the terminal, a malformed code or region
//! never echoed or written, a credential that no request can carry refused before signing;
//! `export`'s output, sourced by shells, runs nothing whatever the stored session holds; and
//! plain-http endpoints off this machine refused before any connection (in a network namespace
//! of the test's own, `unshare -n`: loopback only, with a listener on 192.0.2.10:8080, an
//! address of another machine as far as mfa-profile knows, counting the connections it gets).

use crate::support::namespace::namespace_flags;
use crate::support::*;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;

const CODE: &str = "123456";

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

/// The wrapper that lets a program dump core (`sh -c 'ulimit -c unlimited; exec PROGRAM
/// ARGS'`, in the temp HOME): a crash there would leave a core file.
const WITH_CORE_DUMPS: [&str; 3] = [
    "sh",
    "-c",
    "ulimit -c unlimited || exit 90; exec \"$0\" \"$@\"",
];

/// `program` run under [`WITH_CORE_DUMPS`] in `env`.
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
        // The escape hatch: a standard output no run of the harness gives.
        let out = Test::on(&env)
            .wrapped(&WITH_CORE_DUMPS)
            .args(args)
            .command()
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
        // See /proc/sys/kernel/core_pattern and ulimit -Hc.
        skipped(
            &current_test(),
            "this machine writes no core dumps, so the test cannot tell",
        );
        return;
    }
    for core in core_files(&env) {
        std::fs::remove_file(env.home().join(core)).unwrap();
    }
    let status = Test::on(&env)
        .wrapped(&WITH_CORE_DUMPS)
        .args([
            "--code-command",
            "kill -QUIT $PPID; sleep 1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .command()
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
    Test::on(&env)
        .args(["123456", "--endpoint-url", "http://127.0.0.1:9"])
        .status(2)
        .stderr_has("refusing to overwrite [mfa] in ~/.aws/credentials: it holds long-term keys")
        .run();
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
    let status = Test::on(&env).arg("status").run().out;
    assert!(
        status.stdout.contains("evil\\u{1b}[2J"),
        "{}",
        status.stdout
    );
    let all = Test::on(&env)
        .args(["refresh", "--all", "--endpoint-url", "http://127.0.0.1:9"])
        .fails()
        .stderr_has("[evil\\u{1b}[2J]")
        .run()
        .out;
    let named = Test::on(&env)
        .args(["export", "-t"])
        .arg("x\x1b]0;title\x07")
        .status(2)
        .run()
        .out;
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
        let out = Test::on(&env)
            .args(["123456", "--region", "us-east-1"])
            .args(["--endpoint-url", "http://127.0.0.1:9"])
            .status(2)
            .run()
            .out;
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
    // STS is not reachable there: the warning comes before the refresh fails.
    Test::on(&env)
        .args(["123456", "--endpoint-url", "http://127.0.0.1:9"])
        .status(1)
        .stderr_has("warning: ~/.aws is writable by other users (mode 777): they can replace ~/.aws/credentials")
        .run();
}

/// A malformed code was echoed back (up to 16 characters): piping a secret key in printed
/// half of it.
#[test]
fn a_malformed_code_is_never_echoed() {
    let env = TestEnv::with_credentials(&default_source());
    let piped = Test::on(&env)
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .stdin(format!("{SECRET}\n"))
        .status(2)
        .stderr_has("the MFA code is not six digits")
        .run()
        .out;
    let argument = Test::on(&env)
        .args([SECRET, "--endpoint-url", "http://127.0.0.1:9"])
        .status(2)
        .stderr_has("the MFA code is not six digits")
        .run()
        .out;
    for out in [piped, argument] {
        for window in SECRET.as_bytes().windows(6) {
            let piece = std::str::from_utf8(window).unwrap();
            assert!(!out.stderr.contains(piece), "{piece}: {}", out.stderr);
        }
    }
}

/// Pins the finding "a control character in `aws_access_key_id` from the file panics (exit
/// 134) after the code was given, and `doctor` reports that source as ok": the source is
/// refused before anything is signed, and `doctor` names the key.
#[test]
fn a_control_character_in_the_access_key_id_is_refused_before_signing() {
    let aws = StandIn::start();
    let source = default_source().replace(AKID, "AKIAIOSFODNN7\u{1}EXAMPLE");
    let ran = at(&aws, Test::new().credentials(&source))
        .arg(CODE)
        .status(2)
        .stderr_has("its aws_access_key_id holds a character no request can carry")
        .run();
    ran.out.assert_stderr_lacks("panicked");
    assert!(aws.actions().is_empty(), "nothing sent");
    Test::in_env(ran.env)
        .arg("doctor")
        .status(1)
        .stdout_has("its aws_access_key_id holds a character no request can carry")
        .run();
}

const HOSTILE_KEY_ID: &str = "ASIAX;{touch,pwned};x";

/// A secret that runs `touch pwned2` and `touch pwned3` if it is not quoted.
const HOSTILE_SECRET: &str = "a'b$(touch pwned2)`touch pwned3`";
const PLAIN_SECRET: &str = "wJalrXUtnFEMI/K7MDENG";

fn stored(access_key_id: &str, secret: &str) -> String {
    format!(
        "{}[mfa]\naws_access_key_id = {access_key_id}\naws_secret_access_key = {secret}\naws_session_token = FwoGZXIvYXdzEXAMPLE\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n",
        default_source()
    )
}

#[test]
fn sourcing_export_output_runs_nothing_whatever_the_stored_session_holds() {
    require!("bash");
    for (key_id, secret) in [
        (HOSTILE_KEY_ID, PLAIN_SECRET),
        (HOSTILE_KEY_ID, HOSTILE_SECRET),
    ] {
        source_each_format(key_id, secret);
    }
}

fn source_each_format(key_id: &str, secret: &str) {
    let env = TestEnv::with_credentials(&stored(key_id, secret));
    for format in ["env", "env-no-export", "dotenv"] {
        let expected = if format == "dotenv" { 2 } else { 0 };
        let out = Test::on(&env)
            .args(["export", "--format", format])
            .status(expected)
            .run()
            .out;
        let printed = env.home().join(format!("out.{format}"));
        std::fs::write(&printed, &out.stdout).unwrap();
        let sourced = run(env.command("bash").args([
            "-c",
            "set -a; . \"$1\"; printf '%s\\n%s\\n' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\"",
            "bash",
        ])
        .arg(&printed));
        for marker in ["pwned", "pwned2", "pwned3"] {
            assert!(
                !env.home().join(marker).exists(),
                "{format}: sourcing the output ran `touch {marker}`:\n{}",
                out.stdout
            );
        }
        match format {
            "dotenv" => {
                assert_eq!(out.code, 2, "{}", out.stderr);
                assert_eq!(out.stdout, "", "nothing is printed");
                assert!(
                    out.stderr.contains(
                        "AWS_ACCESS_KEY_ID holds a character .env readers could interpret"
                    ),
                    "{}",
                    out.stderr
                );
            }
            _ => {
                assert_eq!(out.code, 0, "{format}: {}", out.stderr);
                assert_eq!(
                    sourced.stdout,
                    format!("{key_id}\n{secret}\n"),
                    "{format}: quoted, the values arrive exactly"
                );
            }
        }
    }
}

#[test]
fn a_session_a_format_cannot_carry_prints_nothing_in_it() {
    let env = TestEnv::with_credentials(&stored("ASIAIOSFODNN7EXAMPLE", HOSTILE_SECRET));
    for format in ["dotenv", "windows-cmd"] {
        let out = Test::on(&env)
            .args(["export", "--format", format])
            .status(2)
            .run()
            .out;
        assert_eq!(out.stdout, "", "{format}");
        assert!(
            out.stderr
                .contains("AWS_SECRET_ACCESS_KEY holds a character"),
            "{format}: {}",
            out.stderr
        );
    }
}

/// The "remote" plain-http endpoint, served inside the namespace.
const REMOTE: &str = "http://192.0.2.10:8080";

/// Accepts connections on ADDRESS PORT, appending a line to FILE for each; FILE.ready once
/// listening.
const LISTENER: &str = "\
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(16)
open(sys.argv[3] + '.ready', 'w').close()
while True:
    c, _ = s.accept()
    with open(sys.argv[3], 'a') as f:
        f.write('connection\\n')
    c.close()
";

/// Brings loopback up, gives it 192.0.2.10, starts the listener, runs the command given as
/// arguments, stops the listener; exits 90 when the namespace cannot be set up.
const SETUP: &str = "\
ip link set lo up && ip addr add 192.0.2.10/32 dev lo || exit 90
python3 -c \"$LISTENER\" 192.0.2.10 8080 \"$CONNECTIONS\" &
listener=$!
tries=0
while [ ! -e \"$CONNECTIONS.ready\" ]; do
  tries=$((tries + 1)); [ $tries -gt 200 ] && exit 91
  sleep 0.05
done
\"$@\"; code=$?
kill $listener
exit $code
";

/// Runs mfa-profile with `args` and `vars` in a private network; returns what it did and how
/// many connections the "remote" endpoint got.
fn in_private_network(
    env: &TestEnv,
    flags: &str,
    args: &[&str],
    vars: &[(&str, &str)],
) -> (Run, usize) {
    let connections = env.home().join("connections");
    // The escape hatch: the exit code is the test's to judge (90 and 91: no namespace).
    let mut cmd = Test::on(env)
        .wrapped(&["unshare", flags, "sh", "-c", SETUP, "sh"])
        .args(args)
        .env("LISTENER", LISTENER)
        .env("CONNECTIONS", &connections)
        .envs(vars.iter().copied())
        .command();
    let out = run(&mut cmd);
    assert!(
        out.code != 90 && out.code != 91,
        "the namespace could not be set up: {}",
        out.stderr
    );
    (out, count_lines(&connections))
}

fn count_lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |text| text.lines().count())
}

fn assert_refused(out: &Run, connections: usize, origin: &str, env: &TestEnv) {
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "refusing to send the MFA code to {REMOTE} (from {origin}) over plain http"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--allow-insecure-endpoint"),
        "{}",
        out.stderr
    );
    assert_eq!(connections, 0, "a connection was made before the refusal");
    assert_eq!(env.read_credentials(), default_source().as_bytes());
}

#[test]
fn a_plain_http_endpoint_url_off_this_machine_is_refused_before_any_connection() {
    let Some(flags) = namespace_flags() else {
        return;
    };
    let env = TestEnv::with_credentials(&default_source());
    let (out, connections) =
        in_private_network(&env, flags, &["123456", "--endpoint-url", REMOTE], &[]);
    assert_refused(&out, connections, "--endpoint-url", &env);
}

#[test]
fn a_plain_http_aws_endpoint_url_sts_off_this_machine_is_refused_before_any_connection() {
    let Some(flags) = namespace_flags() else {
        return;
    };
    let env = TestEnv::with_credentials(&default_source());
    let (out, connections) = in_private_network(
        &env,
        flags,
        &["123456"],
        &[("AWS_ENDPOINT_URL_STS", REMOTE)],
    );
    assert_refused(&out, connections, "AWS_ENDPOINT_URL_STS", &env);
}

/// The control: the listener does see a connection when one is made, so the zero counts of
/// the other tests mean something.
#[test]
fn allow_insecure_endpoint_sends_on_purpose_with_a_warning() {
    let Some(flags) = namespace_flags() else {
        return;
    };
    let env = TestEnv::with_credentials(&default_source());
    let (out, connections) = in_private_network(
        &env,
        flags,
        &[
            "123456",
            "--endpoint-url",
            REMOTE,
            "--allow-insecure-endpoint",
        ],
        &[],
    );
    assert!(connections >= 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "warning: sending the MFA code to {REMOTE} (from --endpoint-url) over plain http"
        )),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 1, "the listener hangs up: {}", out.stderr);
}

/// AWS_ENDPOINT_URL, the variable the SDKs use for every service (often left set for
/// LocalStack), is not where MFA codes go: STS's own https endpoint is asked (and cannot be
/// reached in the namespace).
#[test]
fn the_general_aws_endpoint_url_is_not_used_for_sts() {
    let Some(flags) = namespace_flags() else {
        return;
    };
    let env = TestEnv::with_credentials(&default_source());
    let (out, connections) =
        in_private_network(&env, flags, &["123456"], &[("AWS_ENDPOINT_URL", REMOTE)]);
    assert_eq!(connections, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("AWS_ENDPOINT_URL is set but not used for STS"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("cannot reach STS at https://sts.us-east-1.amazonaws.com"),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(env.read_credentials(), default_source().as_bytes());
}
