//! moto, a real emulator, on 127.0.0.1 for the tests whose real consumer (the aws CLI, boto3,
//! an SDK) calls AWS with what the tool wrote; and IAM in it (`moto_iam`), made with boto3.
//! Tests of the tool's own STS and IAM calls use the stand-in (`standin/`), which enforces
//! AWS's rules where moto enforces almost none.

use super::harness::{free_port, require, run, Run};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
