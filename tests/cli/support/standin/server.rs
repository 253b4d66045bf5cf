//! The HTTP side: hyper's HTTP/1.1 server (persistent connections, as AWS's endpoints and the
//! SDKs' pooled clients use them) on 127.0.0.1, optionally behind TLS with a CA made at run
//! time; each request read under a size bound, answered by [`Shared::answer`], with the
//! test's faults applied.
//!
//! Invariant: every answer carries `Date` (the stand-in's clock), `x-amzn-RequestId` and
//! `Content-Type: text/xml` (a test's raw answer, its own content type); every request read in full, faulted or not, is in the call log (one
//! over [`MAX_BODY`] is answered 413 and not logged); the server and every connection stop when
//! the runtime is dropped.

use super::answer::{error_xml, http_date, result_xml, AwsError, Service};
use super::sigv4::{self, Received};
use super::world::{Caller, World};
use super::{federation, iam, sts, Call, Fault, FaultKind, RawAnswer};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The largest request body read: STS's and IAM's forms are a few hundred bytes; a larger body
/// is answered 413 without being read further.
pub const MAX_BODY: usize = 64 * 1024;

/// The state the connections share.
pub struct Shared {
    pub world: Mutex<World>,
    pub faults: Mutex<HashMap<String, VecDeque<Fault>>>,
    pub calls: Mutex<Vec<Call>>,
    pub clock_offset: AtomicI64,
    pub connections: AtomicUsize,
    requests: AtomicU64,
}

/// What to do once the answer is made.
enum After {
    Answer,
    /// Send these bytes instead of the answer made.
    Raw(RawAnswer),
    Delay(std::time::Duration),
    Drop,
}

/// The error a service returns to make hyper close the connection without answering.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the stand-in drops this connection (a test's fault)")
    }
}

impl std::error::Error for Dropped {}

/// `application/x-www-form-urlencoded` decoding (`+` is a space).
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&text[i + 1..i + 3], 16) {
                Ok(byte) => {
                    out.push(byte);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The Query API's parameters: the query string's, then the form body's.
fn params(query: &str, body: &[u8], form: bool) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let body = if form {
        String::from_utf8_lossy(body).into_owned()
    } else {
        String::new()
    };
    for pair in query.split('&').chain(body.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(form_decode(name), form_decode(value));
    }
    out
}

/// Which service an action belongs to; an action of neither goes by the credential scope.
fn service_of(action: &str, scope_service: Option<&str>) -> Service {
    if sts::ACTIONS.contains(&action) {
        Service::Sts
    } else if iam::ACTIONS.contains(&action) || scope_service == Some("iam") {
        Service::Iam
    } else {
        Service::Sts
    }
}

impl Shared {
    pub fn new(world: World) -> Shared {
        Shared {
            world: Mutex::new(world),
            faults: Mutex::new(HashMap::new()),
            calls: Mutex::new(Vec::new()),
            clock_offset: AtomicI64::new(0),
            connections: AtomicUsize::new(0),
            requests: AtomicU64::new(0),
        }
    }

    /// The stand-in's clock, in epoch seconds: this machine's, moved by the test's offset.
    pub fn now(&self) -> i64 {
        let local = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs() as i64;
        local + self.clock_offset.load(Ordering::SeqCst)
    }

    fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        format!("{:08x}-5a1d-4e1a-8b0c-{n:012x}", std::process::id())
    }

    fn take_fault(&self, action: &str) -> Option<FaultKind> {
        let mut faults = self.faults.lock().unwrap();
        let queue = faults.get_mut(action)?;
        let front = queue.front_mut()?;
        let kind = front.kind.clone();
        front.times -= 1;
        if front.times == 0 {
            queue.pop_front();
        }
        Some(kind)
    }

    /// Authenticates the request (SigV4 with the credential its key names), then answers the
    /// action. Returns the result XML's inner part (`None` for an action without one).
    fn process(
        &self,
        service: Service,
        action: &str,
        request: &Received,
        params: &BTreeMap<String, String>,
        now: i64,
    ) -> Result<Option<String>, AwsError> {
        let auth = sigv4::authorization(request)?;
        let (signed_at, signed_text) = sigv4::request_time(request)?;
        sigv4::check_skew(signed_at, &signed_text, now)?;
        let mut world = self.world.lock().unwrap();
        let credential = world
            .credential(&auth.key_id)
            .ok_or_else(AwsError::invalid_client_token)?;
        // A session's key is only good with its token, and a long-term key with none
        // ("Elements of an AWS API request signature", Session token: temporary credentials
        // need the X-Amz-Security-Token).
        if credential.token.as_deref() != request.header("x-amz-security-token") {
            return Err(AwsError::invalid_client_token());
        }
        sigv4::check_scope_date(&auth, &signed_text)?;
        check_scope(&world, service, &auth)?;
        sigv4::check_signed_headers(&auth, request)?;
        sigv4::verify(request, &auth, &signed_text, &credential.secret)?;
        if credential.expires.is_some_and(|expires| expires <= now) {
            return Err(AwsError::expired_token());
        }
        world.note_use(&auth.key_id, now, service.signing_name(), &auth.region);
        dispatch(&mut world, service, action, &credential.caller, params, now)
    }

    /// Answers one request; the log records it.
    fn answer(
        &self,
        parts: &hyper::http::request::Parts,
        body: &[u8],
        connection: usize,
    ) -> (Response<Full<Bytes>>, After) {
        let now = self.now();
        let request_id = self.request_id();
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let received = Received {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or_default(),
            headers: &headers,
            body,
        };
        let form = received
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        let params = params(received.query, body, form);
        let action = params.get("Action").cloned().unwrap_or_default();
        let auth = sigv4::authorization(&received).ok();
        let service = service_of(&action, auth.as_ref().map(|a| a.service.as_str()));
        let (result, after) = match self.take_fault(&action) {
            Some(FaultKind::Error(error)) => (Err(error), After::Answer),
            Some(FaultKind::Answer(raw)) => (Ok(None), After::Raw(raw)),
            Some(FaultKind::Delay(delay)) => (
                self.process(service, &action, &received, &params, now),
                After::Delay(delay),
            ),
            Some(FaultKind::Drop) => (
                self.process(service, &action, &received, &params, now),
                After::Drop,
            ),
            None => (
                self.process(service, &action, &received, &params, now),
                After::Answer,
            ),
        };
        let (status, xml, code) = match (&after, result) {
            (After::Raw(raw), _) => (raw.status, raw.body.clone(), None),
            (_, Ok(inner)) => (
                200,
                result_xml(service, &action, inner.as_deref(), &request_id),
                None,
            ),
            (_, Err(error)) => (
                error.status,
                error_xml(service, &error, &request_id),
                Some(error.code.clone()),
            ),
        };
        self.calls.lock().unwrap().push(Call {
            action,
            key_id: auth.map(|a| a.key_id).unwrap_or_default(),
            signed_at: received.header("x-amz-date").unwrap_or_default().to_owned(),
            params,
            status,
            code,
            connection,
        });
        let mut response = xml_response(status, xml, &request_id, now);
        if let After::Raw(raw) = &after {
            let content_type = hyper::header::HeaderValue::from_static(raw.content_type);
            response
                .headers_mut()
                .insert(hyper::header::CONTENT_TYPE, content_type);
        }
        (response, after)
    }
}

impl Shared {
    /// A request of the federation endpoint ([`federation`]); logged like the others.
    fn federation(
        &self,
        parts: &hyper::http::request::Parts,
        connection: usize,
    ) -> Response<Full<Bytes>> {
        let now = self.now();
        let params = params(parts.uri.query().unwrap_or_default(), &[], false);
        let (answer, key_id) = if parts.method == hyper::Method::GET {
            federation::answer(&mut self.world.lock().unwrap(), &params, now)
        } else {
            (
                federation::FederationAnswer {
                    status: 405,
                    content_type: "text/plain",
                    body: "GET only\n".into(),
                    location: None,
                },
                String::new(),
            )
        };
        self.calls.lock().unwrap().push(Call {
            action: params.get("Action").cloned().unwrap_or_default(),
            key_id,
            signed_at: String::new(),
            params,
            status: answer.status,
            code: (answer.status != 200 && answer.status != 302)
                .then(|| answer.body.trim().to_owned()),
            connection,
        });
        let mut response = Response::builder()
            .status(answer.status)
            .header("content-type", answer.content_type)
            .header("date", http_date(now));
        if let Some(location) = answer.location {
            response = response.header("location", location);
        }
        response
            .body(Full::new(Bytes::from(answer.body)))
            .expect("a valid response")
    }
}

/// The credential scope's region and service ("Troubleshoot signed requests for AWS APIs",
/// Region: "Credential should be scoped to a valid Region"; Service: "Credential should be
/// scoped to correct service"). IAM's endpoint in the aws partition takes only `us-east-1`
/// ("Elements of an AWS API request signature": "If you use a service like IAM that uses a
/// globally unique endpoint, use the default region (us-east-1)"; IAM's words:
/// JuliaCloud/AWS.jl#565). STS takes any region unless the test pinned one (a regional
/// endpoint takes its own; STS's words: node-vault-client#25).
fn check_scope(
    world: &World,
    service: Service,
    auth: &sigv4::Authorization,
) -> Result<(), AwsError> {
    if auth.service != service.signing_name() {
        return Err(AwsError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Credential should be scoped to correct service: '{}'. ",
                service.signing_name()
            ),
        ));
    }
    match service {
        Service::Iam if auth.region != "us-east-1" => Err(AwsError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                auth.region
            ),
        )),
        Service::Sts if world.sts_region.as_ref().is_some_and(|r| *r != auth.region) => {
            Err(AwsError::new(
                403,
                "SignatureDoesNotMatch",
                "Credential should be scoped to a valid region. ",
            ))
        }
        _ => Ok(()),
    }
}

/// The action, for an authenticated caller.
fn dispatch(
    world: &mut World,
    service: Service,
    action: &str,
    caller: &Caller,
    params: &BTreeMap<String, String>,
    now: i64,
) -> Result<Option<String>, AwsError> {
    match (service, action) {
        (Service::Sts, "GetSessionToken") => {
            sts::get_session_token(world, caller, params, now).map(Some)
        }
        (Service::Sts, "AssumeRole") => sts::assume_role(world, caller, params, now).map(Some),
        (Service::Sts, "GetCallerIdentity") => Ok(Some(sts::get_caller_identity(world, caller))),
        (Service::Iam, action) if iam::ACTIONS.contains(&action) => {
            // GetSessionToken's credentials "cannot call any IAM API operations unless MFA
            // authentication information is included in the request" ("Permissions for
            // GetSessionToken",
            // <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html>);
            // IAM answers InvalidClientTokenId (cloudyr/aws.iam#15).
            if caller.from_get_session_token && !caller.mfa {
                return Err(AwsError::invalid_client_token());
            }
            iam::answer(world, caller, action, params, now)
        }
        (service, action) => Err(AwsError::new(
            400,
            "InvalidAction",
            format!(
                "Could not find operation {action} for version {}",
                service.version()
            ),
        )),
    }
}

fn xml_response(status: u16, xml: String, request_id: &str, now: i64) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .header("x-amzn-RequestId", request_id)
        .header("date", http_date(now))
        .body(Full::new(Bytes::from(xml)))
        .expect("a valid response")
}

/// One request: its body read (at most [`MAX_BODY`]), answered, the fault's delay or drop
/// applied.
pub async fn handle(
    request: Request<Incoming>,
    shared: Arc<Shared>,
    connection: usize,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    if parts.uri.path() == "/federation" {
        return Ok(shared.federation(&parts, connection));
    }
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let error = AwsError::new(413, "RequestEntityTooLarge", "Request body too large");
            let xml = error_xml(Service::Sts, &error, "0");
            return Ok(xml_response(413, xml, "0", shared.now()));
        }
    };
    let (response, after) = shared.answer(&parts, &body, connection);
    match after {
        After::Answer | After::Raw(_) => Ok(response),
        After::Delay(delay) => {
            tokio::time::sleep(delay).await;
            Ok(response)
        }
        After::Drop => Err(Dropped),
    }
}

/// A CA made for one stand-in, and a certificate for `localhost` and 127.0.0.1 it signed.
pub struct TestCa {
    pub ca_pem: String,
    pub config: Arc<rustls::ServerConfig>,
}

impl TestCa {
    pub fn new() -> TestCa {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "mfa-profile stand-in CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let server_key = KeyPair::generate().unwrap();
        let server_params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let server = server_params.signed_by(&server_key, &issuer).unwrap();
        // Deprecated in rustls 0.23.48 (no post-quantum key exchange): a test server needs none.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![server.der().clone()],
                rustls_pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
            )
            .unwrap();
        TestCa {
            ca_pem: ca.pem(),
            config: Arc::new(config),
        }
    }
}

/// Accepts connections until `stop` says so; each is served on a task of its own.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    tls: Option<Arc<rustls::ServerConfig>>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    loop {
        let accepted = tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let connection = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
        let (shared, acceptor) = (Arc::clone(&shared), acceptor.clone());
        tokio::spawn(async move {
            match acceptor {
                None => serve_connection(stream, shared, connection).await,
                Some(acceptor) => {
                    if let Ok(tls) = acceptor.accept(stream).await {
                        serve_connection(tls, shared, connection).await;
                    }
                }
            }
        });
    }
}

/// The same on a Unix socket (plain HTTP): for a client in a network namespace of its own,
/// which reaches it through a forwarder of the test's (a socket file crosses namespaces).
pub async fn serve_unix(
    listener: tokio::net::UnixListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let connection = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
        let shared = Arc::clone(&shared);
        tokio::spawn(serve_connection(stream, shared, connection));
    }
}

/// HTTP/1.1 on one connection, each request answered by [`handle`].
async fn serve_connection<S>(stream: S, shared: Arc<Shared>, connection: usize)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service =
        hyper::service::service_fn(move |request| handle(request, Arc::clone(&shared), connection));
    let io = hyper_util::rt::TokioIo::new(stream);
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}
