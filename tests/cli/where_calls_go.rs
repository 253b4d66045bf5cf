//! Where STS and IAM calls go, seen by a CONNECT proxy of the test's own: the binary runs in a
//! network namespace of its own (`unshare -n`, loopback only), with `HTTPS_PROXY` naming that
//! proxy **without a scheme** (`127.0.0.1:3128`, as the AWS CLI accepts it). The proxy writes
//! down the host of each `CONNECT` and answers 502, so nothing reaches another host and the
//! tool's failure ("cannot reach") comes after the host it chose is known. A canned STS on
//! plain http inside the namespace answers GetCallerIdentity, so that IAM's host can be seen
//! too (a plain-http endpoint is reached directly, never through the proxy).
//!
//! Each test pins a finding of issue 21 ("on the SDK"): FIPS and dual-stack endpoints ignored,
//! `aws-global` sent to a host that does not exist, the European Sovereign Cloud called "not
//! an AWS host", IAM's FIPS endpoint never used, a proxy named without a scheme refused.

use crate::support::*;

/// The proxy (on 127.0.0.1:3128) and the canned STS (127.0.0.1:8080); `$1` is the file the
/// proxy writes `CONNECT` lines to, `$1.ready` is made once both listen.
const SERVERS: &str = r#"
import socket, sys, threading, http.server
log = sys.argv[1]
proxy = socket.socket()
proxy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
proxy.bind(('127.0.0.1', 3128))
proxy.listen(16)
def serve_proxy():
    while True:
        c, _ = proxy.accept()
        data = b''
        while b'\r\n\r\n' not in data:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
        with open(log, 'a') as f:
            f.write(data.split(b'\r\n', 1)[0].decode('latin-1') + '\n')
        c.sendall(b'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        c.close()
threading.Thread(target=serve_proxy, daemon=True).start()
BODY = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        b'<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>'
        b'<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>'
        b'<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>')
class Sts(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('content-length', 0)))
        self.send_response(200)
        self.send_header('content-type', 'text/xml')
        self.send_header('content-length', str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *args):
        pass
sts = http.server.HTTPServer(('127.0.0.1', 8080), Sts)
open(log + '.ready', 'w').close()
sts.serve_forever()
"#;

/// Brings loopback up, starts the servers, runs the command given as arguments, stops them;
/// exits 90 when the namespace cannot be set up.
const SETUP: &str = "\
ip link set lo up || exit 90
python3 -c \"$SERVERS\" \"$CONNECTS\" &
servers=$!
tries=0
while [ ! -e \"$CONNECTS.ready\" ]; do
  tries=$((tries + 1)); [ $tries -gt 200 ] && exit 91
  sleep 0.05
done
\"$@\"; code=$?
kill $servers
exit $code
";

/// The canned STS inside the namespace.
const CANNED_STS: &str = "http://127.0.0.1:8080";

/// Runs mfa-profile with `args` and `vars` in a network namespace, `HTTPS_PROXY` naming the
/// recording proxy without a scheme; what it did, and the hosts it asked the proxy for.
fn through_the_proxy(
    env: &TestEnv,
    args: &[&str],
    vars: &[(&str, &str)],
) -> Option<(Run, Vec<String>)> {
    let flags = crate::private_network::tools()?;
    let connects = env.home().join("connects");
    let mut cmd = env.command("unshare");
    // The binary under test (MFA_PROFILE_TEST_BIN names another, an older build say).
    let bin = std::env::var_os("MFA_PROFILE_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_mfa-profile").into());
    cmd.args([flags, "sh", "-c", SETUP, "sh"])
        .arg(bin)
        .args(args)
        .env("SERVERS", SERVERS)
        .env("CONNECTS", &connects)
        .env("HTTPS_PROXY", "127.0.0.1:3128");
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let out = run(&mut cmd);
    assert!(
        out.code != 90 && out.code != 91,
        "the namespace could not be set up: {}",
        out.stderr
    );
    let mut hosts: Vec<String> = std::fs::read_to_string(&connects)
        .unwrap_or_default()
        .lines()
        .map(|line| line.split_whitespace().nth(1).unwrap_or(line).to_owned())
        .collect();
    hosts.dedup();
    Some((out, hosts))
}

/// Asserts a refresh asked the proxy for `host` alone, and said it could not reach it.
fn refresh_goes_to(source: &str, args: &[&str], vars: &[(&str, &str)], host: &str) {
    let env = TestEnv::with_credentials(source);
    let mut all = vec!["123456"];
    all.extend_from_slice(args);
    let Some((out, hosts)) = through_the_proxy(&env, &all, vars) else {
        return;
    };
    assert_eq!(hosts, [format!("{host}:443")], "{out}");
    out.assert_code(1)
        .assert_stderr_has(&format!("cannot reach STS at https://{host}"));
    out.assert_stderr_has("the proxy http://127.0.0.1:3128 that HTTPS_PROXY names");
    assert_eq!(env.read_credentials_text(), source);
}

fn source_with(lines: &str) -> String {
    format!("{}{lines}", default_source())
}

/// Pins "`AWS_USE_FIPS_ENDPOINT` ... ignored (request still goes to sts.REGION.amazonaws.com)".
#[test]
fn aws_use_fips_endpoint_sends_sts_calls_to_the_fips_endpoint() {
    refresh_goes_to(
        &default_source(),
        &[],
        &[("AWS_USE_FIPS_ENDPOINT", "true")],
        "sts-fips.us-east-1.amazonaws.com",
    );
}

/// Pins "`use_fips_endpoint` ... ignored", the source profile's key.
#[test]
fn use_fips_endpoint_in_the_source_profile_sends_sts_calls_to_the_fips_endpoint() {
    refresh_goes_to(
        &source_with("region = us-west-2\nuse_fips_endpoint = true\n"),
        &[],
        &[],
        "sts-fips.us-west-2.amazonaws.com",
    );
}

/// Pins "`AWS_USE_DUALSTACK_ENDPOINT` ... ignored".
#[test]
fn aws_use_dualstack_endpoint_sends_sts_calls_to_the_dual_stack_endpoint() {
    refresh_goes_to(
        &source_with("region = eu-west-1\n"),
        &[],
        &[("AWS_USE_DUALSTACK_ENDPOINT", "true")],
        "sts.eu-west-1.api.aws",
    );
}

/// The source profile's `use_dualstack_endpoint`, and a variable saying `false` that wins
/// over the profile's `true` for FIPS.
#[test]
fn use_dualstack_endpoint_in_the_source_profile_and_a_variable_winning_over_the_profile() {
    refresh_goes_to(
        &source_with(
            "region = eu-west-1\nuse_dualstack_endpoint = true\nuse_fips_endpoint = true\n",
        ),
        &[],
        &[("AWS_USE_FIPS_ENDPOINT", "false")],
        "sts.eu-west-1.api.aws",
    );
}

/// Pins "region `aws-global` goes to `sts.aws-global.amazonaws.com` (no such host)".
#[test]
fn region_aws_global_goes_to_the_global_endpoint() {
    refresh_goes_to(
        &default_source(),
        &["--region", "aws-global"],
        &[],
        "sts.amazonaws.com",
    );
}

/// Pins "`--endpoint-url https://sts.eusc-de-east-1.amazonaws.eu` called 'not an AWS host'".
#[test]
fn the_european_sovereign_cloud_is_an_aws_host() {
    let env = TestEnv::with_credentials(&default_source());
    let Some((out, hosts)) = through_the_proxy(
        &env,
        &[
            "123456",
            "--endpoint-url",
            "https://sts.eusc-de-east-1.amazonaws.eu",
        ],
        &[],
    ) else {
        return;
    };
    assert_eq!(hosts, ["sts.eusc-de-east-1.amazonaws.eu:443"], "{out}");
    out.assert_stderr_lacks("not an AWS host");
}

/// `status --keys` for a source of `region`, STS answered by the canned STS; the hosts of
/// IAM's calls.
fn iam_hosts(region: &str, vars: &[(&str, &str)]) -> Option<(Run, Vec<String>)> {
    let env = TestEnv::with_credentials(&format!(
        "{}region = {region}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    ));
    let (out, hosts) = through_the_proxy(
        &env,
        &["status", "--keys", "--endpoint-url", CANNED_STS],
        vars,
    )?;
    out.assert_stderr_has("ListAccessKeys");
    Some((out, hosts))
}

/// Pins "IAM calls for a later partition sent to the commercial partition": IAM's endpoint is
/// the SDK's for the region's partition (here the European Sovereign Cloud), and the plain-http
/// STS on this machine is reached directly (only IAM's host is asked of the proxy).
#[test]
fn iam_calls_go_to_the_partition_of_the_region() {
    let Some((out, hosts)) = iam_hosts("eusc-de-east-1", &[]) else {
        return;
    };
    assert_eq!(hosts, ["iam.eusc-de-east-1.amazonaws.eu:443"], "{out}");
}

/// IAM's FIPS endpoint with `AWS_USE_FIPS_ENDPOINT` (the tool sent IAM's calls to
/// iam.amazonaws.com whatever it said).
#[test]
fn aws_use_fips_endpoint_sends_iam_calls_to_iams_fips_endpoint() {
    let Some((out, hosts)) = iam_hosts("us-east-1", &[("AWS_USE_FIPS_ENDPOINT", "true")]) else {
        return;
    };
    assert_eq!(hosts, ["iam-fips.amazonaws.com:443"], "{out}");
}
