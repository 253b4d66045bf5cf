//! IAM for the commands: the endpoint from `--iam-endpoint-url` or the environment, the client,
//! and the MFA device chosen on the terminal when IAM lists several.
//!
//! Invariant: the IAM endpoint follows STS's policy (plain http only to this machine unless
//! allowed), and a non-AWS or plain-http one is named on standard error before anything is
//! sent there.

use super::terminal::ask::Answers;
use super::{notice, var};
use crate::aws::iam::{resolve_iam_endpoint, Iam, IamEndpoint, IamEndpointError, SdkIam};
use crate::aws::sts::{roots_for, TrustChoice};
use crate::aws::CallOptions;
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::input::{EndpointUrl, Region};
use crate::profile::ProfileName;
use crate::refresh::{DeviceRequest, IamFor};
use crate::text::notice::Notice;

/// The IAM endpoint a command chose with its flags, for the refreshes it runs (which find a
/// missing MFA device in IAM): set once by `rotate` and `setup`.
static CHOSEN: std::sync::OnceLock<Option<IamEndpoint>> = std::sync::OnceLock::new();

/// Makes `endpoint` the IAM endpoint of this process's refreshes.
pub(super) fn use_for_refreshes(endpoint: Option<IamEndpoint>) {
    let _ = CHOSEN.set(endpoint);
}

/// The IAM endpoint of a refresh: the command's choice when it made one, else as
/// [`iam_endpoint`] chooses without a flag.
pub(super) fn refresh_endpoint(allow_insecure: bool) -> Result<Option<IamEndpoint>, Error> {
    match CHOSEN.get() {
        Some(chosen) => Ok(chosen.clone()),
        None => iam_endpoint(None, allow_insecure),
    }
}

/// The IAM endpoint: `flag`, else `AWS_ENDPOINT_URL_IAM`, else IAM's own; said when it is not
/// an AWS host.
pub(super) fn iam_endpoint(
    flag: Option<&EndpointUrl>,
    allow_insecure: bool,
) -> Result<Option<IamEndpoint>, Error> {
    let choice = resolve_iam_endpoint(flag.cloned(), allow_insecure, var).map_err(|e| match e {
        IamEndpointError::Malformed(error) => KeyError::EndpointVariable(error),
        IamEndpointError::Insecure(endpoint) => KeyError::InsecureEndpoint {
            url: endpoint.url.to_string(),
            origin: endpoint.origin,
        },
    })?;
    if choice.ignored_general_variable {
        notice(Notice::Info(
            "AWS_ENDPOINT_URL is set but not used for IAM: keys go only to --iam-endpoint-url, AWS_ENDPOINT_URL_IAM or IAM itself".into(),
        ));
    }
    if let Some(said) = choice.endpoint.as_ref().and_then(IamEndpoint::notice) {
        notice(said);
    }
    Ok(choice.endpoint)
}

/// IAM and GetCallerIdentity for `region`, to the endpoints chosen, trusting the certificates
/// of `AWS_CA_BUNDLE` when set (the source profile's `ca_bundle` is a refresh's alone), through
/// the process's network (its clients, and their connections, serve every call).
pub(super) fn client(
    region: &Region,
    sts: Option<&EndpointUrl>,
    iam: Option<&IamEndpoint>,
    options: CallOptions,
) -> Result<SdkIam<'static>, Error> {
    let choice = TrustChoice::new(&super::tls_settings(), None);
    let trust = roots_for([sts, iam.map(|e| &e.url)], &choice)?;
    Ok(SdkIam::new(
        super::network(),
        region.clone(),
        sts.cloned(),
        iam.map(|e| e.url.clone()),
        trust,
        options,
    ))
}

/// IAM for a refresh's search of a source's MFA device: the endpoint the command chose (or
/// the environment's), the certificates `AWS_CA_BUNDLE` names.
pub(super) struct RefreshIam;

impl IamFor for RefreshIam {
    fn iam_for(&self, request: &DeviceRequest) -> Result<Option<Box<dyn Iam + '_>>, Error> {
        // A plain-http STS endpoint off this machine can only have been allowed with
        // --allow-insecure-endpoint, which then covers IAM too.
        let allow_insecure = request
            .sts_endpoint
            .is_some_and(|e| e.url.is_plain_http() && !e.url.is_loopback());
        let endpoint = refresh_endpoint(allow_insecure)?;
        let iam = client(
            request.region,
            request.sts_endpoint.map(|e| &e.url),
            endpoint.as_ref(),
            request.options.clone(),
        )?;
        Ok(Some(Box::new(iam)))
    }
}

/// Chooses among several MFA devices on the terminal (standard input, when `on_terminal`);
/// otherwise says what to pass.
pub(super) fn choose_device(
    source: &ProfileName,
    on_terminal: bool,
) -> impl FnMut(&str, &[String]) -> Result<usize, Error> + '_ {
    move |user: &str, devices: &[String]| match (on_terminal, Answers::detect()) {
        (true, Answers::Terminal) => Answers::Terminal.choose(
            &format!(
                "IAM user {user} of [{source}] has {} MFA devices; which one gives your codes?",
                devices.len()
            ),
            devices,
        ),
        _ => Err(KeyError::DeviceChoice {
            profile: source.to_string(),
            user: user.to_owned(),
            count: devices.len(),
            devices: devices.join(", "),
        }
        .into()),
    }
}
