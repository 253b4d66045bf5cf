//! `mfa-profile serve` and `exec --server`: the container credentials endpoint
//! ([`crate::commands::serve`]), served by hyper on a tokio runtime of its own.
//!
//! Invariant: the runtime, the listener and the command `exec --server` starts exist only in
//! these two commands; every answer is the session [`usable_session`] gives at that moment
//! (refreshed through the usual sources when stale, one refresh at a time, so a code is asked
//! for once), never an expired one; the token and the session reach the program through its
//! environment or standard output, never argv or the log.

use super::handout::usable_session;
use super::terminal::{self, colour::Colour};
use super::{notice, now, print};
use crate::cli::{ExecArgs, ServeArgs, SessionArgs};
use crate::commands::handout::{WhenStale, SHADOWING_VARIABLES};
use crate::commands::serve::{
    authority, credentials_json, error_json, AuthToken, Endpoint, ListenAddr, Refusal, RequestHead,
    MAX_CONNECTIONS, MAX_REQUEST_HEAD, PRECEDING_VARIABLES,
};
use crate::error::Error;
use crate::input::keys::SessionCredentials;
use crate::profile::{find_section, FileKind, FileLocations, ProfileName, SharedDocuments};
use crate::text::notice::Notice;
use crate::text::time::{human, human_span};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long a request's head may take to arrive.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection is kept at most (an SDK connects again).
const CONNECTION_LIFETIME: Duration = Duration::from_secs(120);

/// `mfa-profile serve`.
pub(super) fn run(args: &ServeArgs) -> Result<u8, Error> {
    let first = usable_session(args.target.as_ref(), &args.session, WhenStale::Refresh)?;
    let listen = args.listen.unwrap_or_default();
    if !listen.is_loopback() {
        notice(Notice::Warning(reachable_warning(listen)));
    }
    let runtime = runtime()?;
    let listener = bind(listen)?;
    let endpoint = endpoint_of(&listener)?;
    let text = crate::commands::export::render_variables(args.format, &endpoint.variables())
        .map_err(Error::Export)?;
    print(text.as_bytes())?;
    // So that `eval "$(mfa-profile serve &)"` returns once the variables are printed.
    close_standard_output();
    terminal::say(&format!(
        "mfa-profile: serving [{}] at {} (pid {}); stop with Ctrl-C or kill {}",
        first.target,
        endpoint.url(),
        std::process::id(),
        std::process::id()
    ));
    terminal::say("mfa-profile: a program uses it only when it finds no credentials first: no AWS_PROFILE or AWS_ACCESS_KEY_ID, no keys in [default] of its credentials file (mfa-profile exec --server sets that up)");
    let served = Arc::new(Served::new(endpoint, &first.target, &args.session, true));
    super::terminal::interrupt::set(super::terminal::interrupt::Mode::Exit);
    runtime.block_on(serve(listener, served, std::future::pending::<()>()));
    Ok(crate::error::EXIT_OK)
}

/// `mfa-profile exec --server -- COMMAND`.
pub(super) fn exec(
    args: &ExecArgs,
    program: &std::ffi::OsStr,
    rest: &[std::ffi::OsString],
) -> Result<u8, Error> {
    let first = usable_session(args.target.as_ref(), &args.session, WhenStale::Refresh)?;
    let private = PrivateFiles::make(&first.files, &first.target)?;
    let runtime = runtime()?;
    let listener = bind(ListenAddr::default())?;
    let endpoint = endpoint_of(&listener)?;
    let mut command = std::process::Command::new(program);
    command.args(rest);
    for name in SHADOWING_VARIABLES
        .iter()
        .chain(&PRECEDING_VARIABLES)
        .chain(&["AWS_PROFILE"])
    {
        command.env_remove(name);
    }
    for (name, value) in endpoint.variables() {
        command.env(name, value);
    }
    command
        .env("AWS_SHARED_CREDENTIALS_FILE", &private.credentials)
        .env("AWS_CONFIG_FILE", &private.config);
    let region_set = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .any(|name| super::non_empty_var(name).is_some());
    if let (Some(region), false) = (&private.region, region_set) {
        command
            .env("AWS_REGION", region)
            .env("AWS_DEFAULT_REGION", region);
    }
    let served = Arc::new(Served::new(endpoint, &first.target, &args.session, false));
    drop(first);
    // Ctrl-C at the terminal reaches the command, which decides how to stop; mfa-profile
    // serves until it has.
    super::terminal::interrupt::set(super::terminal::interrupt::Mode::Ignore);
    // Signals are taken before the command starts: one sent meanwhile is passed on, never
    // the end of mfa-profile (and of the endpoint the command needs).
    #[cfg(unix)]
    let signals = runtime.block_on(async { PassedSignals::take() });
    let mut child = command.spawn().map_err(|error| Error::Exec {
        command: program.to_string_lossy().into_owned(),
        reason: crate::text::plain::io_error(&error),
        code: if error.kind() == std::io::ErrorKind::NotFound {
            127
        } else {
            126
        },
    })?;
    let status = runtime.block_on(async {
        #[cfg(unix)]
        signals.pass_to(rustix::process::Pid::from_child(&child));
        let waited = tokio::task::spawn_blocking(move || child.wait());
        tokio::select! {
            () = serve(listener, served, std::future::pending::<()>()) => None,
            status = waited => Some(status),
        }
    });
    // A refresh still waiting (for a code, say) is not waited for: the command is gone.
    runtime.shutdown_background();
    drop(private);
    let status = match status {
        Some(Ok(Ok(status))) => status,
        _ => return Err(Error::Serve("lost track of the command it ran".into())),
    };
    Ok(exit_code(status))
}

/// The exit code that reports `status` as a shell would: the command's own, or 128 and the
/// signal that ended it.
fn exit_code(status: std::process::ExitStatus) -> u8 {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return u8::try_from(128 + signal).unwrap_or(255);
    }
    status
        .code()
        .map_or(1, |code| u8::try_from(code & 0xff).unwrap_or(1))
}

/// SIGTERM and SIGHUP sent to mfa-profile, taken from their default action (the end of the
/// process) to be passed on to the command (Ctrl-C and Ctrl-\\ reach it from the terminal
/// already).
#[cfg(unix)]
struct PassedSignals(Vec<(tokio::signal::unix::Signal, rustix::process::Signal)>);

#[cfg(unix)]
impl PassedSignals {
    /// Takes the signals; within the runtime.
    fn take() -> PassedSignals {
        use rustix::process::Signal;
        use tokio::signal::unix::{signal, SignalKind};
        PassedSignals(
            [
                (SignalKind::terminate(), Signal::TERM),
                (SignalKind::hangup(), Signal::HUP),
            ]
            .into_iter()
            .filter_map(|(kind, passed)| Some((signal(kind).ok()?, passed)))
            .collect(),
        )
    }

    /// Passes each signal received from now on to `child`; within the runtime.
    fn pass_to(self, child: rustix::process::Pid) {
        for (mut received, passed) in self.0 {
            tokio::spawn(async move {
                while received.recv().await.is_some() {
                    let _ = rustix::process::kill_process(child, passed);
                }
            });
        }
    }
}

/// What the command of `exec --server` reads instead of the user's files: an empty credentials
/// file of its own (the SDKs would take [default]'s keys before the endpoint), and the config
/// file (a copy without the credential settings of its default profile, when it has any).
struct PrivateFiles {
    _dir: tempfile::TempDir,
    credentials: PathBuf,
    config: PathBuf,
    /// The region of `[profile TARGET]`.
    region: Option<String>,
}

impl PrivateFiles {
    fn make(files: &FileLocations, target: &ProfileName) -> Result<PrivateFiles, Error> {
        let failed = |what: &str, error: std::io::Error| {
            Error::Serve(format!(
                "cannot make the command's {what}: {}",
                crate::text::plain::io_error(&error)
            ))
        };
        let dir = tempfile::Builder::new()
            .prefix("mfa-profile-")
            .tempdir()
            .map_err(|e| failed("private directory", e))?;
        let credentials = dir.path().join("credentials");
        std::fs::write(&credentials, b"").map_err(|e| failed("empty credentials file", e))?;
        let docs = SharedDocuments::read(files)?;
        let region = find_section(&docs.config, FileKind::Config, target)
            .ok()
            .flatten()
            .and_then(|id| docs.config.section(id).get("region").map(str::to_owned))
            .filter(|region| !region.is_empty());
        let settings = crate::commands::serve::default_credential_settings(&docs.config);
        let config = match crate::commands::serve::without_default_credentials(&docs.config) {
            None => files.config.clone(),
            Some(copy) => {
                notice(Notice::Info(format!(
                    "[default] of {} sets {}, which the SDKs would use before the endpoint: the command reads a copy of the file without it",
                    crate::text::shown::Shown(&files.config),
                    settings.join(", ")
                )));
                let path = dir.path().join("config");
                std::fs::write(&path, copy).map_err(|e| failed("config file", e))?;
                path
            }
        };
        Ok(PrivateFiles {
            _dir: dir,
            credentials,
            config,
            region,
        })
    }
}

/// The warning for `--listen` on another address than loopback.
fn reachable_warning(listen: ListenAddr) -> String {
    let mut text = format!(
        "listening on {}, which other machines or containers may reach: the token alone keeps the session from them, and it crosses the network in clear text",
        listen.socket_addr().ip()
    );
    if !listen.sdks_take_plain_http() {
        text.push_str("; the SDKs take a plain-http endpoint only at a loopback address or 169.254.170.2, 169.254.170.23, fd00:ec2::23, so a program must reach it under one of those");
    }
    text
}

/// The runtime of the endpoint: this thread's, and the blocking threads refreshes run on.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Error::Serve(format!(
                "cannot start: {}",
                crate::text::plain::io_error(&e)
            ))
        })
}

fn bind(listen: ListenAddr) -> Result<std::net::TcpListener, Error> {
    let listener = std::net::TcpListener::bind(listen.socket_addr()).map_err(|e| {
        Error::Serve(format!(
            "cannot listen on {}: {}",
            listen.socket_addr(),
            crate::text::plain::io_error(&e)
        ))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::Serve(crate::text::plain::io_error(&e)))?;
    Ok(listener)
}

fn endpoint_of(listener: &std::net::TcpListener) -> Result<Endpoint, Error> {
    let bound = listener
        .local_addr()
        .map_err(|e| Error::Serve(crate::text::plain::io_error(&e)))?;
    let token = AuthToken::generate().map_err(|e| Error::Serve(e.to_string()))?;
    Ok(Endpoint::new(authority(bound), token))
}

/// Replaces standard output with nothing once the variables are printed, so a shell reading
/// them (`$(...)`) sees their end while the endpoint goes on.
fn close_standard_output() {
    #[cfg(unix)]
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        let _ = rustix::stdio::dup2_stdout(&null);
    }
}

/// What the endpoint serves, and how it logs.
struct Served {
    endpoint: Endpoint,
    target: ProfileName,
    session_args: SessionArgs,
    /// Held while a session is got, so that one refresh (and one question for a code) runs at
    /// a time; the requests meanwhile wait, then find the fresh session in the file.
    one_at_a_time: Mutex<()>,
    /// Every request is logged (`serve`), or the refusals alone (`exec --server`, whose
    /// command's own output shares the terminal).
    log_every_request: bool,
}

impl Served {
    fn new(
        endpoint: Endpoint,
        target: &ProfileName,
        session_args: &SessionArgs,
        log_every_request: bool,
    ) -> Served {
        Served {
            endpoint,
            target: target.clone(),
            session_args: session_args.clone(),
            one_at_a_time: Mutex::new(()),
            log_every_request,
        }
    }

    /// The session to answer with now: the target's, refreshed first when stale. Blocking.
    fn session(&self) -> Result<SessionCredentials, String> {
        let _one = self
            .one_at_a_time
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let usable = usable_session(Some(&self.target), &self.session_args, WhenStale::Refresh)
            .map_err(|error| error.to_string())?;
        let now = now();
        if usable.session.expires_at <= now {
            return Err(format!(
                "the session in [{}] expired {} ago and none could be had",
                self.target,
                human_span(now - usable.session.expires_at)
            ));
        }
        Ok(usable.session)
    }

    /// The answer to `request` from `peer`.
    async fn answer(
        self: Arc<Self>,
        request: Request<Incoming>,
        peer: SocketAddr,
    ) -> Response<Full<Bytes>> {
        let headers = request.headers();
        let values = |name| -> Vec<&[u8]> {
            headers
                .get_all(name)
                .iter()
                .map(HeaderValue::as_bytes)
                .collect()
        };
        let (hosts, authorizations) = (values(header::HOST), values(header::AUTHORIZATION));
        let has_body = headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
            || headers.contains_key(header::TRANSFER_ENCODING);
        // A request in absolute form (`GET http://host/credentials`) names no path of ours.
        let target = match (request.uri().authority(), request.uri().path_and_query()) {
            (None, Some(path)) => path.as_str().to_owned(),
            _ => request.uri().to_string(),
        };
        let head = RequestHead {
            method: request.method().as_str(),
            target: &target,
            hosts: &hosts,
            authorizations: &authorizations,
            has_body,
        };
        let line = format!("{peer} {} {}", head.method, shown_path(&target));
        if let Err(refusal) = self.endpoint.judge(&head) {
            self.log_refusal(&line, &refusal);
            return refused(&refusal);
        }
        let served = Arc::clone(&self);
        let session = tokio::task::spawn_blocking(move || served.session())
            .await
            .unwrap_or_else(|_| Err("getting the session stopped unexpectedly".to_owned()));
        match session {
            Ok(session) => {
                if self.log_every_request {
                    terminal::say(&format!(
                        "mfa-profile: {line}: 200, [{}] valid until {} ({} left)",
                        self.target,
                        human(session.expires_at),
                        human_span(session.expires_at - now())
                    ));
                }
                json(200, credentials_json(&session))
            }
            Err(why) => {
                terminal::say_labelled(
                    "mfa-profile: ",
                    "warning:",
                    Colour::Yellow,
                    &format!("{line}: 503, no session to hand out: {why}"),
                );
                json(503, error_json("NoSession", &why))
            }
        }
    }

    fn log_refusal(&self, line: &str, refusal: &Refusal) {
        terminal::say_labelled(
            "mfa-profile: ",
            "refused",
            Colour::Yellow,
            &format!(
                "{line}: {} {}: {}",
                refusal.status, refusal.code, refusal.message
            ),
        );
    }
}

/// A request's path as the log shows it: at most 64 characters.
fn shown_path(target: &str) -> String {
    let mut shown: String = target.chars().take(64).collect();
    if target.chars().count() > 64 {
        shown.push('…');
    }
    shown
}

fn json(status: u16, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn refused(refusal: &Refusal) -> Response<Full<Bytes>> {
    let mut response = json(refusal.status, error_json(refusal.code, &refusal.message));
    if refusal.status == 405 {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
    }
    // The connection may hold a body or requests of a sender that has no business here.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Serves `listener` until `stop`: at most [`MAX_CONNECTIONS`] connections at once (more wait
/// to be accepted), each bounded in its head's size and time and in its lifetime.
async fn serve(
    listener: std::net::TcpListener,
    served: Arc<Served>,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper::server::conn::http1;
    use hyper_util::rt::{TokioIo, TokioTimer};
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        terminal::say("mfa-profile: cannot serve: the listener cannot be used");
        return;
    };
    let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(stop);
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    terminal::say(&format!("mfa-profile: cannot accept a connection: {}", crate::text::plain::io_error(&error)));
                    // Out of file descriptors, say: let the connections end first.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => return,
        };
        let served = Arc::clone(&served);
        tokio::spawn(async move {
            let _permit = permit;
            let service = hyper::service::service_fn(move |request| {
                let served = Arc::clone(&served);
                async move { Ok::<_, std::convert::Infallible>(served.answer(request, peer).await) }
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_REQUEST_HEAD);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
        });
    }
}
