//! What the AWS SDK clients of STS and IAM share, set up once per process: the tokio runtime
//! every call runs on, the HTTP clients (one per set of trusted certificates, and one for plain
//! http), one `aws_sdk_sts::Client` and one `aws_sdk_iam::Client`, the configuration each
//! call adds (region, endpoint, credentials, FIPS and dual-stack, the user agent), the rule
//! for sending a call again ([`Resend`]) and what a failed call says ([`Failure`]).
//!
//! Invariant: nothing is built before a call needs it (the skip path, `status`, `export`,
//! `doctor`, `credential-process` of a valid session build nothing); after that, every call of
//! the process goes through the same runtime and the same HTTP client for its endpoint's
//! kind, so a connection is opened once per endpoint and reused (a runtime per call would drop
//! the pool with it). Everything is configured explicitly: nothing here, and nothing the SDK
//! is asked to do, reads the process environment or a profile (`aws_config::load_from_env` is
//! never called); the caller passes in what the environment and the source profile say.

mod agent;
mod failure;
pub mod http;
pub mod iam;
mod retry;
pub mod signin;
pub mod sts;
pub mod trust;

pub(crate) use failure::Failure;
pub use http::Proxies;
pub(crate) use retry::Resend;

use crate::input::{EndpointUrl, Region};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::future::Future;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use trust::TrustRoots;

/// Connect timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Timeout of one attempt.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// Timeout of the whole call, attempts and the waits between them included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(12);
/// Attempts at most, for a call that may be sent again.
pub const MAX_ATTEMPTS: u32 = 3;

/// The settings of the SDK's that the environment gives (`AWS_USE_FIPS_ENDPOINT`,
/// `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_SDK_UA_APP_ID`), read by the process around the core.
/// Each wins over the source profile's key, as in the SDKs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SdkVariables {
    /// `AWS_USE_FIPS_ENDPOINT`: `Some(true)` for `true`, `Some(false)` for `false` (any case).
    pub use_fips: Option<bool>,
    /// `AWS_USE_DUALSTACK_ENDPOINT`.
    pub use_dual_stack: Option<bool>,
    /// `AWS_SDK_UA_APP_ID`.
    pub app_id: Option<String>,
}

impl SdkVariables {
    /// The variables `var` reads.
    pub fn from(var: impl Fn(&str) -> Option<String>) -> SdkVariables {
        SdkVariables {
            use_fips: var("AWS_USE_FIPS_ENDPOINT").and_then(|v| setting(&v)),
            use_dual_stack: var("AWS_USE_DUALSTACK_ENDPOINT").and_then(|v| setting(&v)),
            app_id: var("AWS_SDK_UA_APP_ID").filter(|v| !v.trim().is_empty()),
        }
    }

    /// The options of calls for a source profile whose keys say `profile`; a variable wins.
    pub fn with_profile(&self, profile: &ProfileOptions) -> CallOptions {
        CallOptions {
            use_fips: self
                .use_fips
                .or_else(|| profile.use_fips_endpoint.as_deref().and_then(setting))
                .unwrap_or(false),
            use_dual_stack: self
                .use_dual_stack
                .or_else(|| profile.use_dualstack_endpoint.as_deref().and_then(setting))
                .unwrap_or(false),
            app_id: self
                .app_id
                .clone()
                .or_else(|| profile.sdk_ua_app_id.clone()),
        }
    }
}

/// The same settings as a source profile holds them (`use_fips_endpoint`,
/// `use_dualstack_endpoint`, `sdk_ua_app_id`), unparsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileOptions {
    /// `use_fips_endpoint`.
    pub use_fips_endpoint: Option<String>,
    /// `use_dualstack_endpoint`.
    pub use_dualstack_endpoint: Option<String>,
    /// `sdk_ua_app_id`.
    pub sdk_ua_app_id: Option<String>,
}

/// `true` or `false` in any case, blanks around it ignored; anything else is no setting (the
/// SDKs ignore it too, with a warning in their log).
fn setting(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// What a call takes from the environment and the source profile besides its region, endpoint
/// and credentials.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Call the service's FIPS endpoint (with no custom endpoint).
    pub use_fips: bool,
    /// Call the service's dual-stack (IPv6) endpoint (with no custom endpoint).
    pub use_dual_stack: bool,
    /// Named in the user agent as `app/ID`.
    pub app_id: Option<String>,
}

/// Where a call goes: a region, and an endpoint when not the service's own.
#[derive(Clone, Copy, Debug)]
pub struct Route<'a> {
    /// The region (for the service's own endpoint, and the signature).
    pub region: &'a Region,
    /// The endpoint, when not the service's own.
    pub endpoint: Option<&'a EndpointUrl>,
    /// FIPS, dual-stack, the app id.
    pub options: &'a CallOptions,
    /// The certificates an https endpoint is trusted by.
    pub trust: &'a TrustRoots,
}

impl Route<'_> {
    /// Whether the endpoint is plain http (no TLS, never through a proxy).
    pub fn is_plain_http(&self) -> bool {
        self.endpoint.is_some_and(EndpointUrl::is_plain_http)
    }

    /// Whether the service's FIPS endpoint is asked for: FIPS and dual-stack choose among
    /// the service's own endpoints, so a custom endpoint wins over them (the SDK's endpoint
    /// rules refuse the two together: "FIPS and custom endpoint are not supported").
    fn uses_fips(&self) -> bool {
        self.endpoint.is_none() && self.options.use_fips
    }

    /// Whether the service's dual-stack endpoint is asked for (as [`Route::uses_fips`]).
    fn uses_dual_stack(&self) -> bool {
        self.endpoint.is_none() && self.options.use_dual_stack
    }
}

/// The network of this process: the runtime, the HTTP clients and the SDK clients, each built
/// on first use and kept for every later call.
pub struct Network {
    proxies: Proxies,
    /// Every call through this client instead (tests, the fuzz target).
    answering: Option<SharedHttpClient>,
    /// Attempts at most per call ([`MAX_ATTEMPTS`]; the fuzz target makes one).
    max_attempts: u32,
    runtime: OnceLock<Result<tokio::runtime::Runtime, String>>,
    plain: OnceLock<SharedHttpClient>,
    /// The TLS clients built, by the certificates they trust (a process trusts one set, rarely
    /// two: the source profile's `ca_bundle` for STS, `AWS_CA_BUNDLE` or the system's for IAM).
    tls: Mutex<Vec<(TrustRoots, SharedHttpClient)>>,
    sts: OnceLock<aws_sdk_sts::Client>,
    iam: OnceLock<aws_sdk_iam::Client>,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("proxies", &self.proxies)
            .field("answering", &self.answering.is_some())
            .finish_non_exhaustive()
    }
}

impl Network {
    /// The network of a process whose environment names `proxies`. Builds nothing yet.
    pub fn new(proxies: Proxies) -> Network {
        Network {
            proxies,
            answering: None,
            max_attempts: MAX_ATTEMPTS,
            runtime: OnceLock::new(),
            plain: OnceLock::new(),
            tls: Mutex::new(Vec::new()),
            sts: OnceLock::new(),
            iam: OnceLock::new(),
        }
    }

    /// A network whose every call `client` answers (behind the same answer bound): for tests
    /// and the fuzz target, with no connection made.
    #[cfg(any(test, feature = "fuzzing"))]
    pub fn answering_with(client: SharedHttpClient) -> Network {
        Network {
            answering: Some(http::bounded_client(client)),
            ..Network::new(Proxies::default())
        }
    }

    /// The same, making one attempt where it would make more (retries wait).
    #[cfg(any(test, feature = "fuzzing"))]
    pub fn single_attempt(self) -> Network {
        Network {
            max_attempts: 1,
            ..self
        }
    }

    /// The proxies calls go through.
    pub fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    /// Runs `future` on the process's runtime (a runtime of the calling thread: a call makes
    /// one request at a time, and no thread is started for it).
    pub(crate) fn block_on<T>(&self, future: impl Future<Output = T>) -> Result<T, String> {
        let runtime = self.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the network runtime: {e}"))
        });
        match runtime {
            Ok(runtime) => Ok(runtime.block_on(future)),
            Err(why) => Err(why.clone()),
        }
    }

    /// The HTTP client for calls along `route`: plain http, or TLS trusting `route.trust`
    /// (built once per set of certificates); `Err` says why TLS cannot be set up.
    pub(crate) fn http_client(&self, route: &Route<'_>) -> Result<SharedHttpClient, String> {
        if let Some(client) = &self.answering {
            return Ok(client.clone());
        }
        if route.is_plain_http() {
            return Ok(self.plain.get_or_init(http::plain_client).clone());
        }
        let mut built = self.tls.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, client)) = built.iter().find(|(trust, _)| trust == route.trust) {
            return Ok(client.clone());
        }
        let client = http::tls_client(route.trust, &self.proxies)?;
        built.push((route.trust.clone(), client.clone()));
        Ok(client)
    }

    /// The process's STS client.
    pub(crate) fn sts(&self) -> &aws_sdk_sts::Client {
        self.sts.get_or_init(|| {
            let config = aws_sdk_sts::Config::builder()
                .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
                .timeout_config(timeouts())
                .retry_config(retries(self.max_attempts))
                .identity_cache(aws_sdk_sts::config::IdentityCache::no_cache())
                .http_client(http::unchosen_client())
                .interceptor(agent::UserAgent)
                .build();
            aws_sdk_sts::Client::from_conf(config)
        })
    }

    /// The process's IAM client.
    pub(crate) fn iam(&self) -> &aws_sdk_iam::Client {
        self.iam.get_or_init(|| {
            let config = aws_sdk_iam::Config::builder()
                .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
                .timeout_config(timeouts())
                .retry_config(retries(self.max_attempts))
                .identity_cache(aws_sdk_iam::config::IdentityCache::no_cache())
                .http_client(http::unchosen_client())
                .interceptor(agent::UserAgent)
                .build();
            aws_sdk_iam::Client::from_conf(config)
        })
    }
}

fn timeouts() -> aws_sdk_sts::config::timeout::TimeoutConfig {
    aws_sdk_sts::config::timeout::TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(CALL_TIMEOUT)
        .build()
}

fn retries(max_attempts: u32) -> aws_sdk_sts::config::retry::RetryConfig {
    aws_sdk_sts::config::retry::RetryConfig::standard().with_max_attempts(max_attempts)
}

/// What one STS call (of an operation failing with `E`) adds to the client's configuration:
/// where it goes, who signs it, how it may be sent again.
pub(crate) fn sts_call<E>(
    route: &Route<'_>,
    http: SharedHttpClient,
    credentials: aws_sdk_sts::config::Credentials,
    resend: Resend,
) -> aws_sdk_sts::config::Builder
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    let mut config = aws_sdk_sts::Config::builder()
        .region(aws_sdk_sts::config::Region::new(route.region.to_string()))
        .use_fips(route.uses_fips())
        .use_dual_stack(route.uses_dual_stack())
        .credentials_provider(credentials)
        .http_client(http);
    config.set_endpoint_url(route.endpoint.map(ToString::to_string));
    config.set_app_name(app_name(route.options));
    resend.apply_sts::<E>(&mut config);
    config
}

/// What one IAM call (of an operation failing with `E`) adds to the client's configuration.
pub(crate) fn iam_call<E>(
    route: &Route<'_>,
    http: SharedHttpClient,
    credentials: aws_sdk_iam::config::Credentials,
    resend: Resend,
) -> aws_sdk_iam::config::Builder
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    // IAM's own endpoint takes only its partition's signing region (us-east-1 in aws); the
    // SDK signs an endpoint the user names for the configured region, which IAM refuses.
    let region = match route.endpoint {
        Some(_) => iam_signing_region(route.region, route.options),
        None => route.region.to_string(),
    };
    let mut config = aws_sdk_iam::Config::builder()
        .region(aws_sdk_iam::config::Region::new(region))
        .use_fips(route.uses_fips())
        .use_dual_stack(route.uses_dual_stack())
        .credentials_provider(credentials)
        .http_client(http);
    config.set_endpoint_url(route.endpoint.map(ToString::to_string));
    config.set_app_name(app_name(route.options));
    resend.apply_iam::<E>(&mut config);
    config
}

/// The app id as the SDK takes it; one it refuses (a space, say) is left out, as the SDKs do.
fn app_name(options: &CallOptions) -> Option<aws_sdk_sts::config::AppName> {
    options
        .app_id
        .as_deref()
        .and_then(|id| aws_sdk_sts::config::AppName::new(id.to_owned()).ok())
}

/// STS's own endpoint for `region` with `options`, as the SDK resolves it; for messages.
pub fn sts_url(region: &Region, options: &CallOptions) -> String {
    use aws_sdk_sts::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    let params = Params::builder()
        .region(region.as_str())
        .use_fips(options.use_fips)
        .use_dual_stack(options.use_dual_stack)
        .use_global_endpoint(false)
        .build();
    let resolved = params.ok().and_then(|params| {
        ready(DefaultResolver::new().resolve_endpoint(&params))?
            .ok()
            .map(|endpoint| endpoint.url().to_owned())
    });
    resolved.unwrap_or_else(|| format!("https://sts.{region}.amazonaws.com"))
}

/// IAM's own endpoint for the partition of `region` with `options`, as the SDK resolves it;
/// for messages.
pub fn iam_url(region: &Region, options: &CallOptions) -> String {
    iam_own_endpoint(region, options).map_or_else(
        || "https://iam.amazonaws.com".to_owned(),
        |endpoint| endpoint.url().to_owned(),
    )
}

/// The region IAM's own endpoint for the partition of `region` is signed for (us-east-1 in
/// aws, cn-north-1 in aws-cn, ...), as the SDK's endpoint rules say; `region` itself where
/// the rules name no other.
fn iam_signing_region(region: &Region, options: &CallOptions) -> String {
    use aws_smithy_types::Document;
    iam_own_endpoint(region, options)
        .and_then(|endpoint| {
            endpoint
                .auth_schemes()
                .iter()
                .find_map(|scheme| match scheme.get("signingRegion") {
                    Some(Document::String(signing)) => Some(signing.clone()),
                    _ => None,
                })
        })
        .unwrap_or_else(|| region.to_string())
}

/// IAM's own endpoint for the partition of `region` with `options`, as the SDK's rules resolve
/// it.
fn iam_own_endpoint(
    region: &Region,
    options: &CallOptions,
) -> Option<aws_smithy_types::endpoint::Endpoint> {
    use aws_sdk_iam::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    let params = Params::builder()
        .region(region.as_str())
        .use_fips(options.use_fips)
        .use_dual_stack(options.use_dual_stack)
        .build()
        .ok()?;
    ready(DefaultResolver::new().resolve_endpoint(&params))?.ok()
}

/// The output of a future that does not wait (the SDK's endpoint resolvers answer at once);
/// `None` if it would.
fn ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(name: &str) -> Region {
        name.parse().unwrap()
    }

    #[test]
    fn iam_is_signed_for_its_partitions_region_whatever_the_profiles() {
        let plain = CallOptions::default();
        let signed = |name: &str| iam_signing_region(&region(name), &plain);
        assert_eq!(signed("eu-west-1"), "us-east-1");
        assert_eq!(signed("us-east-1"), "us-east-1");
        assert_eq!(signed("cn-northwest-1"), "cn-north-1");
        assert_eq!(signed("us-gov-east-1"), "us-gov-west-1");
    }

    #[test]
    fn a_variable_wins_over_the_profile_and_only_true_or_false_count() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            SdkVariables::from(move |name| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        let profile = ProfileOptions {
            use_fips_endpoint: Some("TRUE".into()),
            use_dualstack_endpoint: Some("yes".into()),
            sdk_ua_app_id: Some("from-profile".into()),
        };
        assert_eq!(
            vars(&[]).with_profile(&profile),
            CallOptions {
                use_fips: true,
                use_dual_stack: false,
                app_id: Some("from-profile".into()),
            }
        );
        let set = vars(&[
            ("AWS_USE_FIPS_ENDPOINT", " false "),
            ("AWS_USE_DUALSTACK_ENDPOINT", "True"),
            ("AWS_SDK_UA_APP_ID", "from-env"),
        ]);
        assert_eq!(
            set.with_profile(&profile),
            CallOptions {
                use_fips: false,
                use_dual_stack: true,
                app_id: Some("from-env".into()),
            }
        );
    }

    /// The hosts the SDK's resolvers give: the regional, FIPS and dual-stack endpoints, the
    /// global region, and the partitions beyond the commercial one (for IAM: its own
    /// endpoint per partition, not the commercial `iam.amazonaws.com`).
    #[test]
    fn the_sdks_resolvers_name_each_partitions_hosts() {
        let plain = CallOptions::default();
        let fips = CallOptions {
            use_fips: true,
            ..CallOptions::default()
        };
        let dual = CallOptions {
            use_dual_stack: true,
            ..CallOptions::default()
        };
        assert_eq!(
            sts_url(&region("eu-west-1"), &plain),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            sts_url(&region("us-east-2"), &fips),
            "https://sts-fips.us-east-2.amazonaws.com"
        );
        assert_eq!(
            sts_url(&region("eu-west-1"), &dual),
            "https://sts.eu-west-1.api.aws"
        );
        assert_eq!(
            sts_url(&region("aws-global"), &plain),
            "https://sts.amazonaws.com"
        );
        assert_eq!(
            sts_url(&region("eusc-de-east-1"), &plain),
            "https://sts.eusc-de-east-1.amazonaws.eu"
        );
        assert_eq!(
            iam_url(&region("eusc-de-east-1"), &plain),
            "https://iam.eusc-de-east-1.amazonaws.eu"
        );
        assert_eq!(
            iam_url(&region("cn-north-1"), &plain),
            "https://iam.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            iam_url(&region("us-east-1"), &fips),
            "https://iam-fips.amazonaws.com"
        );
    }
}
