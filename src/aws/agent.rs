//! The user agent of our calls: the SDK's, with `lib/mfa-profile/VERSION` appended, and
//! `app/ID` when the environment or the source profile names an app id.
//!
//! Invariant: made from what the call's configuration holds, never from the process
//! environment (the SDK's own interceptor would read `AWS_EXECUTION_ENV`; given one made
//! already, it uses that).

use aws_runtime::user_agent::{ApiMetadata, AwsUserAgent};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::app_name::AppName;
use aws_types::os_shim_internal::Env;
use aws_types::sdk_ua_metadata::FrameworkMetadata;

/// Puts our user agent where the SDK's user-agent interceptor looks for one.
#[derive(Debug)]
pub(super) struct UserAgent;

impl Intercept for UserAgent {
    fn name(&self) -> &'static str {
        "mfa-profile user agent"
    }

    // Not `read_before_execution`: a client's interceptors see that before the call's own
    // configuration (its app id) is in the bag.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(api) = cfg.load::<ApiMetadata>().cloned() else {
            return Ok(());
        };
        let ours = FrameworkMetadata::new("mfa-profile", Some(env!("CARGO_PKG_VERSION")))?;
        let mut agent = AwsUserAgent::new_from_environment(Env::from_slice(&[]), api)
            .with_framework_metadata(ours);
        if let Some(app) = cfg.load::<AppName>() {
            agent.set_app_name(app.clone());
        }
        cfg.interceptor_state().store_put(agent);
        Ok(())
    }
}
