//! The AWS SDK for Rust against the stand-in.

use super::super::*;
use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response as HttpResponse;

const CODE: &str = "123456";

/// What an SDK call was refused with: HTTP status, error code, message.
#[derive(Debug, PartialEq, Eq)]
struct Refusal {
    status: u16,
    code: String,
    message: String,
}

fn refusal<E: ProvideErrorMetadata>(error: &SdkError<E, HttpResponse>) -> Refusal {
    Refusal {
        status: error
            .raw_response()
            .map(|r| r.status().as_u16())
            .unwrap_or(0),
        code: error.code().unwrap_or_default().to_owned(),
        message: error.message().unwrap_or_default().to_owned(),
    }
}

fn refused(status: u16, code: &str, message: &str) -> Refusal {
    Refusal {
        status,
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// Credentials as the SDK takes them.
struct Keys<'a> {
    id: &'a str,
    secret: &'a str,
    token: Option<&'a str>,
}

const LONG_TERM: Keys<'static> = Keys {
    id: AKID,
    secret: SECRET,
    token: None,
};

impl Keys<'_> {
    fn credentials(&self) -> Credentials {
        Credentials::new(
            self.id,
            self.secret,
            self.token.map(str::to_owned),
            None,
            "stand-in check",
        )
    }
}

fn sts_config(aws: &StandIn, keys: &Keys) -> aws_sdk_sts::config::Builder {
    let ca = aws.ca_pem.as_deref();
    aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(aws.url())
        .credentials_provider(keys.credentials())
        .http_client(sdk_http_client(ca))
}

fn sts(aws: &StandIn, keys: &Keys) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::from_conf(sts_config(aws, keys).build())
}

fn iam(aws: &StandIn, keys: &Keys, region: &str) -> aws_sdk_iam::Client {
    let config = aws_sdk_iam::Config::builder()
        .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
        .region(aws_sdk_iam::config::Region::new(region.to_owned()))
        .endpoint_url(aws.url())
        .credentials_provider(keys.credentials())
        .http_client(sdk_http_client(None))
        .build();
    aws_sdk_iam::Client::from_conf(config)
}

fn block<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// A GetSessionToken session of alice's, through the SDK, with MFA.
fn mfa_session(aws: &StandIn) -> aws_sdk_sts::types::Credentials {
    aws.next_code_window();
    let answer = block(
        sts(aws, &LONG_TERM)
            .get_session_token()
            .serial_number(SERIAL)
            .token_code(CODE)
            .send(),
    )
    .expect("GetSessionToken with MFA");
    answer.credentials.expect("credentials")
}

fn keys_of(session: &aws_sdk_sts::types::Credentials) -> Keys<'_> {
    Keys {
        id: &session.access_key_id,
        secret: &session.secret_access_key,
        token: Some(&session.session_token),
    }
}

#[test]
fn get_session_token_with_mfa_gives_a_session_that_get_caller_identity_accepts() {
    let aws = StandIn::start();
    let session = mfa_session(&aws);
    let expires = session.expiration.secs();
    assert_eq!(expires - aws.now(), 43_200, "the IAM user's default, 12h");
    let me = block(sts(&aws, &keys_of(&session)).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some(USER_ARN));
    assert_eq!(me.account(), Some(ACCOUNT));
    assert_eq!(
        aws.signers_of("GetCallerIdentity"),
        std::slice::from_ref(&session.access_key_id)
    );
    let asked = &aws.calls()[0];
    assert_eq!(
        (
            asked.params["Action"].as_str(),
            asked.params["TokenCode"].as_str()
        ),
        ("GetSessionToken", CODE)
    );
}

#[test]
fn get_session_token_without_mfa_is_denied_by_the_users_policy_and_allowed_without_it() {
    let aws = StandIn::start();
    let denied = block(sts(&aws, &LONG_TERM).get_session_token().send()).unwrap_err();
    assert_eq!(
        refusal(&denied),
        refused(
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:GetSessionToken with an explicit deny in an identity-based policy"
        )
    );
    aws.set_mfa_required(USER, false);
    block(sts(&aws, &LONG_TERM).get_session_token().send()).expect("no policy asks for MFA");
}

#[test]
fn get_session_token_durations_outside_900_to_129600_seconds_are_refused() {
    let aws = StandIn::start();
    aws.set_mfa_required(USER, false);
    for (secs, constraint) in [
        (899, "greater than or equal to 900"),
        (129_601, "less than or equal to 129600"),
    ] {
        let error = block(
            sts(&aws, &LONG_TERM)
                .get_session_token()
                .duration_seconds(secs)
                .send(),
        )
        .unwrap_err();
        assert_eq!(
            refusal(&error),
            refused(
                400,
                "ValidationError",
                &format!("1 validation error detected: Value '{secs}' at 'durationSeconds' failed to satisfy constraint: Member must have value {constraint}")
            )
        );
    }
    let longest = block(
        sts(&aws, &LONG_TERM)
            .get_session_token()
            .duration_seconds(129_600)
            .send(),
    )
    .unwrap();
    let expires = longest.credentials.unwrap().expiration.secs();
    assert_eq!(expires - aws.now(), 129_600);
}

#[test]
fn the_root_users_session_is_capped_at_an_hour() {
    let aws = StandIn::start();
    aws.add_root_key(
        "AKIAROOTEXAMPLE00001",
        "rootSecret/EXAMPLE+0123456789abcdefghij",
    );
    let root = Keys {
        id: "AKIAROOTEXAMPLE00001",
        secret: "rootSecret/EXAMPLE+0123456789abcdefghij",
        token: None,
    };
    let session = block(
        sts(&aws, &root)
            .get_session_token()
            .duration_seconds(7_200)
            .send(),
    )
    .unwrap()
    .credentials
    .unwrap();
    assert_eq!(session.expiration.secs() - aws.now(), 3_600);
    let me = block(sts(&aws, &keys_of(&session)).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some("arn:aws:iam::123456789012:root"));
    let error = block(
        sts(&aws, &root)
            .assume_role()
            .role_arn(OPEN_ROLE)
            .role_session_name("root")
            .send(),
    )
    .unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "AccessDenied",
            "Roles may not be assumed by root accounts."
        )
    );
}

#[test]
fn a_code_is_accepted_once_in_its_window() {
    let aws = StandIn::start();
    aws.next_code_window();
    let client = sts(&aws, &LONG_TERM);
    let send = || {
        block(
            client
                .get_session_token()
                .serial_number(SERIAL)
                .token_code(CODE)
                .send(),
        )
        .map_err(|e| refusal(&e))
    };
    send().expect("the first use");
    let again = send().unwrap_err();
    assert_eq!(
        again,
        refused(
            403,
            "AccessDenied",
            "MultiFactorAuthentication failed with invalid MFA one time pass code."
        )
    );
    aws.next_code_window();
    send().expect("the next window's code");
}

#[test]
fn under_totp_only_the_windows_code_is_accepted() {
    let aws = StandIn::start();
    aws.set_codes(Codes::Totp);
    aws.next_code_window();
    let right = aws.code_now(SERIAL);
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    };
    let send = |code: &str| {
        block(
            sts(&aws, &LONG_TERM)
                .get_session_token()
                .serial_number(SERIAL)
                .token_code(code)
                .send(),
        )
        .map_err(|e| refusal(&e))
    };
    let error = send(wrong).unwrap_err();
    assert_eq!(error.code, "AccessDenied");
    send(&right).expect("the code the device shows");
}

#[test]
fn a_serial_that_is_not_the_users_device_is_refused() {
    let aws = StandIn::start();
    aws.next_code_window();
    let error = block(
        sts(&aws, &LONG_TERM)
            .get_session_token()
            .serial_number("arn:aws:iam::123456789012:mfa/bob")
            .token_code(CODE)
            .send(),
    )
    .unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "AccessDenied",
            "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
        )
    );
}

#[test]
fn assume_role_with_the_long_term_keys_and_a_code_gets_the_roles_maximum() {
    let aws = StandIn::start();
    aws.next_code_window();
    let answer = block(
        sts(&aws, &LONG_TERM)
            .assume_role()
            .role_arn(ADMIN_ROLE)
            .role_session_name("mfa-profile-default")
            .serial_number(SERIAL)
            .token_code(CODE)
            .duration_seconds(43_200)
            .send(),
    )
    .expect("AssumeRole with MFA for 12h");
    let user = answer.assumed_role_user.unwrap();
    assert_eq!(
        user.arn,
        "arn:aws:sts::123456789012:assumed-role/admin/mfa-profile-default"
    );
    let session = answer.credentials.unwrap();
    assert_eq!(session.expiration.secs() - aws.now(), 43_200);
    let me = block(sts(&aws, &keys_of(&session)).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some(user.arn.as_str()));
}

#[test]
fn assume_role_from_an_mfa_session_is_accepted_for_an_hour_and_refused_beyond() {
    let aws = StandIn::start();
    let session = mfa_session(&aws);
    let client = sts(&aws, &keys_of(&session));
    let assume = |secs: i32| {
        block(
            client
                .assume_role()
                .role_arn(ADMIN_ROLE)
                .role_session_name("derived")
                .duration_seconds(secs)
                .send(),
        )
        .map_err(|e| refusal(&e))
    };
    let hour = assume(3_600).expect("role chaining up to an hour");
    assert_eq!(
        hour.credentials.unwrap().expiration.secs() - aws.now(),
        3_600
    );
    let error = assume(3_601).unwrap_err();
    assert_eq!(
        error,
        refused(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
        )
    );
}

#[test]
fn assume_role_from_a_session_without_mfa_is_denied_by_the_trust_policy() {
    let aws = StandIn::start();
    aws.set_mfa_required(USER, false);
    let plain = block(sts(&aws, &LONG_TERM).get_session_token().send())
        .unwrap()
        .credentials
        .unwrap();
    let client = sts(&aws, &keys_of(&plain));
    let error = block(
        client
            .assume_role()
            .role_arn(ADMIN_ROLE)
            .role_session_name("derived")
            .send(),
    )
    .unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin"
        )
    );
    block(
        client
            .assume_role()
            .role_arn(OPEN_ROLE)
            .role_session_name("derived")
            .send(),
    )
    .expect("a role that does not ask for MFA");
    let unknown = block(
        client
            .assume_role()
            .role_arn("arn:aws:iam::123456789012:role/nobody")
            .role_session_name("derived")
            .send(),
    )
    .unwrap_err();
    assert_eq!(refusal(&unknown).code, "AccessDenied");
}

#[test]
fn assume_role_beyond_the_roles_max_session_duration_is_refused() {
    let aws = StandIn::start();
    let two_hours = aws.add_role("two-hours", 7_200, false);
    let within = block(
        sts(&aws, &LONG_TERM)
            .assume_role()
            .role_arn(&two_hours)
            .role_session_name("two")
            .duration_seconds(7_200)
            .send(),
    );
    within.expect("the role's maximum");
    aws.next_code_window();
    let error = block(
        sts(&aws, &LONG_TERM)
            .assume_role()
            .role_arn(OPS_ROLE)
            .role_session_name("ops")
            .serial_number(SERIAL)
            .token_code(CODE)
            .duration_seconds(7_200)
            .send(),
    )
    .unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    );
}

#[test]
fn a_role_session_name_or_external_id_out_of_their_constraints_is_refused() {
    let aws = StandIn::start();
    let client = sts(&aws, &LONG_TERM);
    let assume = |name: &str, external: Option<&str>| {
        block(
            client
                .assume_role()
                .role_arn(OPEN_ROLE)
                .role_session_name(name)
                .set_external_id(external.map(str::to_owned))
                .send(),
        )
        .map_err(|e| refusal(&e))
    };
    let error = assume("dependabot[bot]", None).unwrap_err();
    assert_eq!(
        error,
        refused(
            400,
            "ValidationError",
            r"1 validation error detected: Value 'dependabot[bot]' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"
        )
    );
    let error = assume("a", Some("x")).unwrap_err();
    assert_eq!(
        error.message,
        "2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"
    );
    let long = "n".repeat(65);
    let error = assume(&long, None).unwrap_err();
    assert!(
        error
            .message
            .ends_with("Member must have length less than or equal to 64"),
        "{error:?}"
    );
    assume(&"n".repeat(64), Some("partner:ops/1")).expect("within the constraints");
}

#[test]
fn a_role_that_requires_an_external_id_denies_a_request_without_it() {
    let aws = StandIn::start();
    aws.require_external_id("open", "partner-1234");
    let client = sts(&aws, &LONG_TERM);
    let assume = |external: Option<&str>| {
        block(
            client
                .assume_role()
                .role_arn(OPEN_ROLE)
                .role_session_name("partner")
                .set_external_id(external.map(str::to_owned))
                .send(),
        )
        .map_err(|e| refusal(&e))
    };
    assert_eq!(assume(None).unwrap_err().code, "AccessDenied");
    assert_eq!(
        assume(Some("partner-9999")).unwrap_err().code,
        "AccessDenied"
    );
    assume(Some("partner-1234")).expect("the right ExternalId");
}

#[test]
fn get_session_token_with_session_credentials_is_refused() {
    let aws = StandIn::start();
    let session = mfa_session(&aws);
    let error = block(sts(&aws, &keys_of(&session)).get_session_token().send()).unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "AccessDenied",
            "Cannot call GetSessionToken with session credentials"
        )
    );
}

#[test]
fn a_wrong_secret_an_unknown_key_and_a_session_key_without_its_token_are_refused() {
    let aws = StandIn::start();
    let wrong = Keys {
        secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET",
        ..LONG_TERM
    };
    let error = block(sts(&aws, &wrong).get_caller_identity().send()).unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        )
    );
    let unknown = Keys {
        id: "AKIAUNKNOWNEXAMPLE00",
        ..LONG_TERM
    };
    let invalid = refused(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
    let error = block(sts(&aws, &unknown).get_caller_identity().send()).unwrap_err();
    assert_eq!(refusal(&error), invalid);
    let session = mfa_session(&aws);
    let tokenless = Keys {
        token: None,
        ..keys_of(&session)
    };
    let error = block(sts(&aws, &tokenless).get_caller_identity().send()).unwrap_err();
    assert_eq!(refusal(&error), invalid);
    let long_term_with_token = Keys {
        token: Some(&session.session_token),
        ..LONG_TERM
    };
    let error = block(
        sts(&aws, &long_term_with_token)
            .get_caller_identity()
            .send(),
    )
    .unwrap_err();
    assert_eq!(refusal(&error), invalid);
}

#[test]
fn an_expired_session_is_refused() {
    let aws = StandIn::start();
    let old = aws.issue_session(USER, true, -1);
    assert!(crate::support::harness::epoch_of(&old.expiration) < aws.now());
    let keys = Keys {
        id: &old.key_id,
        secret: &old.secret,
        token: Some(&old.token),
    };
    let error = block(sts(&aws, &keys).get_caller_identity().send()).unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "ExpiredToken",
            "The security token included in the request is expired"
        )
    );
}

/// `Signature expired: X is now earlier than Y (Z - 15 min.)` with X what the client sent, Z
/// the stand-in's time and Y fifteen minutes before it.
fn assert_signature_expired(message: &str, sent: &str, aws: &StandIn) {
    let rest = message
        .strip_prefix(&format!("Signature expired: {sent} is now earlier than "))
        .unwrap_or_else(|| panic!("{message}"));
    let (earliest, now) = rest
        .strip_suffix(" - 15 min.)")
        .and_then(|r| r.split_once(" ("))
        .unwrap_or_else(|| panic!("{message}"));
    let epoch = |text: &str| sigv4::epoch_of_amz_date(text).unwrap();
    assert_eq!(epoch(now) - epoch(earliest), 900, "{message}");
    assert!((epoch(now) - aws.now()).abs() <= 2, "{message}");
}

#[test]
fn a_clock_twenty_minutes_off_is_refused_and_the_sdk_corrects_for_it() {
    let aws = StandIn::start();
    aws.set_clock_offset(20 * 60);
    let no_retries = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &LONG_TERM)
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    let error = block(no_retries.get_caller_identity().send()).unwrap_err();
    let seen = refusal(&error);
    assert_eq!(
        (seen.status, seen.code.as_str()),
        (403, "SignatureDoesNotMatch")
    );
    let sent = aws.calls()[0].signed_at.clone();
    assert_signature_expired(&seen.message, &sent, &aws);
    let date = error.raw_response().unwrap().headers().get("date").unwrap();
    let date = jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", date)
        .and_then(|t| t.to_datetime())
        .and_then(|t| t.to_zoned(jiff::tz::TimeZone::UTC))
        .unwrap();
    assert!(
        (date.timestamp().as_second() - aws.now()).abs() <= 2,
        "the refusal carries the stand-in's Date: {date}"
    );
    // With retries (the SDK's default), aws-runtime's ServiceClockSkewInterceptor reads that
    // Date, and the request is signed again at the server's time.
    let me = block(sts(&aws, &LONG_TERM).get_caller_identity().send())
        .expect("the SDK re-signs with the server's time");
    assert_eq!(me.arn(), Some(USER_ARN));
    let calls = aws.calls();
    let (refused_again, accepted) = (&calls[1], &calls[2]);
    assert_eq!(refused_again.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert_eq!(accepted.status, 200);
    let corrected = sigv4::epoch_of_amz_date(&accepted.signed_at).unwrap();
    assert!((corrected - aws.now()).abs() <= 5, "{accepted:?}");
}

#[test]
fn a_clock_twenty_minutes_behind_is_not_yet_current() {
    let aws = StandIn::start();
    aws.set_clock_offset(-20 * 60);
    let client = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &LONG_TERM)
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    let error = block(client.get_caller_identity().send()).unwrap_err();
    let message = refusal(&error).message;
    let sent = &aws.calls()[0].signed_at;
    assert!(
        message.starts_with(&format!(
            "Signature not yet current: {sent} is still later than "
        )) && message.ends_with(" + 15 min.)"),
        "{message}"
    );
}

#[test]
fn one_client_reuses_one_connection() {
    let aws = StandIn::start();
    let client = sts(&aws, &LONG_TERM);
    block(async {
        for _ in 0..3 {
            client.get_caller_identity().send().await.unwrap();
        }
    });
    assert_eq!(aws.connections(), 1, "{:?}", aws.calls());
    assert!(aws.calls().iter().all(|c| c.connection == 1));
}

#[test]
fn over_https_a_client_trusting_the_ca_is_answered() {
    let aws = StandIn::start_https();
    assert_eq!(aws.url(), format!("https://localhost:{}", aws.port()));
    let me = block(sts(&aws, &LONG_TERM).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some(USER_ARN));
    let untrusting = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &LONG_TERM)
            .http_client(sdk_http_client(Some(&server::TestCa::new().ca_pem)))
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    let error = block(untrusting.get_caller_identity().send()).unwrap_err();
    assert!(matches!(error, SdkError::DispatchFailure(_)), "{error:?}");
    assert_eq!(aws.calls().len(), 1, "no request past the handshake");
}

#[test]
fn throttling_and_server_errors_are_retried_by_the_sdk_then_answered() {
    let aws = StandIn::start();
    aws.fault("GetCallerIdentity", Fault::throttling());
    aws.fault("GetCallerIdentity", Fault::server_error());
    let me = block(sts(&aws, &LONG_TERM).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some(USER_ARN));
    let answered: Vec<(u16, Option<String>)> = aws
        .calls()
        .into_iter()
        .map(|c| (c.status, c.code))
        .collect();
    assert_eq!(aws.actions(), ["GetCallerIdentity"; 3]);
    assert_eq!(
        answered,
        [
            (400, Some("Throttling".to_owned())),
            (500, Some("InternalFailure".to_owned())),
            (200, None)
        ]
    );
    aws.fault(
        "GetCallerIdentity",
        Fault::error(403, "AccessDenied", "not today").times(2),
    );
    let error = block(sts(&aws, &LONG_TERM).get_caller_identity().send()).unwrap_err();
    assert_eq!(refusal(&error), refused(403, "AccessDenied", "not today"));
}

#[test]
fn a_late_answer_times_out_and_a_dropped_connection_fails_the_call() {
    use aws_sdk_sts::config::timeout::TimeoutConfig;
    let aws = StandIn::start();
    aws.fault("GetCallerIdentity", Fault::delay(Duration::from_secs(3)));
    let impatient = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &LONG_TERM)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(500))
                    .build(),
            )
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    let started = std::time::Instant::now();
    let error = block(impatient.get_caller_identity().send()).unwrap_err();
    assert!(matches!(error, SdkError::TimeoutError(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    aws.fault("GetCallerIdentity", Fault::drop_connection());
    let no_retries = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &LONG_TERM)
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    let error = block(no_retries.get_caller_identity().send()).unwrap_err();
    assert!(matches!(error, SdkError::DispatchFailure(_)), "{error:?}");
    assert_eq!(aws.calls().len(), 2, "both requests were read");
    block(no_retries.get_caller_identity().send()).expect("faults used up");
}

#[test]
fn a_request_body_beyond_the_bound_is_refused_unread() {
    let aws = StandIn::start();
    let huge = "n".repeat(server::MAX_BODY);
    let error = block(
        sts(&aws, &LONG_TERM)
            .assume_role()
            .role_arn(OPEN_ROLE)
            .role_session_name("big")
            .policy(huge)
            .send(),
    )
    .unwrap_err();
    assert_eq!(refusal(&error).status, 413);
    assert!(aws.calls().is_empty());
}

/// IAM: access keys of a user, with a session that MFA was presented for (as the tool's
/// rotation signs them).
#[test]
fn iam_lists_creates_updates_and_deletes_keys_up_to_two() {
    let aws = StandIn::start();
    let session = mfa_session(&aws);
    let client = iam(&aws, &keys_of(&session), "us-east-1");
    block(async {
        let listed = client.list_access_keys().send().await.unwrap();
        let ids: Vec<&str> = listed
            .access_key_metadata()
            .iter()
            .filter_map(|k| k.access_key_id())
            .collect();
        assert_eq!(ids, [AKID]);
        let new = client
            .create_access_key()
            .user_name(USER)
            .send()
            .await
            .unwrap();
        let new = new.access_key.unwrap();
        assert_eq!(new.status, aws_sdk_iam::types::StatusType::Active);
        let third = client.create_access_key().send().await.unwrap_err();
        assert_eq!(
            (third.code(), third.message()),
            (
                Some("LimitExceeded"),
                Some("Cannot exceed quota for AccessKeysPerUser: 2")
            )
        );
        assert_eq!(third.raw_response().unwrap().status().as_u16(), 409);
        client
            .update_access_key()
            .access_key_id(AKID)
            .status(aws_sdk_iam::types::StatusType::Inactive)
            .send()
            .await
            .unwrap();
        let last = client
            .get_access_key_last_used()
            .access_key_id(AKID)
            .send()
            .await
            .unwrap();
        let used = last.access_key_last_used.unwrap();
        assert_eq!((used.service_name(), used.region()), ("sts", "us-east-1"));
        let fresh = client
            .get_access_key_last_used()
            .access_key_id(&new.access_key_id)
            .send()
            .await
            .unwrap();
        assert_eq!(fresh.access_key_last_used.unwrap().service_name(), "N/A");
        client
            .delete_access_key()
            .access_key_id(AKID)
            .send()
            .await
            .unwrap();
        let gone = client
            .delete_access_key()
            .access_key_id(AKID)
            .send()
            .await
            .unwrap_err();
        assert_eq!(gone.code(), Some("NoSuchEntity"));
        let devices = client.list_mfa_devices().send().await.unwrap();
        assert_eq!(devices.mfa_devices()[0].serial_number(), SERIAL);
        let user = client.get_user().send().await.unwrap();
        assert_eq!(user.user.unwrap().arn(), USER_ARN);
        let nobody = client
            .list_access_keys()
            .user_name("bob")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            nobody.message(),
            Some("The user with name bob cannot be found.")
        );
    });
    assert_eq!(aws.keys(USER).len(), 1);
    let new_key = aws.keys(USER)[0].0.clone();
    let secret = aws.secret_of(USER, &new_key).unwrap();
    let with_new = Keys {
        id: &new_key,
        secret: &secret,
        token: None,
    };
    let me = block(sts(&aws, &with_new).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some(USER_ARN));
}

#[test]
fn iam_refuses_a_session_without_mfa_and_a_scope_outside_us_east_1() {
    let aws = StandIn::start();
    aws.set_mfa_required(USER, false);
    let plain = block(sts(&aws, &LONG_TERM).get_session_token().send())
        .unwrap()
        .credentials
        .unwrap();
    let error = block(
        iam(&aws, &keys_of(&plain), "us-east-1")
            .list_access_keys()
            .send(),
    )
    .unwrap_err();
    assert_eq!(error.code(), Some("InvalidClientTokenId"));
    let error = block(iam(&aws, &LONG_TERM, "eu-west-1").list_access_keys().send()).unwrap_err();
    assert_eq!(
        (error.code(), error.message()),
        (
            Some("SignatureDoesNotMatch"),
            Some("Credential should be scoped to a valid region, not 'eu-west-1'. ")
        )
    );
    block(iam(&aws, &LONG_TERM, "us-east-1").list_access_keys().send()).expect("the long-term key");
    let role = block(
        sts(&aws, &LONG_TERM)
            .assume_role()
            .role_arn(OPEN_ROLE)
            .role_session_name("ops")
            .send(),
    )
    .unwrap()
    .credentials
    .unwrap();
    let error = block(
        iam(&aws, &keys_of(&role), "us-east-1")
            .list_access_keys()
            .send(),
    )
    .unwrap_err();
    assert_eq!(
        error.message(),
        Some("Must specify userName when calling with non-User credentials")
    );
}

#[test]
fn a_new_key_can_be_unknown_for_its_first_uses() {
    let aws = StandIn::start();
    aws.queue_new_keys(&[(
        "AKIANEWKEY1EXAMPLE00",
        "newSecret1/EXAMPLE+key0123456789abcdefgh",
    )]);
    aws.new_keys_known_after(2);
    let session = mfa_session(&aws);
    block(
        iam(&aws, &keys_of(&session), "us-east-1")
            .create_access_key()
            .send(),
    )
    .unwrap();
    let new = Keys {
        id: "AKIANEWKEY1EXAMPLE00",
        secret: "newSecret1/EXAMPLE+key0123456789abcdefgh",
        token: None,
    };
    let client = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &new)
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    for _ in 0..2 {
        let error = block(client.get_caller_identity().send()).unwrap_err();
        assert_eq!(refusal(&error).code, "InvalidClientTokenId");
    }
    block(client.get_caller_identity().send()).expect("known by now");
}

#[test]
fn a_credential_scope_outside_the_pinned_sts_region_is_refused() {
    let aws = StandIn::start();
    aws.pin_sts_region("eu-west-1");
    let error = block(sts(&aws, &LONG_TERM).get_caller_identity().send()).unwrap_err();
    assert_eq!(
        refusal(&error),
        refused(
            403,
            "SignatureDoesNotMatch",
            "Credential should be scoped to a valid region. "
        )
    );
    let in_region = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &LONG_TERM)
            .region(Region::new("eu-west-1"))
            .build(),
    );
    block(in_region.get_caller_identity().send()).expect("the pinned region");
}

#[test]
fn another_user_with_two_keys_and_a_key_made_unknown_for_a_while() {
    let aws = StandIn::start();
    aws.add_user(
        "bob",
        "AKIABOBEXAMPLE000001",
        "bobSecret/EXAMPLE+0123456789abcdefghijk",
    );
    aws.add_key(
        "bob",
        "AKIABOBEXAMPLE000002",
        "bobSecret2/EXAMPLE+0123456789abcdefghij",
        false,
    );
    assert_eq!(
        aws.keys("bob"),
        [
            ("AKIABOBEXAMPLE000001".to_owned(), true),
            ("AKIABOBEXAMPLE000002".to_owned(), false)
        ]
    );
    let bob = Keys {
        id: "AKIABOBEXAMPLE000001",
        secret: "bobSecret/EXAMPLE+0123456789abcdefghijk",
        token: None,
    };
    let me = block(sts(&aws, &bob).get_caller_identity().send()).unwrap();
    assert_eq!(me.arn(), Some("arn:aws:iam::123456789012:user/bob"));
    let inactive = Keys {
        id: "AKIABOBEXAMPLE000002",
        secret: "bobSecret2/EXAMPLE+0123456789abcdefghij",
        token: None,
    };
    let error = block(sts(&aws, &inactive).get_caller_identity().send()).unwrap_err();
    assert_eq!(
        refusal(&error).code,
        "InvalidClientTokenId",
        "an inactive key"
    );
    aws.unknown_for("AKIABOBEXAMPLE000001", 1);
    let once = aws_sdk_sts::Client::from_conf(
        sts_config(&aws, &bob)
            .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
            .build(),
    );
    assert!(block(once.get_caller_identity().send()).is_err());
    block(once.get_caller_identity().send()).expect("known again");
}

#[test]
fn key_dates_and_last_use_are_what_the_test_set() {
    let aws = StandIn::start();
    aws.set_key_created(AKID, "2025-06-01T00:00:00Z");
    let session = mfa_session(&aws);
    block(async {
        let client = iam(&aws, &keys_of(&session), "us-east-1");
        let listed = client.list_access_keys().send().await.unwrap();
        let created = listed.access_key_metadata()[0].create_date().unwrap();
        assert_eq!(
            created.secs(),
            crate::support::harness::epoch_of("2025-06-01T00:00:00Z")
        );
        aws.set_last_used(AKID, "2026-01-02T03:04:05Z", "s3", "eu-west-1");
        let last = client
            .get_access_key_last_used()
            .access_key_id(AKID)
            .send()
            .await
            .unwrap();
        let used = last.access_key_last_used.unwrap();
        assert_eq!((used.service_name(), used.region()), ("s3", "eu-west-1"));
        assert_eq!(
            used.last_used_date.unwrap().secs(),
            crate::support::harness::epoch_of("2026-01-02T03:04:05Z")
        );
    });
}

#[test]
fn sessions_are_numbered_and_can_all_expire_at_one_fixed_time() {
    let aws = StandIn::start();
    aws.fix_expirations("2099-01-01T00:00:00Z");
    let session = mfa_session(&aws);
    assert_eq!(session.access_key_id, "ASIASTANDIN000000001");
    assert_eq!(
        session.expiration.secs(),
        crate::support::harness::epoch_of("2099-01-01T00:00:00Z")
    );
}

#[test]
fn a_dropped_stand_in_no_longer_listens() {
    let aws = StandIn::start();
    let port = aws.port();
    block(sts(&aws, &LONG_TERM).get_caller_identity().send()).unwrap();
    drop(aws);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
