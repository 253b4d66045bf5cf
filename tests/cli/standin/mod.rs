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
//! Test::new().credentials(default_source())
//!     .args(aws.endpoints())                  // --endpoint-url and --iam-endpoint-url
//!     .arg("123456").run();
//! assert_eq!(aws.actions(), ["GetSessionToken"]);
//! ```
//!
//! * **The account** ([`ACCOUNT`]): IAM user `alice` with the harness's long-term key (`AKID`,
//!   `SECRET`), MFA device `SERIAL`, and a policy that denies everything without MFA
//!   ([`StandIn::set_mfa_required`]); roles [`ADMIN_ROLE`] (trust policy requires MFA,
//!   MaxSessionDuration 12h), [`OPS_ROLE`] (requires MFA, 1h) and [`OPEN_ROLE`] (no MFA, 1h).
//!   Add users, keys, devices, roles and root keys with the `add_*` methods.
//! * **MFA codes**: by default any six digits are the code the device shows, and a device takes
//!   one code per 30 s window (a second is "invalid MFA one time pass code"): a test that sends
//!   two codes calls [`StandIn::next_code_window`] between them (the harness's
//!   `TestEnv::next_code_window` does the same for the tool's own record).
//!   [`StandIn::set_codes`]`(Codes::Totp)` makes only [`StandIn::code_now`] right.
//! * **Faults**: [`StandIn::fault`]`("GetSessionToken", Fault::throttling().times(2))`; also
//!   [`Fault::error`], [`Fault::server_error`], [`Fault::delay`] (the request is processed, the
//!   answer waits) and [`Fault::drop_connection`] (processed, then the connection closes with no
//!   answer). Faults of an action are used in the order given.
//! * **The log**: [`StandIn::calls`] (action, signing key id, parameters, status, error code,
//!   connection number), [`StandIn::actions`], [`StandIn::signers_of`];
//!   [`StandIn::connections`] counts TCP connections accepted (keep-alive reuses them).
//! * **HTTPS**: [`StandIn::start_https`] serves `https://localhost:PORT` with a certificate
//!   from a CA made at run time; [`StandIn::ca_pem`] / [`StandIn::ca_file`] give the CA for
//!   `AWS_CA_BUNDLE`.
//! * **The clock**: [`StandIn::set_clock_offset`]`(20 * 60)` puts the stand-in 20 minutes ahead
//!   of this machine (its `Date` header, its skew check, the sessions' expirations follow).
//! * **Sessions for a file**: [`StandIn::issue_session`] gives a session as GetSessionToken
//!   would, to write into a credentials file without a call.
//!
//! It runs on a runtime and thread of its own, so blocking test code can use it, and stops on
//! drop.

mod answer;
mod iam;
mod mfa;
mod server;
mod sigv4;
mod sts;
mod world;

mod checks;

pub use answer::AwsError;
pub use mfa::Codes;
pub use world::ACCOUNT;

use crate::harness::{bin_path, TestEnv, AKID, SECRET, SERIAL};
use mfa::Device;
use server::Shared;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use world::{AccessKey, LastUsed, Principal, Role, User, World};

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

/// A running stand-in; stopped on drop.
pub struct StandIn {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    stop: tokio::sync::watch::Sender<bool>,
    port: u16,
    ca_pem: Option<String>,
}

/// Epoch seconds of an RFC 3339 time.
fn epoch(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("{rfc3339:?}: {e}"))
        .as_second()
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

    // MFA.

    pub fn set_codes(&self, codes: Codes) {
        self.world().codes = codes;
    }

    /// The code device `serial` shows now under [`Codes::Totp`].
    pub fn code_now(&self, serial: &str) -> String {
        mfa::totp(serial, mfa::window_of(self.now()))
    }

    /// Whether `user`'s policy denies calls made without MFA (GetSessionToken included).
    pub fn set_mfa_required(&self, user: &str, required: bool) {
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .mfa_required = required;
    }

    // The account.

    /// Adds IAM user `name` with one active key, no device, MFA not required.
    pub fn add_user(&self, name: &str, key_id: &str, secret: &str) {
        let mut world = self.world();
        let n = world.next_serial();
        let now = self.shared.now();
        world.users.push(User {
            name: name.to_owned(),
            id: format!("AIDASTANDINUSER{n:05}"),
            keys: vec![AccessKey {
                id: key_id.to_owned(),
                secret: secret.to_owned(),
                active: true,
                created: now,
                last_used: None,
            }],
            devices: Vec::new(),
            mfa_required: false,
        });
    }

    /// Adds a key to `user`'s (at most two: this does not check IAM's quota).
    pub fn add_key(&self, user: &str, key_id: &str, secret: &str, active: bool) {
        let now = self.now();
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .keys
            .push(AccessKey {
                id: key_id.to_owned(),
                secret: secret.to_owned(),
                active,
                created: now,
                last_used: None,
            });
    }

    /// Gives `user` the MFA device `serial`.
    pub fn add_device(&self, user: &str, serial: &str) {
        let now = self.now();
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .devices
            .push(Device::new(serial, now));
    }

    /// Gives the account's root user an access key.
    pub fn add_root_key(&self, key_id: &str, secret: &str) {
        let now = self.now();
        self.world().root_keys.push(AccessKey {
            id: key_id.to_owned(),
            secret: secret.to_owned(),
            active: true,
            created: now,
            last_used: None,
        });
    }

    /// Adds role `name`; its ARN.
    pub fn add_role(&self, name: &str, max_session_secs: i64, mfa_required: bool) -> String {
        let mut world = self.world();
        let n = world.next_serial();
        let role = Role {
            name: name.to_owned(),
            id: format!("AROASTANDINROLE{n:05}"),
            max_session_secs,
            mfa_required,
            external_id: None,
        };
        let arn = world.role_arn(&role);
        world.roles.push(role);
        arn
    }

    /// Makes role `name`'s trust policy require ExternalId `id`.
    pub fn require_external_id(&self, name: &str, id: &str) {
        let mut world = self.world();
        let role = world.roles.iter_mut().find(|r| r.name == name);
        role.unwrap_or_else(|| panic!("no role {name}")).external_id = Some(id.to_owned());
    }

    /// Only credential scopes of `region` reach STS (a regional endpoint's rule).
    pub fn pin_sts_region(&self, region: &str) {
        self.world().sts_region = Some(region.to_owned());
    }

    fn with_key(&self, key_id: &str, change: impl FnOnce(&mut AccessKey)) {
        let mut world = self.world();
        let World {
            users, root_keys, ..
        } = &mut *world;
        let key = users
            .iter_mut()
            .flat_map(|u| u.keys.iter_mut())
            .chain(root_keys.iter_mut())
            .find(|k| k.id == key_id);
        change(key.unwrap_or_else(|| panic!("no key {key_id}")));
    }

    /// When `key_id` was created (RFC 3339).
    pub fn set_key_created(&self, key_id: &str, rfc3339: &str) {
        let at = epoch(rfc3339);
        self.with_key(key_id, |key| key.created = at);
    }

    /// Where and when `key_id` was last used, as GetAccessKeyLastUsed answers it (each request
    /// the key signs here sets it too).
    pub fn set_last_used(&self, key_id: &str, rfc3339: &str, service: &str, region: &str) {
        let used = LastUsed {
            at: epoch(rfc3339),
            service: service.to_owned(),
            region: region.to_owned(),
        };
        self.with_key(key_id, |key| key.last_used = Some(used));
    }

    /// The keys CreateAccessKey gives next, in order (then generated ones).
    pub fn queue_new_keys(&self, keys: &[(&str, &str)]) {
        self.world().next_keys.extend(
            keys.iter()
                .map(|(id, secret)| (id.to_string(), secret.to_string())),
        );
    }

    /// A key CreateAccessKey makes is refused (InvalidClientTokenId) for its first `uses`
    /// uses: IAM's changes take time to reach every endpoint ("Changes that I make are not
    /// always immediately visible", IAM User Guide, Troubleshooting).
    pub fn new_keys_known_after(&self, uses: usize) {
        self.world().propagation_uses = uses;
    }

    /// `key_id` is refused (InvalidClientTokenId) for its next `uses` uses.
    pub fn unknown_for(&self, key_id: &str, uses: usize) {
        self.world().unknown_for(key_id, uses);
    }

    /// A session of `user` as GetSessionToken would issue it (with MFA or not), valid for
    /// `secs` from the stand-in's clock (negative: already expired).
    pub fn issue_session(&self, user: &str, mfa: bool, secs: i64) -> Issued {
        let now = self.now();
        let session =
            self.world()
                .issue_session(Principal::User(user.to_owned()), mfa, true, now, secs);
        Issued {
            key_id: session.key_id,
            secret: session.secret,
            token: session.token,
            expiration: answer::timestamp(session.expires),
        }
    }

    /// `user`'s keys as (id, active), in IAM's order.
    pub fn keys(&self, user: &str) -> Vec<(String, bool)> {
        self.world()
            .user(user)
            .map(|u| u.keys.iter().map(|k| (k.id.clone(), k.active)).collect())
            .unwrap_or_default()
    }

    /// The secret of `user`'s key `key_id` (a key CreateAccessKey made, say).
    pub fn secret_of(&self, user: &str, key_id: &str) -> Option<String> {
        let world = self.world();
        let key = world.user(user)?.keys.iter().find(|k| k.id == key_id)?;
        Some(key.secret.clone())
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

/// The AWS SDK for Rust's HTTP client as the tool builds it (rustls with ring), trusting `ca`
/// alone when given.
pub fn sdk_http_client(ca: Option<&str>) -> aws_sdk_sts::config::SharedHttpClient {
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
    let mut builder = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring));
    if let Some(pem) = ca {
        let trust = TrustStore::empty().with_pem_certificate(pem.as_bytes().to_vec());
        let context = TlsContext::builder().with_trust_store(trust).build();
        builder = builder.tls_context(context.expect("a TLS context"));
    }
    builder.build_https()
}

impl StandIn {
    /// An `aws-sdk-sts` client of this stand-in (region us-east-1) signing with the keys
    /// given, trusting the stand-in's CA when it serves HTTPS.
    pub fn sts_client(
        &self,
        key_id: &str,
        secret: &str,
        token: Option<&str>,
    ) -> aws_sdk_sts::Client {
        use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
        let credentials =
            Credentials::new(key_id, secret, token.map(str::to_owned), None, "stand-in");
        let config = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(self.url())
            .credentials_provider(credentials)
            .http_client(sdk_http_client(self.ca_pem.as_deref()))
            .build();
        aws_sdk_sts::Client::from_conf(config)
    }

    /// GetCallerIdentity signed with the keys given (through the SDK): the ARN it answers, or
    /// `Code: message`.
    pub fn caller_arn(
        &self,
        key_id: &str,
        secret: &str,
        token: Option<&str>,
    ) -> Result<String, String> {
        use aws_sdk_sts::error::ProvideErrorMetadata;
        let client = self.sts_client(key_id, secret, token);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        match runtime.block_on(client.get_caller_identity().send()) {
            Ok(me) => Ok(me.arn().unwrap_or_default().to_owned()),
            Err(e) => Err(format!(
                "{}: {}",
                e.code().unwrap_or("no code"),
                e.message().unwrap_or_default()
            )),
        }
    }

    /// [`StandIn::caller_arn`] with the keys of `profile` in the credentials file `text` (as
    /// the SDK's parser reads them).
    pub fn caller_of_profile(&self, text: &str, profile: &str) -> Result<String, String> {
        let value = |key| crate::harness::sdk_value(text, profile, key);
        let (Some(key_id), Some(secret)) =
            (value("aws_access_key_id"), value("aws_secret_access_key"))
        else {
            return Err(format!("[{profile}] has no keys:\n{text}"));
        };
        self.caller_arn(&key_id, &secret, value("aws_session_token").as_deref())
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
