//! Plain-http STS endpoints, tried in a network namespace of the test's own (`unshare -n`):
//! only loopback exists there, with a listener on 192.0.2.10:8080 (an address of another
//! machine as far as mfa-profile knows) counting the connections it gets. No packet can leave
//! the namespace, and a refusal is proven to come before any connection.

use crate::support::*;
use std::path::Path;

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

/// The unshare flags that give this user a network namespace: `-n` as root, `-rn` (a user
/// namespace mapping us to root) otherwise. `None` when neither works.
fn unshare_flags() -> Option<&'static str> {
    ["-n", "-rn"].into_iter().find(|flags| {
        std::process::Command::new("unshare")
            .args([flags, "true"])
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Whether the tools are here (under CI=true their absence fails the test); the unshare flags.
pub(crate) fn tools() -> Option<&'static str> {
    if !(require("unshare") && require("ip") && require("python3")) {
        return None;
    }
    let flags = unshare_flags();
    assert!(
        flags.is_some() || !in_ci(),
        "unshare -n (or -rn) does not work on this machine; the private-network tests need it"
    );
    flags
}

/// Runs mfa-profile with `args` and `vars` in a private network; returns what it did and how
/// many connections the "remote" endpoint got.
fn in_private_network(
    env: &TestEnv,
    flags: &str,
    args: &[&str],
    vars: &[(&str, &str)],
) -> (Run, usize) {
    let connections = env.home().join("connections");
    let mut cmd = env.command("unshare");
    cmd.args([
        flags,
        "sh",
        "-c",
        SETUP,
        "sh",
        env!("CARGO_BIN_EXE_mfa-profile"),
    ])
    .args(args)
    .env("LISTENER", LISTENER)
    .env("CONNECTIONS", &connections);
    for (name, value) in vars {
        cmd.env(name, value);
    }
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
    let Some(flags) = tools() else { return };
    let env = TestEnv::with_credentials(&default_source());
    let (out, connections) =
        in_private_network(&env, flags, &["123456", "--endpoint-url", REMOTE], &[]);
    assert_refused(&out, connections, "--endpoint-url", &env);
}

#[test]
fn a_plain_http_aws_endpoint_url_sts_off_this_machine_is_refused_before_any_connection() {
    let Some(flags) = tools() else { return };
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
    let Some(flags) = tools() else { return };
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
    let Some(flags) = tools() else { return };
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
