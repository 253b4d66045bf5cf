//! Test harness: a throw-away HOME with its own shared files, the binary run with every AWS_*
//! variable removed, and one way to describe a run: [`Test`] (the files, the arguments, the
//! variables, standard input, no terminal, what is expected), whose failed expectations show
//! what the command printed. Tools a test drives are asked for with [`require`] (or the
//! `require!` macro): a missing one fails the test under `CI=true` and is skipped loudly
//! elsewhere.
//!
//! Invariant: no run reaches the developer's own `~/.aws`, `AWS_*` variables or terminal: every
//! command gets a temp `HOME`, its own `AWS_SHARED_CREDENTIALS_FILE`/`AWS_CONFIG_FILE`, `PATH`
//! and `LANG`, and nothing else unless the test adds it.

use mfa_profile::profile::{ProfileSet, SharedFiles};
use std::ffi::{OsStr, OsString};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

/// Placeholder long-term keys (AWS's documentation examples), never real ones.
pub const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";
/// The mfa-profile binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_mfa-profile");
/// A port nothing listens on: a command that reaches STS there fails with "cannot reach".
pub const CLOSED: &str = "http://127.0.0.1:9";

/// The usual source profile.
pub fn default_source() -> String {
    format!("[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n")
}

/// A target mfa-profile manages, holding placeholder session keys.
pub fn managed(target: &str, source: &str, expiration: &str) -> String {
    format!("[{target}]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = sessionsecret\naws_session_token = sessiontoken\nexpiration = {expiration}\nmfa_source_profile = {source}\n")
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Epoch seconds of an RFC 3339 timestamp, as the SDK's own parser reads it.
pub fn epoch_of(rfc3339: &str) -> i64 {
    mfa_profile::parse_rfc3339(rfc3339).unwrap_or_else(|| panic!("{rfc3339:?}"))
}

/// A file of fixtures/expected/, byte for byte.
pub fn expected(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/expected/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A temp HOME with `.aws/credentials` and `.aws/config` inside; clones share the directory,
/// which goes when the last of them is dropped.
#[derive(Clone)]
pub struct TestEnv {
    dir: Arc<tempfile::TempDir>,
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        TestEnv { dir: Arc::new(dir) }
    }

    pub fn with_credentials(text: &str) -> Self {
        let env = TestEnv::new();
        env.write_credentials(text.as_bytes());
        env
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn credentials(&self) -> PathBuf {
        self.home().join(".aws/credentials")
    }

    pub fn config(&self) -> PathBuf {
        self.home().join(".aws/config")
    }

    pub fn write_credentials(&self, bytes: &[u8]) {
        std::fs::write(self.credentials(), bytes).unwrap();
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config(), text).unwrap();
    }

    pub fn read_credentials(&self) -> Vec<u8> {
        std::fs::read(self.credentials()).unwrap()
    }

    pub fn read_credentials_text(&self) -> String {
        String::from_utf8(self.read_credentials()).unwrap()
    }

    pub fn read_config_text(&self) -> String {
        std::fs::read_to_string(self.config()).unwrap_or_default()
    }

    /// Forgets which MFA devices sent a code in this 30 s window, as if the next window had
    /// come: for tests that refresh twice in a row with a fixed code.
    pub fn next_code_window(&self) {
        let dir = self.home().join(".aws/cli/cache/mfa-profile");
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.path().extension().is_some_and(|e| e == "json") {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
    }

    /// Asserts the credentials file holds exactly `want`, showing both when it does not.
    pub fn assert_credentials(&self, want: &[u8]) {
        let got = self.read_credentials();
        assert!(
            got == want,
            "the credentials file differs\n--- want ---\n{}\n--- got ---\n{}",
            String::from_utf8_lossy(want).escape_debug(),
            String::from_utf8_lossy(&got).escape_debug()
        );
    }

    /// A command with a scrubbed environment: PATH kept, HOME and both AWS file variables
    /// pointing into the temp dir, nothing else (in particular no AWS_* variable).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials())
            .env("AWS_CONFIG_FILE", self.config())
            .env("LANG", "C.UTF-8")
            .current_dir(self.home())
            .stdin(Stdio::null());
        cmd
    }

    /// The mfa-profile binary under test, with a scrubbed environment: the one cargo built,
    /// or `MFA_PROFILE_TEST_BIN` run by `MFA_PROFILE_TEST_RUNNER` (the Windows exe under
    /// `wine`, see scripts/test-windows.sh), after the `wrapper` program and its arguments
    /// (`setsid -w`, `unshare -n`), if any. Wine gets its own `WINE*` variables, the home as
    /// `WINEHOME` (wine passes no `HOME`) and the shared files as `Z:` paths.
    fn mfa_under(&self, wrapper: &[OsString]) -> Command {
        let mut argv: Vec<OsString> = wrapper.to_vec();
        match std::env::var_os("MFA_PROFILE_TEST_BIN") {
            None => argv.push(env!("CARGO_BIN_EXE_mfa-profile").into()),
            Some(bin) => {
                argv.extend(std::env::var_os("MFA_PROFILE_TEST_RUNNER"));
                argv.push(bin);
            }
        }
        let mut cmd = self.command(&argv[0]);
        cmd.args(&argv[1..]);
        if testing_windows_exe() && std::env::var_os("MFA_PROFILE_TEST_RUNNER").is_some() {
            for (name, value) in std::env::vars_os() {
                if name.to_string_lossy().starts_with("WINE") {
                    cmd.env(name, value);
                }
            }
            cmd.env("WINEHOME", windows_path(self.home()))
                .env(
                    "AWS_SHARED_CREDENTIALS_FILE",
                    windows_path(&self.credentials()),
                )
                .env("AWS_CONFIG_FILE", windows_path(&self.config()));
        }
        cmd
    }
}

/// Whether the binary under test is a Windows exe (run under wine).
pub fn testing_windows_exe() -> bool {
    std::env::var_os("MFA_PROFILE_TEST_BIN")
        .is_some_and(|bin| bin.to_string_lossy().to_ascii_lowercase().ends_with(".exe"))
}

/// A path of this machine as a Windows program under wine names it (wine's `Z:` is `/`).
pub fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// A full path as the binary under test names it (in `--json`, in errors).
pub fn bin_path(path: &Path) -> String {
    if testing_windows_exe() {
        windows_path(path)
    } else {
        path.display().to_string()
    }
}

/// A path as the binary under test shows it in a message (`~/.aws` is `~\.aws` on Windows).
pub fn shown(unix_style: &str) -> String {
    if testing_windows_exe() {
        unix_style.replace('/', "\\")
    } else {
        unix_style.to_owned()
    }
}

/// One run of mfa-profile, described, run, and checked: `Test::new().credentials(..)
/// .args([..]).status(2).stderr_has("..").run()`. Every failed expectation shows the command's
/// exit code, stdout and stderr. The one way the suite runs the binary; [`Test::command`] is
/// the escape hatch for a test that must spawn, time or kill the process itself.
pub struct Test {
    env: TestEnv,
    wrapper: Vec<OsString>,
    args: Vec<OsString>,
    vars: Vec<(String, OsString)>,
    stdin: Option<Vec<u8>>,
    status: Expect,
    stderr_has: Vec<String>,
    stderr_lacks: Vec<String>,
    stdout_has: Vec<String>,
    stdout_is: Option<String>,
}

/// The exit code a [`Test`] expects.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Code(i32),
    /// Any failure: a process killed by its own fail point ends differently on each platform.
    Failure,
}

impl Test {
    pub fn new() -> Test {
        Test::on(&TestEnv::new())
    }

    /// A run in an existing environment (for a second run on the same files), in the next
    /// 30 s code window: tests chain refreshes with one fixed code, which a real device would
    /// not allow twice in a window (tests of that use [`Test::on`]).
    pub fn in_env(env: TestEnv) -> Test {
        env.next_code_window();
        Test::on(&env)
    }

    /// A run on `env`'s files as they are: the tool's record of the code windows its devices
    /// used is kept (see [`Test::in_env`]).
    pub fn on(env: &TestEnv) -> Test {
        Test {
            env: env.clone(),
            wrapper: Vec::new(),
            args: Vec::new(),
            vars: Vec::new(),
            stdin: None,
            status: Expect::Code(0),
            stderr_has: Vec::new(),
            stderr_lacks: Vec::new(),
            stdout_has: Vec::new(),
            stdout_is: None,
        }
    }

    pub fn credentials(self, text: impl AsRef<[u8]>) -> Test {
        self.env.write_credentials(text.as_ref());
        self
    }

    pub fn config(self, text: &str) -> Test {
        self.env.write_config(text);
        self
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Test {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Test {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Test {
        self.vars.push((name.to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Each `(name, value)` as [`Test::env`].
    pub fn envs<N: AsRef<str>, V: AsRef<OsStr>>(
        mut self,
        vars: impl IntoIterator<Item = (N, V)>,
    ) -> Test {
        for (name, value) in vars {
            self = self.env(name.as_ref(), value);
        }
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs with no controlling terminal (`setsid -w`), so nothing can prompt there.
    pub fn detached(self) -> Test {
        self.wrapped(&["setsid", "-w"])
    }

    /// Runs the binary under `wrapper` (a program and its arguments: `unshare -n`).
    pub fn wrapped(mut self, wrapper: &[&str]) -> Test {
        self.wrapper = wrapper.iter().map(OsString::from).collect();
        self
    }

    /// The exit code expected (0 unless said).
    pub fn status(mut self, code: i32) -> Test {
        self.status = Expect::Code(code);
        self
    }

    /// Any exit code but 0 (a process its own fail point aborts).
    pub fn fails(mut self) -> Test {
        self.status = Expect::Failure;
        self
    }

    pub fn stderr_has(mut self, text: &str) -> Test {
        self.stderr_has.push(text.to_owned());
        self
    }

    pub fn stderr_lacks(mut self, text: &str) -> Test {
        self.stderr_lacks.push(text.to_owned());
        self
    }

    pub fn stdout_has(mut self, text: &str) -> Test {
        self.stdout_has.push(text.to_owned());
        self
    }

    pub fn stdout_is(mut self, text: &str) -> Test {
        self.stdout_is = Some(text.to_owned());
        self
    }

    /// The escape hatch: the command this run describes (files, arguments, variables, wrapper;
    /// not its standard input or expectations), for a test that spawns it, runs several at
    /// once, or kills it at a moment of its choosing.
    pub fn command(&self) -> Command {
        let mut cmd = self.env.mfa_under(&self.wrapper);
        cmd.args(&self.args);
        for (name, value) in &self.vars {
            cmd.env(name, value);
        }
        cmd
    }

    /// Runs mfa-profile and checks every expectation.
    pub fn run(self) -> Ran {
        let mut cmd = self.command();
        let out = match &self.stdin {
            None => run(&mut cmd),
            Some(bytes) => run_with_stdin(&mut cmd, bytes),
        };
        match self.status {
            Expect::Code(code) => {
                out.assert_code(code);
            }
            Expect::Failure => assert_ne!(out.code, 0, "the run should have failed\n{out}"),
        }
        for text in &self.stderr_has {
            out.assert_stderr_has(text);
        }
        for text in &self.stderr_lacks {
            out.assert_stderr_lacks(text);
        }
        for text in &self.stdout_has {
            out.assert_stdout_has(text);
        }
        if let Some(want) = &self.stdout_is {
            assert!(&out.stdout == want, "stdout is not {want:?}\n{out}");
        }
        Ran { env: self.env, out }
    }
}

/// A finished [`Test`]: its environment (for the files, or a next run) and what it printed.
pub struct Ran {
    pub env: TestEnv,
    pub out: Run,
}

/// What a finished command did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit code\n{self}");
        self
    }

    pub fn assert_stderr_has(&self, text: &str) -> &Run {
        assert!(self.stderr.contains(text), "stderr lacks {text:?}\n{self}");
        self
    }

    pub fn assert_stderr_lacks(&self, text: &str) -> &Run {
        assert!(!self.stderr.contains(text), "stderr has {text:?}\n{self}");
        self
    }

    pub fn assert_stdout_has(&self, text: &str) -> &Run {
        assert!(self.stdout.contains(text), "stdout lacks {text:?}\n{self}");
        self
    }

    /// Neither stream holds `secret`.
    pub fn assert_silent_about(&self, secret: &str) -> &Run {
        assert!(
            !self.stdout.contains(secret) && !self.stderr.contains(secret),
            "a secret was printed\n{self}"
        );
        self
    }

    /// Standard output, parsed as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }
}

/// Runs a command to its end: for the programs a test drives around the tool (the aws CLI, a
/// shell, `script`); the tool itself runs through [`Test`].
pub fn run(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("command starts");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `cmd` with `bytes` on its standard input.
pub fn run_with_stdin(cmd: &mut Command, bytes: &[u8]) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("command starts");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// How the AWS SDK for Rust (aws-config's parser) reads a credentials file.
pub fn sdk_profiles(credentials: &str) -> ProfileSet {
    SharedFiles {
        credentials: credentials.into(),
        config: String::new(),
    }
    .profiles()
    .unwrap_or_else(|e| panic!("the SDK cannot parse the file: {e}\n{credentials}"))
}

/// The value of `key` in profile `profile` of a credentials file, as the SDK reads it.
pub fn sdk_value(credentials: &str, profile: &str, key: &str) -> Option<String> {
    sdk_profiles(credentials)
        .get_profile(profile)?
        .get(key)
        .map(str::to_owned)
}

/// True when running in CI, where every external tool must be present.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether an external tool is on PATH: the one helper every skip goes through. Under CI a
/// missing tool fails the test; elsewhere `SKIPPED <test>: <tool> missing` is written to the
/// terminal (past the test harness's capture of a passing test's output, so a skip is never
/// silent) and the caller skips. Tests skip with the `require!` macro.
pub fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        skipped(&current_test(), &format!("{tool} missing"));
    }
    found
}

/// Says that `test` cannot run for `why` (a tool missing): a failure under `CI=true`; elsewhere
/// `SKIPPED <test>: <why>` on the terminal itself.
pub fn skipped(test: &str, why: &str) {
    assert!(
        !in_ci(),
        "{test}: {why}, and under CI=true every tool must be there (scripts/test.sh installs it)"
    );
    use std::io::Write;
    // Straight to the process's standard error: the harness captures only `eprintln!`.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// The running test's name (`module::name`), from its thread (libtest names each after its
/// test).
pub fn current_test() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_owned(),
        _ => "a test".to_owned(),
    }
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
