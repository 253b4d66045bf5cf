//! The AWS SDK for Rust pointed at the stand-in, for tests that check what the tool wrote or
//! printed is a session AWS would take.

use super::StandIn;

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
        let value = |key| crate::support::harness::sdk_value(text, profile, key);
        let (Some(key_id), Some(secret)) =
            (value("aws_access_key_id"), value("aws_secret_access_key"))
        else {
            return Err(format!("[{profile}] has no keys:\n{text}"));
        };
        self.caller_arn(&key_id, &secret, value("aws_session_token").as_deref())
    }
}
