//! The container credentials endpoint (`serve`, `exec --server`): what it prints, what it
//! answers and refuses (by hand: a POST, a foreign Host, a body; and through botocore, which
//! reports each refusal), 100 requests at once, an expired session never handed out, and the
//! real consumers (boto3, the aws CLI, the JavaScript SDK v3, the Rust SDK's default chain)
//! getting the session through `exec --server` and a new one once a short session expires.

use crate::support::raw_http;
use crate::support::standin::*;
use crate::support::*;
use std::io::{BufRead, Read};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EXPIRED: &str = "2001-01-01T00:00:00Z";
const FAR: &str = "2099-01-01T00:00:00Z";

/// A `serve` run in the background, stopped on drop; its standard error gathered.
struct Serving {
    child: Child,
    url: String,
    token: String,
    stdout: String,
    log: Arc<Mutex<String>>,
}

impl Serving {
    /// Starts `mfa-profile serve ARGS` in `env` and waits for the variables it prints.
    fn start(env: &TestEnv, args: &[&str]) -> Serving {
        Serving::spawn(Test::on(env).arg("serve").args(args).command())
    }

    /// Starts `command` (a `serve`) and waits for the variables it prints.
    fn spawn(mut command: std::process::Command) -> Serving {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let gathered = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let mut log = gathered.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        // serve closes its standard output once the variables are printed.
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let exported = |name: &str| {
            stdout
                .lines()
                .find_map(|l| {
                    l.strip_prefix(&format!("export {name}='"))?
                        .strip_suffix('\'')
                })
                .unwrap_or_else(|| panic!("{name} not printed\n{stdout}\n{}", log.lock().unwrap()))
                .to_owned()
        };
        let (url, token) = (
            exported("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            exported("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        );
        Serving {
            child,
            url,
            token,
            stdout,
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until the log holds `text`.
    fn wait_for_log(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if log.contains(text) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, headers: &[(&str, &str)]) -> raw_http::Reply {
        raw_http::get(&self.url, headers)
    }

    fn authority(&self) -> String {
        raw_http::split_url(&self.url).0.to_owned()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Credentials with a managed `[mfa]` valid until `expiration` (placeholder keys).
fn with_mfa(expiration: &str) -> TestEnv {
    TestEnv::with_credentials(&format!(
        "{}\n{}",
        default_source(),
        managed("mfa", "default", expiration)
    ))
}

#[test]
fn serve_prints_the_variables_and_answers_the_targets_session() {
    let env = with_mfa(FAR);
    let serving = Serving::start(&env, &["-t", "mfa"]);
    assert!(
        serving.url.starts_with("http://127.0.0.1:") && serving.url.ends_with("/credentials"),
        "{}",
        serving.url
    );
    assert_eq!(serving.token.len(), 64);
    assert_eq!(serving.stdout.lines().count(), 2, "{}", serving.stdout);
    let reply = serving.get(&[("Authorization", &serving.token)]);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(
        reply.json(),
        serde_json::json!({"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "sessionsecret",
            "Token": "sessiontoken", "Expiration": FAR})
    );
    let log = serving.wait_for_log("200, [mfa] valid until");
    assert!(
        log.contains("GET /credentials: 200, [mfa] valid until 2099-01-01"),
        "{log}"
    );
    for secret in [&serving.token, "sessionsecret", "sessiontoken"] {
        assert!(!log.contains(secret), "a secret in the log:\n{log}");
    }
    #[cfg(target_os = "linux")]
    {
        let argv = std::fs::read(format!("/proc/{}/cmdline", serving.child.id())).unwrap();
        assert!(!String::from_utf8_lossy(&argv).contains(&serving.token));
    }
}

#[test]
fn serve_prints_the_variables_in_the_format_asked() {
    let env = with_mfa(FAR);
    let mut child = Test::on(&env)
        .args(["serve", "-t", "mfa", "--format", "powershell"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("$Env:AWS_CONTAINER_CREDENTIALS_FULL_URI='http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("$Env:AWS_CONTAINER_AUTHORIZATION_TOKEN='"));
    // The process format holds a session, not variables.
    Test::in_env(env)
        .args(["serve", "-t", "mfa", "--format", "process"])
        .status(2)
        .stderr_has("invalid value 'process' for '--format <FORMAT>'")
        .run();
}

#[test]
fn every_request_but_a_get_of_the_path_with_the_host_and_token_is_refused_and_logged() {
    let env = with_mfa(FAR);
    let serving = Serving::start(&env, &["-t", "mfa"]);
    let authority = serving.authority();
    let token = serving.token.as_str();
    let auth = format!("Authorization: {token}");
    let cases: [(String, &[u8], u16, &str); 7] = [
        (
            format!("GET /credentials HTTP/1.1\r\nHost: {authority}"),
            b"",
            401,
            "NoToken",
        ),
        (
            format!(
                "GET /credentials HTTP/1.1\r\nHost: {authority}\r\nAuthorization: {}x",
                &token[1..]
            ),
            b"",
            403,
            "WrongToken",
        ),
        (
            format!(
                "GET /credentials HTTP/1.1\r\nHost: attacker.example:{}\r\n{auth}",
                &authority[10..]
            ),
            b"",
            403,
            "ForeignHost",
        ),
        (
            format!(
                "POST /credentials HTTP/1.1\r\nHost: {authority}\r\n{auth}\r\nContent-Length: 0"
            ),
            b"",
            405,
            "MethodNotAllowed",
        ),
        (
            format!("GET /other HTTP/1.1\r\nHost: {authority}\r\n{auth}"),
            b"",
            404,
            "NotFound",
        ),
        (
            format!(
                "GET /credentials HTTP/1.1\r\nHost: {authority}\r\n{auth}\r\nContent-Length: 5"
            ),
            b"hello",
            400,
            "Body",
        ),
        (
            format!("GET http://{authority}/credentials HTTP/1.1\r\nHost: {authority}\r\n{auth}"),
            b"",
            404,
            "NotFound",
        ),
    ];
    for (head, body, status, code) in &cases {
        let reply = raw_http::send(&authority, head, body);
        assert_eq!(reply.status, *status, "{head}\n{reply:?}");
        assert_eq!(reply.json()["Code"], *code, "{reply:?}");
        assert!(!reply.body.contains(token));
        if *status == 405 {
            assert_eq!(reply.header("allow"), Some("GET"));
        }
        let log = serving.wait_for_log(&format!("{status} {code}"));
        assert!(log.contains("refused 127.0.0.1:"), "{log}");
    }
    let log = serving.log();
    assert!(!log.contains(token), "the token in the log:\n{log}");
    assert!(!log.contains("sessionsecret"));
    // Still serving after all that.
    assert_eq!(serving.get(&[("Authorization", token)]).status, 200);
}

#[test]
fn a_request_head_larger_than_the_bound_is_refused() {
    let env = with_mfa(FAR);
    let serving = Serving::start(&env, &["-t", "mfa"]);
    let authority = serving.authority();
    let head = format!(
        "GET /credentials HTTP/1.1\r\nHost: {authority}\r\nAuthorization: {}\r\nX-Padding: {}",
        serving.token,
        "a".repeat(20_000)
    );
    let reply = raw_http::send(&authority, &head, b"");
    assert_eq!(reply.status, 431, "{reply:?}");
}

#[test]
fn a_hundred_requests_at_once_are_answered() {
    let env = with_mfa(FAR);
    let serving = Arc::new(Serving::start(&env, &["-t", "mfa"]));
    let barrier = Arc::new(std::sync::Barrier::new(100));
    let started = Instant::now();
    let threads: Vec<_> = (0..100)
        .map(|_| {
            let (serving, barrier) = (Arc::clone(&serving), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                serving.get(&[("Authorization", &serving.token)])
            })
        })
        .collect();
    for thread in threads {
        let reply = thread.join().unwrap();
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(reply.json()["AccessKeyId"], "ASIAEXAMPLE");
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn an_expired_session_is_never_handed_out_and_the_log_says_why() {
    let expires = now() + 8;
    let env = with_mfa(&mfa_profile::rfc3339(expires));
    let serving = Serving::start(&env, &["-t", "mfa", "--no-input", "--min-remaining", "1s"]);
    assert_eq!(
        serving.get(&[("Authorization", &serving.token)]).status,
        200
    );
    let left = u64::try_from(expires + 1 - now()).unwrap_or(0);
    std::thread::sleep(Duration::from_secs(left));
    let reply = serving.get(&[("Authorization", &serving.token)]);
    assert_eq!(reply.status, 503, "{reply:?}");
    assert_eq!(reply.json()["Code"], "NoSession");
    let message = reply.json()["Message"].as_str().unwrap().to_owned();
    assert!(message.contains("[mfa] needs an MFA code"), "{message}");
    let log = serving.wait_for_log("503, no session to hand out");
    assert!(
        log.contains("503, no session to hand out: [mfa] needs an MFA code"),
        "{log}"
    );
    assert!(!reply.body.contains("sessionsecret"));
}

/// botocore's container provider pointed at `serving` with `url` and `token` (`None`: not set);
/// its exit code and output.
fn botocore_with(env: &TestEnv, url: &str, token: Option<&str>) -> Run {
    let mut cmd = env.command("python3");
    cmd.args([
        "-c",
        "import boto3; print(boto3.Session().get_credentials().get_frozen_credentials().access_key)",
    ])
    .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", url)
    .env("AWS_SHARED_CREDENTIALS_FILE", env.home().join("empty"));
    if let Some(token) = token {
        cmd.env("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
    }
    run(&mut cmd)
}

#[test]
fn botocore_reports_a_missing_or_wrong_token_and_a_foreign_host() {
    require!("python3");
    let env = with_mfa(FAR);
    let serving = Serving::start(&env, &["-t", "mfa"]);
    botocore_with(&env, &serving.url, Some(&serving.token))
        .assert_code(0)
        .assert_stdout_has("ASIAEXAMPLE");
    botocore_with(&env, &serving.url, None)
        .assert_code(1)
        .assert_stderr_has("Received non 200 response 401 from container metadata")
        .assert_stderr_has("NoToken");
    botocore_with(&env, &serving.url, Some("not-the-token"))
        .assert_code(1)
        .assert_stderr_has("Received non 200 response 403 from container metadata")
        .assert_stderr_has("WrongToken");
    // botocore takes `localhost` for a loopback host; the endpoint answers only its address.
    let by_name = serving.url.replace("127.0.0.1", "localhost");
    botocore_with(&env, &by_name, Some(&serving.token))
        .assert_code(1)
        .assert_stderr_has("ForeignHost");
    let log = serving.log();
    for code in ["401 NoToken", "403 WrongToken", "403 ForeignHost"] {
        assert!(log.contains(code), "{code} not logged:\n{log}");
    }
}

/// The stand-in with the source, an MFA session `[mfa]` it issued (12h), and `[admin]` derived
/// from it, expired; every session issued from then on lasts `life` seconds.
fn derived_admin(aws: &StandIn, life: i64) -> TestEnv {
    let base = aws.issue_session(USER, true, 12 * 3600);
    let env = TestEnv::with_credentials(&format!(
        "{}\n[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\nmfa_source_profile = default\n\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n",
        default_source(),
        base.key_id,
        base.secret,
        base.token,
        base.expiration,
        managed("admin", "default", EXPIRED)
    ));
    env.write_config("[default]\nregion = us-east-1\n");
    aws.sessions_last(life);
    env
}

/// How long the test's role sessions last: inside every consumer's refresh window (botocore
/// refreshes container credentials 15 minutes before they expire and must 10 minutes before;
/// the JavaScript SDK's default chain 5 minutes before; the Rust SDK's identity cache 10 s
/// before, plus up to 5 s of jitter), so each asks the endpoint again, and short enough to
/// expire during the test.
const LIFE: i64 = 20;
/// The endpoint refreshes a session valid for less than this.
const MIN_REMAINING: &str = "5s";
/// What each consumer waits between its two calls: until the first session has expired.
const BETWEEN: &str = "22";

/// Runs `command` through `exec --server -t admin` against `aws`; asserts it succeeded, that
/// the role was assumed again once its first session expired, and that the command's
/// GetCallerIdentity calls were signed with the role sessions the endpoint handed out: the
/// last with another than the first.
fn assert_two_sessions(aws: &StandIn, env: TestEnv, command: &[&str]) -> Run {
    let mut test = Test::in_env(env).args([
        "exec",
        "--server",
        "-t",
        "admin",
        "--no-input",
        "--min-remaining",
        MIN_REMAINING,
        "--",
    ]);
    test = test.args(command);
    for (name, value) in aws.endpoint_vars() {
        test = test.env(name, value);
    }
    let ran = test.run();
    // Two sessions at least (a third when a slow start made the first call find the first
    // session stale already), and the last call signed with another than the first.
    let bases = aws.signers_of("AssumeRole");
    assert!(bases.len() >= 2, "{:?}\n{}", aws.actions(), ran.out);
    let calls: Vec<Call> = aws
        .calls()
        .into_iter()
        .filter(|c| c.action == "GetCallerIdentity")
        .collect();
    let signers: Vec<&str> = calls.iter().map(|c| c.key_id.as_str()).collect();
    assert!(
        signers.len() >= 2 && signers.first() != signers.last(),
        "the last call's session is the first's: {signers:?}\n{}",
        ran.out
    );
    // Each call signed with a role session the endpoint handed out, never the base's.
    assert!(
        signers
            .iter()
            .all(|s| !bases.iter().any(|base| base == s) && s.starts_with("ASIASTANDIN")),
        "{signers:?} (the base signed {bases:?})"
    );
    assert!(calls.iter().all(|c| c.status == 200), "{calls:?}");
    ran.out
}

#[test]
fn boto3_gets_the_session_through_exec_server_and_a_new_one_after_it_expires() {
    require!("python3");
    let aws = StandIn::start();
    let env = derived_admin(&aws, LIFE);
    let script = r"import boto3, sys, time
sts = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1')
for wait in (0, float(sys.argv[2])):
    time.sleep(wait)
    print(sts.get_caller_identity()['Arn'], flush=True)
";
    let url = aws.url();
    let out = assert_two_sessions(&aws, env, &["python3", "-c", script, &url, BETWEEN]);
    assert_eq!(
        out.stdout.matches("assumed-role/admin/").count(),
        2,
        "{out}"
    );
}

#[test]
fn the_aws_cli_gets_the_session_through_exec_server_and_a_new_one_after_it_expires() {
    require!("aws");
    let aws = StandIn::start();
    let env = derived_admin(&aws, LIFE);
    let script = "aws sts get-caller-identity --endpoint-url \"$1\" --output text --query Arn && sleep \"$2\" && aws sts get-caller-identity --endpoint-url \"$1\" --output text --query Arn";
    let url = aws.url();
    let out = assert_two_sessions(&aws, env, &["sh", "-c", script, "sh", &url, BETWEEN]);
    assert_eq!(
        out.stdout.matches("assumed-role/admin/").count(),
        2,
        "{out}"
    );
}

/// tests/js-sdk, installed; `None` (skip) without node or the package outside CI.
fn js_sdk() -> Option<std::path::PathBuf> {
    if !require("node") {
        return None;
    }
    let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js-sdk"));
    if !dir.join("node_modules/@aws-sdk/client-sts").is_dir() {
        skipped(
            &current_test(),
            "tests/js-sdk/node_modules missing (`npm ci --prefix tests/js-sdk` installs it)",
        );
        return None;
    }
    Some(dir)
}

#[test]
fn the_javascript_sdk_gets_the_session_through_exec_server_and_a_new_one_after_it_expires() {
    let Some(dir) = js_sdk() else { return };
    let aws = StandIn::start();
    let env = derived_admin(&aws, LIFE);
    let script = dir.join("consumer.js");
    let url = aws.url();
    let out = assert_two_sessions(
        &aws,
        env,
        &["node", script.to_str().unwrap(), &url, "0", BETWEEN],
    );
    assert_eq!(
        out.stdout.matches("assumed-role/admin/").count(),
        2,
        "{out}"
    );
}

#[test]
fn the_javascript_sdk_reports_a_wrong_token() {
    let Some(dir) = js_sdk() else { return };
    let env = with_mfa(FAR);
    let serving = Serving::start(&env, &["-t", "mfa"]);
    let node = |args: &[&str], token: &str| {
        run(env
            .command("node")
            .arg(dir.join("consumer.js"))
            .args(args)
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &serving.url)
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", token)
            .env("AWS_SHARED_CREDENTIALS_FILE", env.home().join("empty")))
    };
    node(&["--from-http"], &serving.token)
        .assert_code(0)
        .assert_stdout_has("ASIAEXAMPLE");
    // The container provider says why; the default chain, only that it failed.
    node(&["--from-http"], "not-the-token")
        .assert_code(1)
        .assert_stderr_has("Server responded with status: 403 (WrongToken: the Authorization header is not this endpoint's token");
    node(&["http://127.0.0.1:9", "0"], "not-the-token")
        .assert_code(1)
        .assert_stderr_has(
            "CredentialsProviderError: Could not load credentials from any providers",
        );
    let log = serving.wait_for_log("403 WrongToken");
    assert!(log.matches("403 WrongToken").count() >= 2, "{log}");
}

/// The variable that makes [`rust_sdk_consumer`] act: the stand-in's URL.
const RUST_CONSUMER: &str = "MFA_PROFILE_TEST_RUST_CONSUMER";

/// The Rust SDK as a program `exec --server` runs: this test binary, running only this test
/// (ignored otherwise), with `aws-config`'s default chain calling GetCallerIdentity at the
/// stand-in twice, [`BETWEEN`] seconds apart; each ARN on standard output.
#[test]
#[ignore = "run as the command of exec --server by the test below"]
fn rust_sdk_consumer() {
    let Ok(url) = std::env::var(RUST_CONSUMER) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(sdk_http_client(None))
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(url)
            .load()
            .await;
        let sts = aws_sdk_sts::Client::new(&config);
        for wait in [0, BETWEEN.parse().unwrap()] {
            tokio::time::sleep(Duration::from_secs(wait)).await;
            match sts.get_caller_identity().send().await {
                Ok(me) => println!("{}", me.arn().unwrap_or_default()),
                Err(error) => panic!(
                    "GetCallerIdentity: {}",
                    aws_smithy_types::error::display::DisplayErrorContext(&error)
                ),
            }
        }
    });
}

#[test]
fn the_rust_sdk_gets_the_session_through_exec_server_and_a_new_one_after_it_expires() {
    let aws = StandIn::start();
    let env = derived_admin(&aws, LIFE);
    let me = std::env::current_exe().unwrap();
    let out = assert_two_sessions(
        &aws,
        env,
        &[
            "env",
            &format!("{RUST_CONSUMER}={}", aws.url()),
            me.to_str().unwrap(),
            "serve::rust_sdk_consumer",
            "--exact",
            "--ignored",
            "--nocapture",
        ],
    );
    assert_eq!(
        out.stdout.matches("assumed-role/admin/").count(),
        2,
        "{out}"
    );
}

#[test]
fn the_rust_sdk_reports_a_wrong_token() {
    let env = with_mfa(FAR);
    let serving = Serving::start(&env, &["-t", "mfa"]);
    let out = run(env
        .command(std::env::current_exe().unwrap())
        .args([
            "serve::rust_sdk_consumer",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(RUST_CONSUMER, "http://127.0.0.1:9")
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &serving.url)
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-token")
        .env("AWS_SHARED_CREDENTIALS_FILE", env.home().join("empty")));
    assert_ne!(out.code, 0, "{out}");
    out.assert_stderr_has(
        "an error occurred while loading credentials: Non-success status from HTTP credential provider: StatusCode(403)",
    );
    assert!(serving
        .wait_for_log("403 WrongToken")
        .contains("403 WrongToken"));
}

#[test]
fn exec_server_gives_the_command_the_endpoint_and_no_other_credentials() {
    require!("python3");
    let env = with_mfa(FAR);
    env.write_config(
        "[default]\nregion = eu-west-1\ncredential_process = echo never\n\n[profile mfa]\nregion = eu-central-1\n",
    );
    let script = "import json, os\n\
names = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']\n\
seen = {n: os.environ.get(n) for n in names}\n\
seen['credentials'] = open(os.environ['AWS_SHARED_CREDENTIALS_FILE']).read()\n\
seen['credentials_path'] = os.environ['AWS_SHARED_CREDENTIALS_FILE']\n\
seen['config'] = open(os.environ['AWS_CONFIG_FILE']).read()\n\
seen['token_in_argv'] = os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'] in open('/proc/self/cmdline').read()\n\
import boto3\n\
c = boto3.Session().get_credentials()\n\
seen['method'] = c.method\n\
seen['key'] = c.access_key\n\
print(json.dumps(seen))\n";
    let ran = Test::in_env(env)
        .args(["exec", "--server", "-t", "mfa", "--", "python3", "-c", script])
        .env("AWS_PROFILE", "mfa")
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials")
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/elsewhere/token")
        .stderr_has("[default] of ~/.aws/config sets credential_process, which the SDKs would use before the endpoint")
        .run();
    let seen = ran.out.json();
    assert_eq!(
        seen.as_object().unwrap().len(),
        13,
        "every name reported: {seen}"
    );
    assert_eq!(seen["AWS_PROFILE"], serde_json::Value::Null);
    assert_eq!(seen["AWS_ACCESS_KEY_ID"], serde_json::Value::Null);
    assert_eq!(
        seen["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"],
        serde_json::Value::Null
    );
    assert_eq!(
        seen["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
        serde_json::Value::Null
    );
    assert_eq!(seen["AWS_REGION"], "eu-central-1", "[profile mfa]'s region");
    assert_eq!(seen["AWS_DEFAULT_REGION"], "eu-central-1");
    assert_eq!(seen["credentials"], "");
    assert_eq!(
        seen["config"],
        "[default]\nregion = eu-west-1\n\n[profile mfa]\nregion = eu-central-1\n"
    );
    assert_eq!(seen["token_in_argv"], false);
    assert_eq!(seen["method"], "container-role");
    assert_eq!(seen["key"], "ASIAEXAMPLE");
    assert!(seen["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    // The private files are gone with the command.
    let private = std::path::Path::new(seen["credentials_path"].as_str().unwrap());
    assert!(private.is_absolute() && !private.exists(), "{private:?}");
    assert_eq!(
        ran.env.read_config_text(),
        "[default]\nregion = eu-west-1\ncredential_process = echo never\n\n[profile mfa]\nregion = eu-central-1\n",
        "the user's config file is untouched"
    );
}

#[test]
fn exec_server_exits_with_the_commands_code_and_passes_sigterm_on() {
    let env = with_mfa(FAR);
    Test::in_env(env)
        .args(["exec", "--server", "-t", "mfa", "--", "sh", "-c", "exit 7"])
        .status(7)
        .run();
    // SIGTERM to mfa-profile reaches the command, which says so and exits 3; sent as soon as
    // the command runs (mfa-profile takes the signal before it starts the command).
    let env = with_mfa(FAR);
    let mut child = Test::on(&env)
        .args([
            "exec",
            "--server",
            "-t",
            "mfa",
            "--",
            "sh",
            "-c",
            "trap 'echo got-term; exit 3' TERM; echo \"ready $$\"; while :; do sleep 0.1; done",
        ])
        .command()
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let command: i32 = line
        .strip_prefix("ready ")
        .and_then(|pid| pid.trim().parse().ok())
        .unwrap_or_else(|| panic!("{line:?}"));
    let pid = |id: i32| rustix::process::Pid::from_raw(id).unwrap();
    let term = rustix::process::Signal::TERM;
    rustix::process::kill_process(pid(child.id() as i32), term).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = rustix::process::kill_process(pid(command), rustix::process::Signal::KILL);
            panic!("mfa-profile did not end after its command was told to");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // A command mfa-profile left behind would hold the pipe open: end it first.
    let orphan = rustix::process::kill_process(pid(command), rustix::process::Signal::KILL).is_ok();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(!orphan, "the command outlived mfa-profile ({status})");
    assert_eq!(rest, "got-term\n");
    assert_eq!(status.code(), Some(3));
}

#[test]
fn serve_on_another_address_than_loopback_warns() {
    require!("unshare", "ip", "python3");
    let env = with_mfa(FAR);
    let script = r#"ip link set lo up && ip addr add 10.9.9.9/32 dev lo || exit 90
"$BIN" serve -t mfa --listen 10.9.9.9 > "$HOME/vars" 2> "$HOME/log" &
pid=$!
for i in $(seq 100); do grep -q TOKEN "$HOME/vars" 2>/dev/null && break; sleep 0.1; done
. "$HOME/vars"
python3 -c 'import os, urllib.request as u; r = u.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], headers={"Authorization": os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]}); print(u.urlopen(r).read().decode())'
code=$?
kill $pid
cat "$HOME/vars" "$HOME/log" >&2
exit $code"#;
    let out = run(env
        .command("unshare")
        .args(["-n", "sh", "-c", script])
        .env("BIN", BIN));
    if out.code == 90 {
        skipped(&current_test(), &format!("no private network here\n{out}"));
        return;
    }
    out.assert_code(0)
        .assert_stdout_has("\"AccessKeyId\":\"ASIAEXAMPLE\"")
        .assert_stderr_has("AWS_CONTAINER_CREDENTIALS_FULL_URI='http://10.9.9.9:")
        .assert_stderr_has(
            "warning: listening on 10.9.9.9, which other machines or containers may reach",
        )
        .assert_stderr_has(
            "the SDKs take a plain-http endpoint only at a loopback address or 169.254.170.2",
        );
}

#[test]
fn serve_refuses_to_listen_on_every_interface() {
    Test::in_env(with_mfa(FAR))
        .args(["serve", "-t", "mfa", "--listen", "0.0.0.0:8080"])
        .status(2)
        .stderr_has("`0.0.0.0:8080` is every interface at once")
        .run();
}

/// The stand-in with the source (its code command `echo 123456` unless `code_command` is
/// false) and `[mfa]` expired; every session issued from then on lasts `life` seconds.
fn plain_mfa(aws: &StandIn, life: i64, code_command: bool) -> TestEnv {
    let process = if code_command {
        "mfa_process = echo 123456\n"
    } else {
        ""
    };
    let env = TestEnv::with_credentials(&format!(
        "{}{process}\n{}",
        default_source(),
        managed("mfa", "default", EXPIRED)
    ));
    env.write_config("[default]\nregion = us-east-1\n");
    aws.sessions_last(life);
    env
}

#[test]
fn serve_refreshes_a_session_that_needs_a_code_with_the_code_command() {
    let aws = StandIn::start();
    let env = plain_mfa(&aws, LIFE, true);
    let serving = Serving::spawn(
        Test::on(&env)
            .args(["serve", "-t", "mfa", "--min-remaining", MIN_REMAINING])
            .envs(aws.endpoint_vars())
            .command(),
    );
    let first = serving.get(&[("Authorization", &serving.token)]).json();
    // Once the session is stale, a request gets a new one, with the next code.
    std::thread::sleep(Duration::from_secs((LIFE - 4).try_into().unwrap()));
    env.next_code_window();
    aws.next_code_window();
    let second = serving.get(&[("Authorization", &serving.token)]);
    assert_eq!(second.status, 200, "{second:?}\n{}", serving.log());
    let second = second.json();
    assert_ne!(first["AccessKeyId"], second["AccessKeyId"]);
    assert_eq!(aws.actions(), ["GetSessionToken", "GetSessionToken"]);
    assert_eq!(aws.signers_of("GetSessionToken"), [AKID, AKID]);
    let arn = aws.caller_arn(
        second["AccessKeyId"].as_str().unwrap(),
        second["SecretAccessKey"].as_str().unwrap(),
        second["Token"].as_str(),
    );
    assert_eq!(arn.as_deref(), Ok(USER_ARN));
}

#[test]
fn exec_server_asks_for_a_code_on_its_terminal_when_the_session_needs_one() {
    require!("python3");
    let aws = StandIn::start();
    // Long enough that the second code is of another 30 s window than the first.
    let life = 36;
    let env = plain_mfa(&aws, life, false);
    let script = r"import boto3, sys, time
sts = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1')
for wait in (0, float(sys.argv[2])):
    time.sleep(wait)
    print('caller', sts.get_caller_identity()['Arn'], flush=True)
";
    let vars: Vec<(&str, String)> = aws.endpoint_vars().into_iter().collect();
    let vars: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let url = aws.url();
    let wait = (life - 3).to_string();
    let Some(ran) = crate::support::pty::on_terminal(
        &env,
        &vars,
        &[
            "exec",
            "--server",
            "-t",
            "mfa",
            "--min-remaining",
            MIN_REMAINING,
            "--",
            "python3",
            "-c",
            script,
            &url,
            &wait,
        ],
        &[("MFA code for", "123456\r"), ("MFA code for", "123456\r")],
    ) else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert_eq!(
        ran.transcript.matches("caller arn:aws:iam::").count(),
        2,
        "{ran}"
    );
    assert_eq!(
        aws.actions()
            .iter()
            .filter(|a| *a == "GetSessionToken")
            .count(),
        2
    );
    let callers = aws.signers_of("GetCallerIdentity");
    assert!(
        callers.len() >= 2 && callers.first() != callers.last(),
        "{callers:?}"
    );
}
