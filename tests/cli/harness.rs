//! Test harness: a throw-away HOME with its own shared files, the binary run with every AWS_*
//! variable removed, assertion helpers that show what the command printed when they fail, and
//! the STS stand-ins: moto (a real emulator, for the end-to-end tests that hand the session to
//! the aws CLI, boto3 and the SDK) and a canned wiremock STS (fixed keys, so a refresh's result
//! can be compared byte for byte with a file in fixtures/expected/).

use mfa_profile::profile::{ProfileSet, SharedFiles};
use std::ffi::{OsStr, OsString};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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

/// A temp HOME with `.aws/credentials` and `.aws/config` inside.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        TestEnv { dir }
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
    /// `wine`, see scripts/test-windows.sh). Wine gets its own `WINE*` variables, the home as
    /// `WINEHOME` (wine passes no `HOME`) and the shared files as `Z:` paths.
    pub fn mfa(&self) -> Command {
        let Some(bin) = std::env::var_os("MFA_PROFILE_TEST_BIN") else {
            return self.command(env!("CARGO_BIN_EXE_mfa-profile"));
        };
        let Some(runner) = std::env::var_os("MFA_PROFILE_TEST_RUNNER") else {
            return self.command(bin);
        };
        let mut cmd = self.command(runner);
        cmd.arg(bin);
        if testing_windows_exe() {
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
/// exit code, stdout and stderr.
pub struct Test {
    env: TestEnv,
    args: Vec<OsString>,
    vars: Vec<(String, OsString)>,
    stdin: Option<Vec<u8>>,
    status: i32,
    stderr_has: Vec<String>,
    stdout_has: Vec<String>,
    stdout_is: Option<String>,
}

impl Test {
    pub fn new() -> Test {
        Test::in_env(TestEnv::new())
    }

    /// A run in an existing environment (for a second run on the same files), in the next
    /// 30 s code window: tests chain refreshes with one fixed code, which a real device would
    /// not allow twice in a window (tests of that use `TestEnv` and `run` directly).
    pub fn in_env(env: TestEnv) -> Test {
        env.next_code_window();
        Test {
            env,
            args: Vec::new(),
            vars: Vec::new(),
            stdin: None,
            status: 0,
            stderr_has: Vec::new(),
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

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(bytes.into());
        self
    }

    /// The exit code expected (0 unless said).
    pub fn status(mut self, code: i32) -> Test {
        self.status = code;
        self
    }

    pub fn stderr_has(mut self, text: &str) -> Test {
        self.stderr_has.push(text.to_owned());
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

    /// Runs mfa-profile and checks every expectation.
    pub fn run(self) -> Ran {
        let mut cmd = self.env.mfa();
        cmd.args(&self.args);
        for (name, value) in &self.vars {
            cmd.env(name, value);
        }
        let out = match &self.stdin {
            None => run(&mut cmd),
            Some(bytes) => run_with_stdin(&mut cmd, bytes),
        };
        out.assert_code(self.status);
        for text in &self.stderr_has {
            out.assert_stderr_has(text);
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

/// mfa-profile run without a controlling terminal (`setsid`), so nothing can prompt there.
pub fn detached(env: &TestEnv) -> Command {
    let mut cmd = env.command("setsid");
    cmd.arg("-w").arg(BIN);
    cmd
}

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

/// Whether an external tool is on PATH. Under CI a missing tool fails the test; elsewhere the
/// test is skipped with a note.
pub fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            !in_ci(),
            "{tool} is required under CI=true but is not installed (.ci/run installs it)"
        );
        eprintln!("SKIPPED: {tool} is not installed");
    }
    found
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether moto says it listens ("Running on"), within 30 s; false when it exits first. Its
/// standard error is read to the end meanwhile, so it never blocks on a full pipe.
fn moto_listens(child: &mut Child) -> bool {
    use std::io::BufRead;
    let Some(stderr) = child.stderr.take() else {
        return false;
    };
    let (said, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("Running on") {
                let _ = said.send(());
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if listening.recv_timeout(Duration::from_millis(100)).is_ok() {
            return true;
        }
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
    }
    false
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not listen on port {port} within 30 s");
}

/// `aws ... sts get-caller-identity` against moto (`cmd` is the `aws` command with its profile
/// arguments); its exit code and output.
pub fn caller_identity(cmd: &mut Command, moto: &Moto) -> Run {
    run(cmd.args([
        "--region",
        "us-east-1",
        "--endpoint-url",
        &moto.url(),
        "sts",
        "get-caller-identity",
        "--output",
        "json",
    ]))
}

/// A moto STS emulator on 127.0.0.1, stopped on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    /// Starts moto_server; `None` (skip) when it is not installed outside CI.
    pub fn start() -> Option<Moto> {
        if !require("moto_server") {
            return None;
        }
        // Another test's server may take the port `free_port` found before moto binds it: then
        // moto exits, and the port answers for someone else. Only moto's own "Running on" line
        // says the port is ours; on an early exit, try another port.
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("moto_server starts");
            if moto_listens(&mut child) {
                wait_for_port(port, &mut child, "moto_server");
                return Some(Moto { child, port });
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("moto_server could not bind a free port in 5 tries");
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the canned STS answers to GetSessionToken: fixed keys, expiring 2099-01-01.
pub const CANNED_KEY: &str = "ASIACANNEDEXAMPLE";
pub const CANNED_SECRET: &str = "cannedSecret/EXAMPLE+key0123456789abcdef";
pub const CANNED_TOKEN: &str =
    "FwoGZXIvYXdzEXAMPLEcannedTOKEN//0123456789+abcdefghijklmnopqrstuv==";
/// What it answers to AssumeRole.
pub const CANNED_ROLE_KEY: &str = "ASIACANNEDROLEEXAMPLE";

fn canned_answer(action: &str, key: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result><Credentials>\
<SessionToken>{CANNED_TOKEN}</SessionToken><SecretAccessKey>{CANNED_SECRET}</SecretAccessKey>\
<Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>{key}</AccessKeyId>\
</Credentials></{action}Result><ResponseMetadata><RequestId>58c5dbae-EXAMPLE</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// A wiremock STS on 127.0.0.1 answering GetSessionToken and AssumeRole with fixed keys, so a
/// refresh's file can be compared byte for byte. Stopped on drop.
pub struct CannedSts {
    runtime: tokio::runtime::Runtime,
    server: wiremock::MockServer,
}

impl CannedSts {
    pub fn start() -> CannedSts {
        use wiremock::matchers::{body_string_contains, method};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            for (action, key) in [
                ("GetSessionToken", CANNED_KEY),
                ("AssumeRole", CANNED_ROLE_KEY),
            ] {
                Mock::given(method("POST"))
                    .and(body_string_contains(format!("Action={action}")))
                    .respond_with(
                        ResponseTemplate::new(200)
                            .insert_header("content-type", "text/xml")
                            .set_body_string(canned_answer(action, key)),
                    )
                    .mount(&server)
                    .await;
            }
            server
        });
        CannedSts { runtime, server }
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The access key id each request was signed with (from its `Authorization` header), in
    /// order.
    pub fn signing_keys(&self) -> Vec<String> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let auth = r
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                auth.split("Credential=")
                    .nth(1)
                    .and_then(|c| c.split('/').next())
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// The bodies of the requests received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect()
    }
}
