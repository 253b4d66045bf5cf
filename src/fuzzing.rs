//! The properties the fuzz targets in `fuzz/` check, as plain functions: `cargo +nightly fuzz`
//! feeds them generated inputs, and the integration tests replay the committed corpus
//! (`fuzz/corpus/`) through them on stable.
//!
//! Invariant: each function panics exactly when the property it states does not hold.

use crate::aws::sts::{check_session, MfaAnswer, SdkSts, SessionRequest, Signer, Sts};
use crate::aws::Network;
use crate::commands::export::{self, Format};
use crate::ini::Document;
use crate::input::keys::{LongTermKeys, Secret, SessionCredentials};
use crate::input::SessionDuration;
use crate::profile::{
    locate_target, stored_session, write_session, ProfileName, SessionEntries, SharedFiles,
};
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

/// The editor, on any bytes: a file it accepts renders back byte for byte; when its `[mfa]`
/// can be a target, writing a session there changes no other section, and both our reader and
/// the AWS SDK's parser read the session back.
pub fn editor(data: &[u8]) {
    let Ok(doc) = Document::parse(data) else {
        return;
    };
    assert_eq!(
        doc.render().as_bytes(),
        data,
        "parse then render is the identity"
    );
    let target = ProfileName::new("mfa").expect("a valid name");
    let Ok(found) = locate_target(&doc, &target) else {
        return;
    };
    let at = found.map(|(id, _)| id);
    let session = example_session();
    let source = ProfileName::default_profile();
    let mut edited = doc.clone();
    write_session(
        &mut edited,
        at,
        &target,
        &SessionEntries::plain(&session, &source),
    );
    let text = edited.render();
    let reread = Document::parse(text.as_bytes()).expect("an edited file is accepted again");
    let last = doc.sections().count().checked_sub(1);
    for (n, (before, after)) in doc.sections().zip(reread.sections()).enumerate() {
        if Some(before.id()) == at {
            continue;
        }
        let (mut a, mut b) = (String::new(), String::new());
        before.render_into(&mut a);
        after.render_into(&mut b);
        // An appended target is set off from the last section by one blank line, and a last
        // line without an ending gets one.
        let bare = |text: &str| text.trim_end_matches(['\r', '\n']).len();
        let set_off = at.is_none()
            && Some(n) == last
            && a[..bare(&a)] == b[..bare(&b)]
            && b.len() - bare(&b) <= 4;
        assert!(
            a == b || set_off,
            "a section other than the target changed: {a:?} -> {b:?}"
        );
    }
    let stored = stored_session(&reread, &target).expect("the session reads back");
    assert_eq!(stored.access_key_id, session.access_key_id);
    assert_eq!(stored.session_token, session.session_token);
    let files = SharedFiles {
        credentials: text,
        config: String::new(),
    };
    let profiles = files.profiles().expect("the SDK parses the edited file");
    let sdk = profiles.get_profile("mfa").expect("the SDK finds [mfa]");
    assert_eq!(
        sdk.get("aws_session_token"),
        Some(session.session_token.expose())
    );
}

/// STS's answer, on any bytes (the first picks the HTTP status, the rest is the body): the
/// SDK's STS client reading it, our size bound, our error sentences and our checks never
/// panic; no error repeats the long-term secret key (unless the answer itself holds it); a
/// session that passes [`check_session`] prints in every export format and survives the
/// credentials file.
pub fn sts_answer(data: &[u8]) {
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let (status, body) = match data.split_first() {
        Some((first, rest)) => (status_of(*first), rest.to_vec()),
        None => (200, Vec::new()),
    };
    let echoes_secret = String::from_utf8_lossy(&body).contains(SECRET);
    let network = Network::answering_with(canned(status, body)).single_attempt();
    let sts = SdkSts(&network);
    let keys = LongTermKeys {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: Secret::new(SECRET),
    };
    let request = SessionRequest {
        mfa: Some(MfaAnswer {
            serial: "arn:aws:iam::123456789012:mfa/alice"
                .parse()
                .expect("a serial"),
            code: "123456".parse().expect("a code"),
        }),
        duration: SessionDuration::DEFAULT,
        region: "us-east-1".parse().expect("a region"),
        endpoint: None,
        role: None,
        trust: Default::default(),
        options: Default::default(),
    };
    let session = match sts.get_session(Signer::LongTerm(&keys), &request) {
        Ok(session) => session,
        Err(error) => {
            // STS's own words are quoted; the long-term secret never is, unless STS sent it.
            assert!(
                echoes_secret || !error.to_string().contains(SECRET),
                "{error}"
            );
            return;
        }
    };
    if check_session(&session, 0).is_err() {
        return;
    }
    for (name, format) in Format::NAMED {
        assert!(
            export::render(format, &session).is_ok(),
            "a checked session prints as {name}"
        );
    }
    let mut doc = Document::parse(b"").expect("an empty file");
    let target = ProfileName::new("mfa").expect("a valid name");
    let source = ProfileName::default_profile();
    write_session(
        &mut doc,
        None,
        &target,
        &SessionEntries::plain(&session, &source),
    );
    let reread = Document::parse(doc.render().as_bytes()).expect("the written file parses");
    let stored = stored_session(&reread, &target).expect("the session reads back");
    assert_eq!(stored.access_key_id, session.access_key_id);
    assert_eq!(stored.secret_access_key, session.secret_access_key);
    assert_eq!(stored.session_token, session.session_token);
}

/// An HTTP client answering every request with `status` and `body`, with no network.
fn canned(status: u16, body: Vec<u8>) -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    #[derive(Debug)]
    struct Canned(u16, Vec<u8>);
    impl HttpConnector for Canned {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            let status = StatusCode::try_from(self.0).expect("one of status_of's");
            HttpConnectorFuture::ready(Ok(HttpResponse::new(status, SdkBody::from(self.1.clone()))))
        }
    }
    let connector = SharedHttpConnector::new(Canned(status, body));
    http_client_fn(move |_, _| connector.clone())
}

/// The HTTP statuses STS answers with.
fn status_of(byte: u8) -> u16 {
    [200, 200, 200, 200, 400, 403, 404, 500][usize::from(byte % 8)]
}

fn example_session() -> SessionCredentials {
    SessionCredentials {
        access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        session_token: Secret::new("FwoGZXIvYXdzEXAMPLE+/="),
        expires_at: 1_893_456_000,
    }
}
