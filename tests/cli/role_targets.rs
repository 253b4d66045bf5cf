//! Role targets: a role assumed with the source's long-term key and a code (AssumeRole), its
//! ARN, external ID, session name and length recorded and repeated, and STS's rules for roles
//! (the role's MaxSessionDuration, who may assume it) met before or at the call. Roles assumed
//! with another target's session are derived targets (`derived.rs`).

use crate::support::*;

const CODE: &str = "123456";

#[test]
fn a_role_target_assumes_the_role_with_the_long_term_key_and_a_code() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            CODE,
        ])
        .stderr_has("wrote [admin]")
        .run();
    let calls = aws.calls();
    assert_eq!(aws.actions(), ["AssumeRole"]);
    assert_eq!(calls[0].key_id, AKID);
    assert_eq!(param(&calls[0], "RoleArn"), Some(ADMIN_ROLE));
    assert_eq!(
        param(&calls[0], "RoleSessionName"),
        Some("mfa-profile-default")
    );
    assert_eq!(param(&calls[0], "SerialNumber"), Some(SERIAL));
    assert_eq!(param(&calls[0], "TokenCode"), Some(CODE));
    assert!(
        (lasts(&aws, &ran.env, "admin") - 3_600).abs() <= 5,
        "1h by default"
    );
    assert_works_as(&aws, &ran.env, "admin", ADMIN_ARN);
}

#[test]
fn assume_role_is_recorded_and_lasts_1h_by_default() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(default_source())
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            "--external-id",
            "partner-42",
        ])
        .args([CODE, "--endpoint-url", &aws.url()])
        .run();
    let text = ran.env.read_credentials_text();
    let value = |k| sdk_value(&text, "admin", k);
    assert_eq!(value("mfa_role_arn").as_deref(), Some(ADMIN_ROLE));
    assert_eq!(value("mfa_external_id").as_deref(), Some("partner-42"));
    assert_eq!(
        value("mfa_role_session_name"),
        None,
        "derived, not recorded"
    );
    let expires = epoch_of(&value("expiration").unwrap());
    assert!(
        (expires - now() - 3600).abs() < 120,
        "a role session lasts 1h by default"
    );
    assert!(value("aws_session_token").is_some());
}

#[test]
fn a_recorded_role_is_repeated_with_the_length_asked_for() {
    let aws = StandIn::start();
    let first = Test::new()
        .credentials(default_source())
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            CODE,
        ])
        .args(["--endpoint-url", &aws.url()])
        .run();
    aws.next_code_window();
    let ran = Test::in_env(first.env)
        .args(["-t", "admin", "--force", "-d", "2h", CODE])
        .args(["--endpoint-url", &aws.url()])
        .run();
    let text = ran.env.read_credentials_text();
    assert_eq!(
        sdk_value(&text, "admin", "mfa_role_arn").as_deref(),
        Some(ADMIN_ROLE)
    );
    let expires = epoch_of(&sdk_value(&text, "admin", "expiration").unwrap());
    assert!((expires - now() - 7200).abs() < 120);
    assert_eq!(param(&aws.calls()[1], "RoleArn"), Some(ADMIN_ROLE));
}

#[test]
fn a_role_target_gets_twelve_hours_when_the_role_allows_it() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            "-d",
            "12h",
            CODE,
        ])
        .run();
    assert_eq!(param(&aws.calls()[0], "DurationSeconds"), Some("43200"));
    assert!((lasts(&aws, &ran.env, "admin") - 43_200).abs() <= 5);
}

#[test]
fn a_role_target_beyond_the_roles_maximum_gets_stss_refusal() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "ops",
            "--role-arn",
            OPS_ROLE,
            "-d",
            "4h",
            CODE,
        ])
        .status(1)
        .stderr_has("MaxSessionDuration")
        .run();
    assert_eq!(aws.calls()[0].code.as_deref(), Some("ValidationError"));
    assert_eq!(ran.env.read_credentials_text(), default_source());
}

#[test]
fn a_role_target_with_a_session_name_and_external_id() {
    let aws = StandIn::start();
    aws.require_external_id("admin", "partner-1234");
    let ran = against(&aws)
        .args(["-s", "default", "-t", "admin", "--role-arn", ADMIN_ROLE])
        .args([
            "--role-session-name",
            "alice@example.com",
            "--external-id",
            "partner-1234",
            CODE,
        ])
        .run();
    assert_eq!(param(&aws.calls()[0], "ExternalId"), Some("partner-1234"));
    assert_works_as(
        &aws,
        &ran.env,
        "admin",
        "arn:aws:sts::123456789012:assumed-role/admin/alice@example.com",
    );
}

#[test]
fn an_external_id_changes_a_recorded_role_without_the_role_arn() {
    let aws = StandIn::start();
    let first = Test::new()
        .credentials(default_source())
        .args([
            "-s",
            "default",
            "-t",
            "admin",
            "--role-arn",
            ADMIN_ROLE,
            CODE,
            "--endpoint-url",
            &aws.url(),
        ])
        .run();
    aws.next_code_window();
    let ran = Test::in_env(first.env)
        .args([
            "-t",
            "admin",
            "--external-id",
            "partner-43",
            "--force",
            CODE,
        ])
        .args(["--endpoint-url", &aws.url()])
        .run();
    let text = ran.env.read_credentials_text();
    assert!(
        text.contains(&format!(
            "mfa_role_arn = {ADMIN_ROLE}\nmfa_external_id = partner-43\n"
        )),
        "{text}"
    );
    let sent = &aws.calls()[1];
    assert!(
        param(sent, "ExternalId") == Some("partner-43") && sent.action == "AssumeRole",
        "{sent:?}"
    );
    Test::new()
        .credentials(default_source())
        .args(["-s", "default", "-t", "plain", "--external-id", "x1", CODE])
        .status(2)
        .stderr_has("--external-id and --role-session-name go with a role")
        .run();
}

#[test]
fn a_role_a_user_may_not_assume_is_denied_and_nothing_is_written() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args([
            "-s",
            "default",
            "-t",
            "nobody",
            "--role-arn",
            "arn:aws:iam::123456789012:role/nobody",
            CODE,
        ])
        .status(1)
        .run();
    assert_eq!(
        aws.calls()[0].code.as_deref(),
        Some("AccessDenied"),
        "{}",
        ran.out
    );
    assert_eq!(ran.env.read_credentials_text(), default_source());
}

#[test]
fn a_user_arn_given_as_the_role_is_refused() {
    Test::new()
        .credentials(default_source())
        .args([
            "-t",
            "x",
            "--role-arn",
            "arn:aws:iam::123456789012:user/bob",
        ])
        .arg(CODE)
        .status(2)
        .stderr_has("is not a role ARN")
        .run();
}

#[test]
fn role_parameters_are_checked_before_any_code_or_call() {
    for (flag, value, message) in [
        (
            "--external-id",
            "has space",
            "external ID `has space` is not 2 to 1224",
        ),
        (
            "--role-session-name",
            "a/b",
            "role session name `a/b` is not 2 to 64",
        ),
    ] {
        Test::new()
            .credentials(default_source())
            .args(["-t", "admin", "--role-arn", ADMIN_ROLE, flag, value, CODE])
            .args(["--endpoint-url", CLOSED])
            .status(2)
            .stderr_has(message)
            .run();
    }
}

#[test]
fn an_assume_role_duration_over_12h_is_refused_before_the_call() {
    Test::new()
        .credentials(default_source())
        .args(["-s", "default", "-t", "admin", "--role-arn", ADMIN_ROLE])
        .args(["-d", "13h", CODE, "--endpoint-url", CLOSED])
        .status(2)
        .stderr_has(
            "duration 13h is outside what STS grants an assumed role: 15m (900) to 12h (43200)",
        )
        .run();
}
