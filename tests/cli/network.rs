//! Where STS and IAM calls go: the endpoint flags, variables and profile keys (`endpoint_url`,
//! a `services` section, `ignore_configured_endpoint_urls`), FIPS, dual-stack and partition
//! endpoints, and proxies (a plain-http endpoint on this machine never goes through one).
//!
//! The endpoint-choosing tests run the binary in a network namespace of its own (`unshare -n`,
//! loopback only), with `HTTPS_PROXY` naming a proxy of the test's **without a scheme**
//! (`127.0.0.1:3128`, as the AWS CLI accepts it). The proxy writes down the host of each
//! `CONNECT` and answers 502, so nothing reaches another host and the tool's failure ("cannot
//! reach") comes after the host it chose is known. The stand-in answers STS on plain http
//! inside the namespace (through a forwarder to its socket file), so that IAM's host can be
//! seen too (a plain-http endpoint is reached directly, never through the proxy).
//!
//! Each of those pins a finding of issue 21 ("on the SDK"): FIPS and dual-stack endpoints
//! ignored, `aws-global` sent to a host that does not exist, the European Sovereign Cloud called
//! "not an AWS host", IAM's FIPS endpoint never used, a proxy named without a scheme refused.
//! Trust (HTTPS, CA bundles, CONNECT tunnels) is in `trust.rs`.

use crate::support::namespace::namespace_flags;
use crate::support::proxy::CountingListener;
use crate::support::*;

const CODE: &str = "123456";

/// The proxy (on 127.0.0.1:3128) and a forwarder from 127.0.0.1:8080 to the stand-in's socket
/// file (`$2`); `$1` is the file the proxy writes `CONNECT` lines to, `$1.ready` is made once
/// both listen.
const SERVERS: &str = r#"
import socket, sys, threading
log, standin = sys.argv[1], sys.argv[2]
def listen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', port))
    s.listen(16)
    return s
proxy, forwarder = listen(3128), listen(8080)
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
def pump(a, b):
    try:
        while True:
            chunk = a.recv(65536)
            if not chunk:
                break
            b.sendall(chunk)
    except OSError:
        pass
    try:
        b.shutdown(socket.SHUT_WR)
    except OSError:
        pass
def forward():
    while True:
        c, _ = forwarder.accept()
        u = socket.socket(socket.AF_UNIX)
        u.connect(standin)
        threading.Thread(target=pump, args=(c, u), daemon=True).start()
        threading.Thread(target=pump, args=(u, c), daemon=True).start()
threading.Thread(target=serve_proxy, daemon=True).start()
open(log + '.ready', 'w').close()
forward()
"#;

/// Brings loopback up, starts the servers, runs the command given as arguments, stops them;
/// exits 90 when the namespace cannot be set up.
const SETUP: &str = "\
ip link set lo up || exit 90
python3 -c \"$SERVERS\" \"$CONNECTS\" \"$STANDIN_SOCKET\" &
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

/// The stand-in, as the namespace reaches it.
const STS_IN_THE_NAMESPACE: &str = "http://127.0.0.1:8080";

/// Runs mfa-profile with `args` and `vars` in a network namespace, `HTTPS_PROXY` naming the
/// recording proxy without a scheme, STS at [`STS_IN_THE_NAMESPACE`] answered by `aws`, and
/// expects exit `status`; what it printed, and the hosts it asked the proxy for.
fn through_the_proxy(
    aws: &StandIn,
    env: &TestEnv,
    args: &[&str],
    vars: &[(&str, &str)],
    status: i32,
) -> Option<(Run, Vec<String>)> {
    let flags = namespace_flags()?;
    let connects = env.home().join("connects");
    let socket = env.home().join("standin.sock");
    aws.listen_unix(&socket);
    let out = Test::on(env)
        .wrapped(&["unshare", flags, "sh", "-c", SETUP, "sh"])
        .args(args)
        .env("SERVERS", SERVERS)
        .env("CONNECTS", &connects)
        .env("STANDIN_SOCKET", &socket)
        .env("HTTPS_PROXY", "127.0.0.1:3128")
        .envs(vars.iter().copied())
        .status(status)
        .run()
        .out;
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
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(source);
    let mut all = vec![CODE];
    all.extend_from_slice(args);
    let Some((out, hosts)) = through_the_proxy(&aws, &env, &all, vars, 1) else {
        return;
    };
    assert_eq!(hosts, [format!("{host}:443")], "{out}");
    out.assert_stderr_has(&format!("cannot reach STS at https://{host}"));
    out.assert_stderr_has("the proxy http://127.0.0.1:3128 that HTTPS_PROXY names");
    assert_eq!(env.read_credentials_text(), source);
    assert!(aws.calls().is_empty(), "{:?}", aws.calls());
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
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&default_source());
    let Some((out, hosts)) = through_the_proxy(
        &aws,
        &env,
        &[
            CODE,
            "--endpoint-url",
            "https://sts.eusc-de-east-1.amazonaws.eu",
        ],
        &[],
        1,
    ) else {
        return;
    };
    assert_eq!(hosts, ["sts.eusc-de-east-1.amazonaws.eu:443"], "{out}");
    out.assert_stderr_lacks("not an AWS host");
}

/// `status --keys` for a source of `region`, STS answered by the stand-in; the hosts of IAM's
/// calls.
fn iam_hosts(region: &str, vars: &[(&str, &str)]) -> Option<(Run, Vec<String>)> {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}region = {region}\n{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    ));
    let (out, hosts) = through_the_proxy(
        &aws,
        &env,
        &["status", "--keys", "--endpoint-url", STS_IN_THE_NAMESPACE],
        vars,
        0,
    )?;
    out.assert_stderr_has("ListAccessKeys");
    assert_eq!(aws.actions(), ["GetCallerIdentity"], "STS reached directly");
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

#[test]
fn the_source_profiles_endpoint_url_is_used() {
    let aws = StandIn::start();
    let config = format!("[default]\nendpoint_url = {}\n", aws.url());
    Test::new()
        .credentials(default_source())
        .config(&config)
        .arg(CODE)
        .stderr_has("(from the source profile's endpoint_url), which is not an AWS host")
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(aws.calls().len(), 1);
}

#[test]
fn the_source_profiles_services_section_is_used_for_sts() {
    let aws = StandIn::start();
    let config = format!(
        "[default]\nservices = local\nendpoint_url = {CLOSED}\n\n[services local]\nsts =\n  endpoint_url = {}\n",
        aws.url()
    );
    Test::new()
        .credentials(default_source())
        .config(&config)
        .arg(CODE)
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(
        aws.calls().len(),
        1,
        "[services local] wins over endpoint_url"
    );
}

#[test]
fn ignore_configured_endpoint_urls_turns_the_profiles_endpoint_off() {
    // The request then goes to STS's own endpoint: in a network namespace with no network, so
    // nothing leaves the machine.
    require!("unshare");
    Test::new()
        .credentials(default_source())
        .config(
            "[default]\nendpoint_url = http://127.0.0.1:9\nignore_configured_endpoint_urls = true\n",
        )
        .wrapped(&["unshare", "-n"])
        .args([CODE, "--region", "us-east-1"])
        .status(1)
        .stderr_has("https://sts.us-east-1.amazonaws.com")
        .stderr_lacks("127.0.0.1:9")
        .run();
}

#[test]
fn aws_ignore_configured_endpoint_urls_turns_the_variable_and_the_profiles_endpoint_off() {
    // As the profile key above, from the environment, padded as a shell may leave it.
    require!("unshare");
    Test::new()
        .credentials(default_source())
        .config("[default]\nendpoint_url = http://127.0.0.1:9\n")
        .wrapped(&["unshare", "-n"])
        .args([CODE, "--region", "us-east-1"])
        .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:8")
        .env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", " TRUE ")
        .status(1)
        .stderr_has("https://sts.us-east-1.amazonaws.com")
        .stderr_lacks("127.0.0.1:9")
        .stderr_lacks("127.0.0.1:8")
        .run();
}

#[test]
fn aws_endpoint_url_is_named_and_not_used_for_iam() {
    // IAM's own endpoint would be called: in a network namespace with no network, nothing
    // leaves the machine.
    require!("unshare");
    Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", "2099-01-01T00:00:00Z")
        ))
        .wrapped(&["unshare", "-n"])
        .args(["status", "--keys", "--endpoint-url", "http://127.0.0.1:8"])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .stderr_has("AWS_ENDPOINT_URL is set but not used for IAM: keys go only to --iam-endpoint-url, AWS_ENDPOINT_URL_IAM or IAM itself")
        .stderr_lacks("127.0.0.1:9")
        .run();
}

/// Pins the finding "a plain-http loopback endpoint (`--endpoint-url http://localhost:PORT`) is
/// sent through `http_proxy`, MFA code included, in clear text": with every proxy variable set,
/// the request goes straight to the endpoint on this machine.
#[test]
fn a_plain_http_endpoint_never_goes_through_a_proxy() {
    let aws = StandIn::start();
    let proxy = CountingListener::start();
    let localhost = aws.url().replace("127.0.0.1", "localhost");
    let ran = Test::new()
        .credentials(default_source())
        .args(["--endpoint-url", &localhost, CODE])
        .env("http_proxy", proxy.url())
        .env("HTTP_PROXY", proxy.url())
        .env("ALL_PROXY", proxy.url())
        .env("HTTPS_PROXY", proxy.url())
        .stderr_has("wrote [mfa]")
        .run();
    assert_eq!(proxy.accepted(), 0, "{}", ran.out);
    assert_eq!(aws.actions(), ["GetSessionToken"]);
}

/// The same for IAM's calls (`status --keys` to a plain-http IAM and STS on this machine), each
/// proxy variable alone and two at once. Also stands for key_status's
/// `iam_calls_to_an_http_endpoint_go_straight_whatever_proxy_is_set` (merged here; it was
/// issue 21's "IAM calls to an http endpoint go through http_proxy").
#[test]
fn iam_calls_to_a_plain_http_endpoint_never_go_through_a_proxy() {
    let aws = StandIn::start();
    let text = with_mfa_session(&aws, 3600, "");
    for variables in [
        &["http_proxy"][..],
        &["HTTPS_PROXY"],
        &["ALL_PROXY"],
        &["http_proxy", "ALL_PROXY"],
    ] {
        let proxy = CountingListener::start();
        let lists = aws.signers_of("ListAccessKeys").len();
        Test::new()
            .credentials(&text)
            .args(["status", "--keys"])
            .args(aws.endpoints())
            .envs(variables.iter().map(|name| (name, proxy.url())))
            .stdout_has(&format!("default  {AKID}  alice"))
            .stderr_lacks("goes through the proxy")
            .run();
        assert_eq!(proxy.accepted(), 0, "{variables:?}");
        assert_eq!(
            aws.signers_of("ListAccessKeys").len(),
            lists + 1,
            "{variables:?}"
        );
    }
}
