//! Test harness: a throw-away HOME with its own shared files, the binary run with every AWS_*
//! variable removed, and local servers (moto) that the test starts and stops.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Placeholder long-term keys (AWS's documentation examples), never real ones.
pub const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

/// The usual source profile.
pub fn default_source() -> String {
    format!("[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n")
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

    /// A command with a scrubbed environment: PATH kept, HOME and both AWS file variables
    /// pointing into the temp dir, nothing else (in particular no AWS_* variable).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
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

/// What a finished command did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
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
        let port = free_port();
        let mut child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        wait_for_port(port, &mut child, "moto_server");
        Some(Moto { child, port })
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

/// The lines of a credentials section, as `key = value` pairs (simple files only).
pub fn section<'a>(text: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let header = format!("[{name}]");
    let mut inside = false;
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('[') {
            inside = line == header;
        } else if inside {
            if let Some((k, v)) = line.split_once('=') {
                found.push((k.trim(), v.trim()));
            }
        }
    }
    found
}

pub fn value<'a>(text: &'a str, section_name: &str, key: &str) -> Option<&'a str> {
    section(text, section_name)
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}
