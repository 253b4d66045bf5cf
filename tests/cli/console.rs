//! `mfa-profile console` against the stand-in's federation endpoint (standin/federation.rs):
//! the request it makes, the URL it prints or hands to the browser (a fake `xdg-open` on PATH),
//! that the URL signs in, and the refusal of a plain session before any request.

use crate::support::raw_http;
use crate::support::standin::*;
use crate::support::*;
use std::path::Path;

const EXPIRED: &str = "2001-01-01T00:00:00Z";

/// The source, an MFA session `[mfa]` the stand-in issued, and `more`.
fn with_mfa_session(aws: &StandIn, more: &str) -> String {
    let session = aws.issue_session(USER, true, 12 * 3600);
    format!(
        "{}\n[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\nmfa_source_profile = default\n{more}",
        default_source(),
        session.key_id,
        session.secret,
        session.token,
        session.expiration
    )
}

/// `[admin]`, derived from `[mfa]` with the admin role, expired.
fn derived_admin() -> String {
    format!(
        "\n{}mfa_role_arn = {ADMIN_ROLE}\nmfa_via = mfa\n",
        managed("admin", "default", EXPIRED)
    )
}

/// The source and `[admin]`, a valid session of `role` assumed with its long-term key.
fn with_role_target(role: &str) -> String {
    format!(
        "{}\n{}mfa_role_arn = {role}\n",
        default_source(),
        managed("admin", "default", "2099-01-01T00:00:00Z")
    )
}

fn federation(aws: &StandIn) -> String {
    format!("{}/federation", aws.url())
}

/// A run of `console` with STS at the stand-in (the variables: console has no STS flag); it
/// succeeds.
fn console(aws: &StandIn, env: &TestEnv, args: &[&str]) -> Run {
    Test::on(env)
        .arg("console")
        .args(args)
        .envs(aws.endpoint_vars())
        .run()
        .out
}

/// The query of a URL, decoded, in order.
fn query(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').expect("a query").1;
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Asserts that the stand-in takes `url` as a login and sends the browser to `destination`.
fn assert_signs_in(url: &str, destination: &str) {
    let reply = raw_http::get(url, &[]);
    assert_eq!(reply.status, 302, "{reply:?}");
    assert_eq!(reply.header("location"), Some(destination));
}

/// A directory holding an `xdg-open` that runs `script`, first on PATH.
fn fake_opener(env: &TestEnv, script: &str) -> String {
    let bin = env.home().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\n{script}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn console_print_gives_a_sign_in_url_of_the_derived_roles_session() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, &derived_admin()));
    env.write_config("[profile admin]\nregion = eu-west-1\n");
    let out = console(
        &aws,
        &env,
        &[
            "-t",
            "admin",
            "--print",
            "--no-input",
            "--signin-endpoint",
            &federation(&aws),
        ],
    );
    assert_eq!(aws.actions(), ["AssumeRole", "getSigninToken"], "{out}");
    let written = env.read_credentials_text();
    let admin_key = sdk_value(&written, "admin", "aws_access_key_id").unwrap();
    let secret = sdk_value(&written, "admin", "aws_secret_access_key").unwrap();
    let token_request = &aws.calls()[1];
    assert_eq!(
        token_request.key_id, admin_key,
        "the role's session was sent"
    );
    assert_eq!(
        token_request.params.get("SessionDuration"),
        None,
        "no SessionDuration for a chained role"
    );

    let url = out.stdout.trim();
    assert_eq!(out.stdout.lines().count(), 1, "{out}");
    assert!(
        url.starts_with(&format!("{}?Action=login&", federation(&aws))),
        "{url}"
    );
    let pairs = query(url);
    let destination = "https://console.aws.amazon.com/console/home?region=eu-west-1";
    assert_eq!(value(&pairs, "Issuer"), Some("mfa-profile"));
    assert_eq!(value(&pairs, "Destination"), Some(destination));
    let signin = aws.signin_tokens();
    assert_eq!(value(&pairs, "SigninToken"), Some(signin[0].token.as_str()));
    assert_signs_in(url, destination);
    out.assert_silent_about(&secret);
    out.assert_stderr_lacks(&signin[0].token);
}

#[test]
fn console_of_a_role_target_asks_a_console_session_as_long_as_the_role_session() {
    let aws = StandIn::start();
    aws.next_code_window();
    let file = format!(
        "{}\n{}mfa_role_arn = {OPS_ROLE}\n",
        default_source(),
        managed("ops", "default", EXPIRED)
    );
    let env = TestEnv::with_credentials(&file);
    let out = console(
        &aws,
        &env,
        &[
            "-t",
            "ops",
            "--print",
            "--code-command",
            "echo 123456",
            "--signin-endpoint",
            &federation(&aws),
            "--destination",
            "https://console.aws.amazon.com/s3/home",
        ],
    );
    assert_eq!(aws.actions(), ["AssumeRole", "getSigninToken"], "{out}");
    let asked: i64 = aws.calls()[1].params["SessionDuration"].parse().unwrap();
    let written = env.read_credentials_text();
    let left = epoch_of(&sdk_value(&written, "ops", "expiration").unwrap()) - now();
    assert!(
        (asked - left).abs() <= 5 && asked > 3000,
        "the role session's remaining time ({left} s), not {asked}"
    );
    assert_eq!(aws.signin_tokens()[0].duration, Some(asked));
    assert_signs_in(out.stdout.trim(), "https://console.aws.amazon.com/s3/home");
}

#[test]
fn console_opens_the_browser_on_the_sign_in_url() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, &derived_admin()));
    let path = fake_opener(&env, "printf '%s' \"$1\" > \"$HOME/opened\"");
    let out = Test::on(&env)
        .args(["console", "-t", "admin", "--no-input", "--signin-endpoint"])
        .arg(federation(&aws))
        .env("PATH", path)
        .envs(aws.endpoint_vars())
        .stderr_has("opened the console signed in with [admin]'s role session")
        .run()
        .out;
    assert_eq!(out.stdout, "", "the URL goes to the browser alone");
    let opened = read(&env.home().join("opened"));
    let token = &aws.signin_tokens()[0].token;
    assert_eq!(value(&query(&opened), "SigninToken"), Some(token.as_str()));
    out.assert_stderr_lacks(token);
    assert_signs_in(&opened, "https://console.aws.amazon.com/console/home");
}

#[test]
fn a_browser_that_fails_is_reported_without_the_url_and_print_is_offered() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, &derived_admin()));
    let path = fake_opener(
        &env,
        "echo \"no method available for opening '$1'\" >&2; exit 4",
    );
    let out = Test::on(&env)
        .args(["console", "-t", "admin", "--no-input", "--signin-endpoint"])
        .arg(federation(&aws))
        .env("PATH", path)
        .envs(aws.endpoint_vars())
        .status(1)
        .run()
        .out;
    out.assert_stderr_has("cannot open the browser with `xdg-open`")
        .assert_stderr_has("no method available for opening '(the sign-in URL)'");
    out.assert_stderr_lacks(&aws.signin_tokens()[0].token);
    // The way out, as printed, with the endpoint the user leaves to AWS.
    let again = run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile console"),
        ["--signin-endpoint", &federation(&aws)],
    );
    again.assert_code(0);
    assert_signs_in(
        again.stdout.trim(),
        "https://console.aws.amazon.com/console/home",
    );
}

#[test]
fn a_plain_session_is_refused_before_any_request_and_a_role_target_is_named() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, &derived_admin()));
    // [admin] gets a valid session first, so that the hint needs no STS.
    Test::on(&env)
        .args(["-t", "admin", "--no-input"])
        .envs(aws.endpoint_vars())
        .run();
    let before = aws.calls().len();

    let out = Test::on(&env)
        .args(["console", "-t", "mfa", "--print", "--signin-endpoint"])
        .arg(federation(&aws))
        .status(2)
        .run()
        .out;
    out.assert_stderr_has("[mfa] holds a GetSessionToken session, and AWS's console sign-in takes only role (or federation) sessions")
        .assert_stderr_has("Only federation tokens or assume role tokens may be used for federated login");
    assert_eq!(out.stdout, "");
    assert_eq!(aws.calls().len(), before, "no request was made");

    let hint = hinted(&out.stderr, "mfa-profile console");
    assert_eq!(hint, "mfa-profile console -t admin");
    let fixed = run_hint(
        &env,
        &hint,
        ["--print", "--signin-endpoint", &federation(&aws)],
    );
    fixed.assert_code(0);
    assert_eq!(aws.actions()[before..], ["getSigninToken"]);
}

#[test]
fn a_plain_session_with_no_role_target_says_how_to_make_one() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, ""));
    let out = Test::on(&env)
        .args(["console", "-t", "mfa"])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has(
        "make a role target from it first (mfa-profile -t NAME --via mfa --role-arn and the role's ARN)",
    );
    assert!(
        crate::support::hints::hinted_commands(&out.stderr).is_empty(),
        "no command to run as printed: {out}"
    );
    assert!(aws.calls().is_empty());
}

#[test]
fn a_plain_http_signin_endpoint_elsewhere_is_refused() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&with_mfa_session(&aws, &derived_admin()));
    Test::on(&env)
        .args(["console", "-t", "admin", "--signin-endpoint"])
        .arg("http://signin.example/federation")
        .status(2)
        .stderr_has(
            "refusing to send the session to http://signin.example/federation over plain http",
        )
        .run();
    assert!(aws.calls().is_empty());
}

/// The stand-in itself: the login of a GetSessionToken session is refused in AWS's words, and
/// a SessionDuration outside 900..=43200 is refused.
#[test]
fn the_stand_ins_federation_endpoint_enforces_the_pages_rules() {
    let aws = StandIn::start();
    let session = aws.issue_session(USER, true, 3600);
    let json = serde_json::json!({"sessionId": session.key_id, "sessionKey": session.secret, "sessionToken": session.token}).to_string();
    let url = |extra: &str| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("Action", "getSigninToken");
        if !extra.is_empty() {
            q.append_pair("SessionDuration", extra);
        }
        q.append_pair("Session", &json);
        format!("{}?{}", federation(&aws), q.finish())
    };
    assert_eq!(raw_http::get(&url("899"), &[]).status, 400);
    assert_eq!(raw_http::get(&url("43201"), &[]).status, 400);
    let given = raw_http::get(&url("900"), &[]);
    assert_eq!(given.status, 200, "{given:?}");
    let token = given.json()["SigninToken"].as_str().unwrap().to_owned();
    let login = format!(
        "{}?Action=login&Issuer=x&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken={token}",
        federation(&aws)
    );
    let refused = raw_http::get(&login, &[]);
    assert_eq!(refused.status, 400);
    assert!(refused
        .body
        .contains("Only federation tokens or assume role tokens may be used for federated login"));
    let wrong = json.replace(&session.secret, "not-the-secret");
    let forged = format!(
        "{}?Action=getSigninToken&Session={}",
        federation(&aws),
        form_urlencoded::byte_serialize(wrong.as_bytes()).collect::<String>()
    );
    assert_eq!(raw_http::get(&forged, &[]).status, 400);
}

/// The sign-in token would go to the console's pages in the URL: a plain-http `--destination`
/// is refused before any request, with exit 2.
#[test]
fn a_plain_http_destination_is_refused_before_any_request() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(with_role_target(ADMIN_ROLE))
        .envs(aws.endpoint_vars())
        .args(["console", "-t", "admin", "--print"])
        .args(["--signin-endpoint", &federation(&aws)])
        .args(["--destination", "http://console.aws.amazon.com/"])
        .status(2)
        .stderr_has("--destination http://console.aws.amazon.com/ is plain http; the console's pages are https://")
        .run();
    assert_eq!(ran.out.stdout, "", "no URL printed");
    assert!(aws.calls().is_empty(), "{:?}", aws.calls());
}

/// A role in a partition whose federation endpoint mfa-profile does not know is refused before
/// any request, and the flag that names the endpoint is offered.
#[test]
fn a_role_in_a_partition_of_unknown_sign_in_is_refused_and_the_flag_named() {
    Test::new()
        .credentials(with_role_target("arn:aws-moon:iam::123456789012:role/admin"))
        .env("AWS_ENDPOINT_URL_STS", CLOSED)
        .args(["console", "-t", "admin", "--print"])
        .status(2)
        .stderr_has("is in a partition whose console sign-in mfa-profile does not know; give its federation endpoint with --signin-endpoint")
        .stderr_lacks("cannot reach")
        .stdout_is("")
        .run();
}
