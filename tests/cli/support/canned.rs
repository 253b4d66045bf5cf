//! TEMPORARY: the canned wiremock STS, until its last users are on the stand-in.

/// What the canned STS answers to GetSessionToken: fixed keys, expiring 2099-01-01.
pub const CANNED_KEY: &str = "ASIACANNEDEXAMPLE";
pub const CANNED_SECRET: &str = "cannedSecret/EXAMPLE+key0123456789abcdef";
pub const CANNED_TOKEN: &str =
    "FwoGZXIvYXdzEXAMPLEcannedTOKEN//0123456789+abcdefghijklmnopqrstuv==";
/// What it answers to AssumeRole.
pub const CANNED_ROLE_KEY: &str = "ASIACANNEDROLEEXAMPLE";

fn canned_answer(action: &str, key: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result><Credentials>\
<SessionToken>{CANNED_TOKEN}</SessionToken><SecretAccessKey>{CANNED_SECRET}</SecretAccessKey>\
<Expiration>2099-01-01T00:00:00Z</Expiration><AccessKeyId>{key}</AccessKeyId>\
</Credentials></{action}Result><ResponseMetadata><RequestId>58c5dbae-EXAMPLE</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// A wiremock STS on 127.0.0.1 answering GetSessionToken and AssumeRole with fixed keys, so a
/// refresh's file can be compared byte for byte. Stopped on drop.
pub struct CannedSts {
    runtime: tokio::runtime::Runtime,
    server: wiremock::MockServer,
}

impl CannedSts {
    pub fn start() -> CannedSts {
        use wiremock::matchers::{body_string_contains, method};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            for (action, key) in [
                ("GetSessionToken", CANNED_KEY),
                ("AssumeRole", CANNED_ROLE_KEY),
            ] {
                Mock::given(method("POST"))
                    .and(body_string_contains(format!("Action={action}")))
                    .respond_with(
                        ResponseTemplate::new(200)
                            .insert_header("content-type", "text/xml")
                            .set_body_string(canned_answer(action, key)),
                    )
                    .mount(&server)
                    .await;
            }
            server
        });
        CannedSts { runtime, server }
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The access key id each request was signed with (from its `Authorization` header), in
    /// order.
    pub fn signing_keys(&self) -> Vec<String> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let auth = r
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                auth.split("Credential=")
                    .nth(1)
                    .and_then(|c| c.split('/').next())
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// The bodies of the requests received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default()
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect()
    }
}
