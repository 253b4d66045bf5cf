//! The test suite's AWS: STS and IAM on 127.0.0.1, enforcing the rules AWS documents, each
//! cited beside the code that enforces it (`sigv4.rs`, `sts.rs`, `iam.rs`, `mfa.rs`).
//!
//! Invariant: it accepts what AWS accepts and refuses what AWS refuses, with AWS's HTTP
//! status, error code and message; every request is authenticated by recomputing its SigV4
//! signature with the secret the stand-in issued or was given.
//!
//! # Use
//!
//! ```ignore
//! let aws = StandIn::start();                 // http://127.0.0.1:PORT, the default account
//! aws.next_code_window();                     // a code the device has not given yet
//! Test::new().credentials(default_source())
//!     .args(["--endpoint-url", &aws.url(), "123456"])
//!     .run();
//! assert_eq!(aws.actions(), ["GetSessionToken"]);
//! assert_eq!(aws.calls()[0].key_id, AKID);
//! ```
//!
//! `rotate`, `setup` and `status --keys` take [`StandIn::endpoints`] (`--endpoint-url` and
//! `--iam-endpoint-url`); commands without those flags take [`StandIn::endpoint_vars`]
//! (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_IAM`).
//!
//! * **The account** ([`ACCOUNT`]): IAM user `alice` with the harness's long-term key (`AKID`,
//!   `SECRET`), MFA device `SERIAL`, and a policy that denies GetSessionToken without MFA
//!   ([`StandIn::set_mfa_required`]); roles [`ADMIN_ROLE`] (trust policy requires MFA,
//!   MaxSessionDuration 12h), [`OPS_ROLE`] (requires MFA, 1h) and [`OPEN_ROLE`] (no MFA, 1h).
//!   Add users, keys, devices, roles and root keys with the `add_*` methods.
//! * **MFA codes**: by default any six digits are the code the device shows, and a device takes
//!   one code per 30 s window (a second is "invalid MFA one time pass code"): a test that sends
//!   two codes calls [`StandIn::next_code_window`] between them (the harness's
//!   `TestEnv::next_code_window` does the same for the tool's own record).
//!   [`StandIn::set_codes`]`(Codes::Totp)` makes only [`StandIn::code_now`] right;
//!   `(Codes::AnyTime)` takes any six digits as often as sent (a test hook, not AWS, for runs
//!   that send one code hundreds of times).
//! * **Faults**: [`StandIn::fault`]`("GetSessionToken", Fault::throttling().times(2))`; also
//!   [`Fault::error`], [`Fault::server_error`], [`Fault::delay`] (the request is processed, the
//!   answer waits), [`Fault::silent`] (processed, never answered in time),
//!   [`Fault::drop_connection`] (processed, then the connection closes with no answer) and
//!   [`Fault::answer`] / [`Fault::html_page`] / [`Fault::xml_answer`] (bytes no AWS endpoint
//!   sends, as a gateway or a broken server might: not processed). Faults of an action are used
//!   in the order given.
//! * **The log**: [`StandIn::calls`] (action, signing key id, parameters, status, error code,
//!   connection number), [`StandIn::actions`], [`StandIn::signers_of`];
//!   [`StandIn::connections`] counts TCP connections accepted (keep-alive reuses them).
//! * **A network namespace of the test's own**: [`StandIn::listen_unix`] serves on a socket
//!   file too, which a forwarder inside the namespace can reach.
//! * **HTTPS**: [`StandIn::start_https`] serves `https://localhost:PORT` with a certificate
//!   from a CA made at run time; [`StandIn::ca_pem`] / [`StandIn::ca_file`] give the CA for
//!   `AWS_CA_BUNDLE`.
//! * **The clock**: [`StandIn::set_clock_offset`]`(20 * 60)` puts the stand-in 20 minutes ahead
//!   of this machine (its `Date` header, its skew check, the sessions' expirations follow).
//! * **Sessions for a file**: [`StandIn::issue_session`] gives a session as GetSessionToken
//!   would, to write into a credentials file without a call. Session keys, secrets and tokens
//!   are numbered in the order issued (`ASIASTANDIN000000001`, ...), so a run's file is the same
//!   every time; [`StandIn::fix_expirations`] makes every session expire at one fixed time too
//!   (a test hook, not AWS), for files compared byte for byte.
//! * **The console's federation endpoint**: `GET /federation` (`federation.rs`), for
//!   `console --signin-endpoint URL/federation`; [`StandIn::signin_tokens`] lists what it gave.
//! * **Short sessions**: [`StandIn::sessions_last`]`(20)` makes every session issued from then
//!   on last 20 s (a test hook, not AWS), for a consumer that must get a new one.
//! * **Checking what the tool wrote**: [`StandIn::caller_of_profile`] (GetCallerIdentity
//!   through `aws-sdk-sts` with a profile's keys) and [`StandIn::caller_arn`].
//!
//! It runs on a runtime and thread of its own, so blocking test code can use it, and stops on
//! drop.

mod account;
mod answer;
mod federation;
mod iam;
mod mfa;
mod sdk;
mod server;
mod sigv4;
mod sts;
mod world;

mod checks;

pub use answer::AwsError;
pub use mfa::Codes;
pub use sdk::sdk_http_client;
pub use world::ACCOUNT;

use crate::support::harness::{bin_path, TestEnv, AKID, SECRET, SERIAL};
use mfa::Device;
use server::Shared;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use world::{AccessKey, Role, User, World};

/// The default account's IAM user.
pub const USER: &str = "alice";
pub const USER_ARN: &str = "arn:aws:iam::123456789012:user/alice";
/// A role whose trust policy requires MFA, MaxSessionDuration 12h.
pub const ADMIN_ROLE: &str = "arn:aws:iam::123456789012:role/admin";
/// A role whose trust policy requires MFA, MaxSessionDuration 1h (IAM's default).
pub const OPS_ROLE: &str = "arn:aws:iam::123456789012:role/ops";
/// A role any principal of the account may assume without MFA, MaxSessionDuration 1h.
pub const OPEN_ROLE: &str = "arn:aws:iam::123456789012:role/open";

/// What a fault does.
#[derive(Clone, Debug)]
pub enum FaultKind {
    /// Answer this error instead of processing the request.
    Error(AwsError),
    /// Process the request, then wait this long before answering.
    Delay(Duration),
    /// Process the request, then close the connection without answering.
    Drop,
    /// Answer these bytes instead of processing the request: what no AWS endpoint sends, but a
    /// proxy, a gateway or a broken server between the tool and AWS can (an HTML error page,
    /// cut-off XML, a session holding characters STS never issues).
    Answer(RawAnswer),
}

/// An HTTP answer given as is (see [`FaultKind::Answer`]).
#[derive(Clone, Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// A fault injected into the next `times` requests of an action.
#[derive(Clone, Debug)]
pub struct Fault {
    pub kind: FaultKind,
    pub times: usize,
}

impl Fault {
    /// An error answered in the action's service's XML.
    pub fn error(status: u16, code: &str, message: &str) -> Fault {
        Fault {
            kind: FaultKind::Error(AwsError::new(status, code, message)),
            times: 1,
        }
    }

    /// STS's and IAM's throttling answer (Common Errors: ThrottlingException; the Query APIs
    /// answer HTTP 400 `Throttling` "Rate exceeded").
    pub fn throttling() -> Fault {
        Fault::error(400, "Throttling", "Rate exceeded")
    }

    /// Common Errors: InternalFailure, HTTP 500.
    pub fn server_error() -> Fault {
        Fault::error(
            500,
            "InternalFailure",
            "The request processing has failed because of an unknown error, exception or failure.",
        )
    }

    pub fn delay(delay: Duration) -> Fault {
        Fault {
            kind: FaultKind::Delay(delay),
            times: 1,
        }
    }

    pub fn drop_connection() -> Fault {
        Fault {
            kind: FaultKind::Drop,
            times: 1,
        }
    }

    /// `body` answered with `status` and `content_type`, the request not processed.
    pub fn answer(status: u16, content_type: &'static str, body: impl Into<String>) -> Fault {
        Fault {
            kind: FaultKind::Answer(RawAnswer {
                status,
                content_type,
                body: body.into(),
            }),
            times: 1,
        }
    }

    /// A gateway's or proxy's HTML page (`text/html`) with `status`.
    pub fn html_page(status: u16, html: &str) -> Fault {
        Fault::answer(status, "text/html", html)
    }

    /// `xml` as an HTTP 200 `text/xml` answer: cut-off XML, or a result holding what STS never
    /// issues.
    pub fn xml_answer(xml: impl Into<String>) -> Fault {
        Fault::answer(200, "text/xml", xml)
    }

    /// A server that takes the request and never answers (within any client's patience).
    pub fn silent() -> Fault {
        Fault::delay(Duration::from_secs(120))
    }

    /// For the next `times` requests of the action (1 unless said).
    pub fn times(mut self, times: usize) -> Fault {
        self.times = times;
        self
    }
}

/// One request, as the stand-in saw it.
#[derive(Clone, Debug)]
pub struct Call {
    pub action: String,
    /// The access key id of the `Authorization` header (empty when there was none).
    pub key_id: String,
    /// The request's `X-Amz-Date` as sent (empty when there was none).
    pub signed_at: String,
    /// Every parameter (query string and form), `Action` and `Version` included.
    pub params: BTreeMap<String, String>,
    pub status: u16,
    /// The error code answered, if any.
    pub code: Option<String>,
    /// Which TCP connection carried it (1 for the first accepted).
    pub connection: usize,
}

/// A session as STS issues it.
#[derive(Clone, Debug)]
pub struct Issued {
    pub key_id: String,
    pub secret: String,
    pub token: String,
    /// RFC 3339, UTC.
    pub expiration: String,
}

/// The session numbered `n` (see [`StandIn::fix_expirations`]), expiring at `expiration`: what a
/// file compared byte for byte holds after the tool wrote it.
pub fn numbered(n: u64, expiration: &str) -> Issued {
    let (key_id, secret, token) = world::session_keys(n);
    Issued {
        key_id,
        secret,
        token,
        expiration: expiration.to_owned(),
    }
}

/// A running stand-in; stopped on drop.
pub struct StandIn {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    stop: tokio::sync::watch::Sender<bool>,
    port: u16,
    ca_pem: Option<String>,
}

/// The default account (see the module's doc).
fn default_world(now: i64) -> World {
    let mut world = World::new(ACCOUNT);
    world.users.push(User {
        name: USER.to_owned(),
        id: "AIDASTANDINALICE0001".to_owned(),
        keys: vec![AccessKey {
            id: AKID.to_owned(),
            secret: SECRET.to_owned(),
            active: true,
            created: now - 10 * 86_400,
            last_used: None,
        }],
        devices: vec![Device::new(SERIAL, now - 10 * 86_400)],
        mfa_required: true,
    });
    for (name, id, max, mfa) in [
        ("admin", "AROASTANDINADMIN0001", 43_200, true),
        ("ops", "AROASTANDINOPS000001", 3_600, true),
        ("open", "AROASTANDINOPEN00001", 3_600, false),
    ] {
        world.roles.push(Role {
            name: name.to_owned(),
            id: id.to_owned(),
            max_session_secs: max,
            mfa_required: mfa,
            external_id: None,
        });
    }
    world
}

impl StandIn {
    /// A stand-in on `http://127.0.0.1:PORT` holding the default account.
    pub fn start() -> StandIn {
        StandIn::launch(false)
    }

    /// The same on `https://localhost:PORT`, its certificate signed by a CA made now.
    pub fn start_https() -> StandIn {
        StandIn::launch(true)
    }

    fn launch(https: bool) -> StandIn {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("stand-in")
            .enable_all()
            .build()
            .expect("the stand-in's runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let shared = Arc::new(Shared::new(default_world(now)));
        let ca = https.then(server::TestCa::new);
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let tls = ca.as_ref().map(|ca| Arc::clone(&ca.config));
        let serving = Arc::clone(&shared);
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            server::serve(listener, serving, tls, stopped).await;
        });
        StandIn {
            shared,
            runtime: Some(runtime),
            stop,
            port,
            ca_pem: ca.map(|ca| ca.ca_pem),
        }
    }

    /// Serves plain HTTP on a Unix socket at `path` too, for a client in a network namespace of
    /// its own (reached through a forwarder inside it: a socket file crosses namespaces).
    pub fn listen_unix(&self, path: &std::path::Path) {
        let runtime = self.runtime.as_ref().expect("a running stand-in");
        let _entered = runtime.enter();
        let listener = tokio::net::UnixListener::bind(path).expect("a Unix socket");
        let shared = Arc::clone(&self.shared);
        runtime.spawn(server::serve_unix(listener, shared, self.stop.subscribe()));
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT`.
    pub fn url(&self) -> String {
        match self.ca_pem {
            None => format!("http://127.0.0.1:{}", self.port),
            Some(_) => format!("https://localhost:{}", self.port),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The flags that send the tool's STS and IAM calls here.
    pub fn endpoints(&self) -> [String; 4] {
        [
            "--endpoint-url".into(),
            self.url(),
            "--iam-endpoint-url".into(),
            self.url(),
        ]
    }

    /// The variables that send every command's STS and IAM calls here (`exec`, `export` and
    /// `credential-process` take no endpoint flag).
    pub fn endpoint_vars(&self) -> [(&'static str, String); 2] {
        [
            ("AWS_ENDPOINT_URL_STS", self.url()),
            ("AWS_ENDPOINT_URL_IAM", self.url()),
        ]
    }

    /// The CA certificate (PEM) of an HTTPS stand-in.
    pub fn ca_pem(&self) -> &str {
        self.ca_pem
            .as_deref()
            .expect("ca_pem: the stand-in was started without HTTPS")
    }

    /// Writes the CA into `env`'s home as `name`; its path as the binary names it.
    pub fn ca_file(&self, env: &TestEnv, name: &str) -> String {
        let path = env.home().join(name);
        std::fs::write(&path, self.ca_pem()).unwrap();
        bin_path(&path)
    }

    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.shared.world.lock().unwrap()
    }

    // The clock.

    /// Moves the stand-in's clock `secs` ahead of this machine's (negative: behind).
    pub fn set_clock_offset(&self, secs: i64) {
        self.shared.clock_offset.store(secs, Ordering::SeqCst);
    }

    /// The stand-in's clock, epoch seconds.
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// Moves the clock to the start of the next 30 s code window, so each device takes a code
    /// again. (Each call puts the stand-in up to 30 s ahead of this machine; the 15-minute
    /// signing margin allows a few dozen.)
    pub fn next_code_window(&self) {
        let now = self.now();
        let next = (mfa::window_of(now) + 1) * mfa::WINDOW_SECS;
        self.shared
            .clock_offset
            .fetch_add(next - now, Ordering::SeqCst);
    }

    // Faults and the log.

    /// Injects `fault` into the next requests of `action` (after those already queued).
    pub fn fault(&self, action: &str, fault: Fault) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .entry(action.to_owned())
            .or_default()
            .push_back(fault);
    }

    /// Every request so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.calls.lock().unwrap().clone()
    }

    /// The actions called so far, in order.
    pub fn actions(&self) -> Vec<String> {
        self.calls().into_iter().map(|c| c.action).collect()
    }

    /// The key id that signed each call, in order.
    pub fn signers(&self) -> Vec<String> {
        self.calls().into_iter().map(|c| c.key_id).collect()
    }

    /// The key id that signed each call of `action`.
    pub fn signers_of(&self, action: &str) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| c.action == action)
            .map(|c| c.key_id)
            .collect()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}
