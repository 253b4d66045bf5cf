//! The default command, a refresh: the first one appends the target and keeps every other byte,
//! the next rewrites it in place (CRLF, comments, modes, symlinks kept), a valid target is
//! skipped with no code and no network call unless forced, sources and targets named by flags,
//! recorded, or found from `AWS_PROFILE`, what STS is asked (the serial, the code, the length)
//! and issues, the region carried over to the config file, and aws-mfa's layout taken as it is.
//! Against the stand-in; files are compared byte for byte with `fixtures/expected/`.

use crate::support::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

const CODE: &str = "123456";

fn original() -> String {
    format!(
        "# my keys\n{}\n[other]\nregion = eu-west-1\n",
        default_source()
    )
}

#[test]
fn a_first_refresh_appends_the_target_and_keeps_every_other_byte() {
    let aws = StandIn::for_files();
    let ran = Test::new()
        .credentials(original())
        .args([CODE, "--json", "--endpoint-url", &aws.url()])
        .stderr_has("wrote [mfa] in ~/.aws/credentials from [default] (arn:aws:iam::123456789012:mfa/alice), valid until 2099-01-01 00:00 UTC")
        .run();
    ran.env
        .assert_credentials(&expected("first-refresh.credentials"));
    let json = ran.out.json();
    assert_eq!(json["target"], "mfa");
    assert_eq!(json["source"], "default");
    assert_eq!(json["serial"], SERIAL);
    assert_eq!(json["file"], ran.env.credentials().display().to_string());
    assert_eq!(json["expiration"], "2099-01-01T00:00:00Z");
    let session = fixed_session(1);
    ran.out
        .assert_silent_about(&session.secret)
        .assert_silent_about(&session.token)
        .assert_silent_about(SECRET);
    let call = &aws.calls()[0];
    assert_eq!(call.action, "GetSessionToken");
    assert_eq!(param(call, "SerialNumber"), Some(SERIAL));
    assert_eq!(param(call, "TokenCode"), Some(CODE));
    assert_eq!(param(call, "DurationSeconds"), Some("43200"));
}

#[test]
fn refresh_gets_an_mfa_session_with_the_long_term_key_and_a_code() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .arg(CODE)
        .stderr_has("wrote [mfa] in ~/.aws/credentials from [default]")
        .run();
    let calls = aws.calls();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    assert_eq!(calls[0].key_id, AKID);
    assert_eq!(param(&calls[0], "SerialNumber"), Some(SERIAL));
    assert_eq!(param(&calls[0], "TokenCode"), Some(CODE));
    assert!((lasts(&aws, &ran.env, "mfa") - 43_200).abs() <= 5);
    assert_works_as(&aws, &ran.env, "mfa", USER_ARN);
}

#[test]
fn refresh_with_a_duration_asks_sts_for_it() {
    let aws = StandIn::start();
    let ran = against(&aws).args(["-d", "36h", CODE]).run();
    assert_eq!(param(&aws.calls()[0], "DurationSeconds"), Some("129600"));
    assert!((lasts(&aws, &ran.env, "mfa") - 129_600).abs() <= 5);
}

#[test]
fn a_serial_that_is_not_the_users_device_is_refused() {
    let aws = StandIn::start();
    let ran = against(&aws)
        .args(["--serial-number", "arn:aws:iam::123456789012:mfa/bob", CODE])
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
fn endpoint_from_aws_endpoint_url_sts_duration_and_stdin_code() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(default_source())
        .env("AWS_ENDPOINT_URL_STS", aws.url())
        .args(["-d", "15m", "--json"])
        .stdin("654321\n")
        .run();
    let expires = epoch_of(ran.out.json()["expiration"].as_str().unwrap());
    let left = expires - now();
    assert!(
        (800..=960).contains(&left),
        "a 15m session has {left} s left"
    );
    assert_eq!(param(&aws.calls()[0], "TokenCode"), Some("654321"));
}

#[test]
fn a_second_refresh_rewrites_in_place_and_touches_nothing_else() {
    let aws = StandIn::for_files();
    let before = format!(
        "; top comment\r\n[default]\r\naws_access_key_id={AKID}\r\naws_secret_access_key={SECRET}\r\nmfa_serial={SERIAL}\r\n\r\n\
[mfa]\r\n# keep this comment\r\nregion=eu-west-1\r\naws_access_key_id=ASIAOLD\r\naws_secret_access_key=oldsecret\r\n\
aws_session_token=oldtoken\r\naws_security_token=oldtoken\r\nexpiration=2020-01-01T00:00:00Z\r\nmfa_source_profile=default\r\n\
output=json\r\n\r\n[z]\r\nk=v"
    );
    let env = TestEnv::with_credentials(&before);
    std::fs::set_permissions(env.credentials(), std::fs::Permissions::from_mode(0o640)).unwrap();
    let ran = Test::in_env(env)
        .args([CODE, "--endpoint-url", &aws.url(), "-d", "1h"])
        .run();
    // Same lines, CRLF kept, no final newline added; the legacy aws_security_token carries
    // the new token too.
    ran.env
        .assert_credentials(&expected("second-refresh-crlf.credentials"));
    assert_eq!(
        std::fs::metadata(ran.env.credentials()).unwrap().mode() & 0o777,
        0o640
    );
}

#[test]
fn a_new_file_and_its_directory_are_created_private() {
    let aws = StandIn::for_files();
    // Keys in the config file; the credentials file (and its directory) missing.
    let env = TestEnv::new();
    env.write_config(&default_source());
    let nested = env.home().join("new/dir/credentials");
    let _ran = Test::in_env(env)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nested)
        .args([CODE, "--endpoint-url", &aws.url()])
        .run();
    assert_eq!(std::fs::metadata(&nested).unwrap().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(nested.parent().unwrap()).unwrap().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::read(&nested).unwrap(),
        expected("new-file.credentials")
    );
}

#[test]
fn a_symlinked_credentials_file_stays_a_symlink_and_its_target_is_updated() {
    let aws = StandIn::for_files();
    let env = TestEnv::new();
    let real = env.home().join("dotfiles-credentials");
    std::fs::write(&real, original()).unwrap();
    std::os::unix::fs::symlink(&real, env.credentials()).unwrap();
    let ran = Test::in_env(env)
        .args([CODE, "--endpoint-url", &aws.url()])
        .run();
    assert!(std::fs::symlink_metadata(ran.env.credentials())
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read(&real).unwrap(),
        expected("first-refresh.credentials")
    );
    let leftovers: Vec<_> = std::fs::read_dir(ran.env.home().join(".aws"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file left: {leftovers:?}");
}

fn work_source() -> TestEnv {
    let env = TestEnv::with_credentials(&format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"
    ));
    env.write_config("[profile work]\nregion = eu-west-1\n");
    env
}

/// A stand-in for files where alice also has the hardware device GAHT12345678.
fn with_hardware_device() -> StandIn {
    let aws = StandIn::for_files();
    aws.add_device(USER, "GAHT12345678");
    aws
}

#[test]
fn a_named_source_and_a_hardware_serial_make_source_mfa() {
    let aws = with_hardware_device();
    let ran = Test::in_env(work_source())
        .args(["-s", "work", "--serial-number", "GAHT12345678", CODE])
        .args(["--endpoint-url", &aws.url()])
        .run();
    ran.env
        .assert_credentials(&expected("named-source.credentials"));
    assert_eq!(param(&aws.calls()[0], "SerialNumber"), Some("GAHT12345678"));
}

#[test]
fn refresh_with_source_and_target_flags_writes_the_named_target() {
    let aws = with_hardware_device();
    let ran = Test::in_env(work_source())
        .args(["refresh", "-s", "work", "-t", "client-x"])
        .args(["--serial-number", "GAHT12345678", CODE])
        .args(["--endpoint-url", &aws.url()])
        .run();
    ran.env
        .assert_credentials(&expected("named-source-and-target.credentials"));
}

#[test]
fn mixed_line_endings_and_a_profile_prefixed_section_are_left_alone() {
    let aws = StandIn::for_files();
    let original = format!(
        "[default]\r\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\r\nmfa_serial = {SERIAL}\n\n[profile mfa]\r\nregion = x\n# end"
    );
    // The first line ending in the file is \r\n: new lines use it; the old bytes stay.
    let ran = Test::new()
        .credentials(&original)
        .args([CODE, "--endpoint-url", &aws.url()])
        .run();
    ran.env
        .assert_credentials(&expected("mixed-line-endings.credentials"));
}

/// What every platform shares (scripts/test-windows.sh runs it against the Windows exe): the
/// file's line ending, a blank line before the new section, and a second refresh that rewrites
/// only the session's values.
#[test]
fn a_refresh_appends_the_target_and_the_next_rewrites_only_its_values() {
    let aws = StandIn::start();
    let original = format!(
        "# team keys\r\n{}\r\n; clients below\r\n[client]\r\nregion=eu-west-1",
        default_source().replace('\n', "\r\n")
    );
    let env = TestEnv::with_credentials(&original);
    let wrote = format!(
        "wrote [mfa] in {} from [default] ({SERIAL}), valid until ",
        shown("~/.aws/credentials")
    );
    let out = Test::on(&env)
        .args([CODE, "--json", "--endpoint-url", &aws.url()])
        .stderr_has(&wrote)
        .run()
        .out;
    assert_eq!(out.json()["file"], bin_path(&env.credentials()));
    let first = env.read_credentials_text();
    assert!(first.starts_with(&original), "{first:?}");
    assert!(
        first[original.len()..].starts_with("\r\n\r\n[mfa]\r\naws_access_key_id = "),
        "the file's line ending and a blank line before the new section: {first:?}"
    );

    aws.next_code_window();
    let out = Test::in_env(env.clone())
        .args(["--force", "-d", "1h", CODE, "--endpoint-url", &aws.url()])
        .run()
        .out;
    let second = env.read_credentials_text();
    // The one line added records the length asked for (-d 1h, not STS's default).
    assert!(second.contains("\r\nmfa_duration = 3600\r\n"), "{second:?}");
    let (old, new): (Vec<&str>, Vec<&str>) = (
        first.split("\r\n").collect(),
        second
            .split("\r\n")
            .filter(|l| !l.starts_with("mfa_duration"))
            .collect(),
    );
    assert_eq!(
        old.len(),
        new.len(),
        "no other line added or removed: {second:?}"
    );
    for (o, n) in old.iter().zip(&new) {
        if o.starts_with("expiration = ") {
            assert_ne!(o, n, "the expiration moved");
        } else if !o.starts_with("aws_") || original.contains(o) {
            assert_eq!(o, n, "a line outside the session's values changed");
        }
    }
    for secret in ["aws_secret_access_key", "aws_session_token"] {
        let written = sdk_value(&second, "mfa", secret).unwrap();
        assert!(!out.stderr.contains(&written) && !out.stdout.contains(&written));
    }
}

#[test]
fn a_valid_target_is_skipped_without_a_code_or_a_network_call() {
    let original = with_mfa("default", "2099-01-01T00:00:00Z");
    // No code, no terminal, STS on a closed port: only the skip path can succeed.
    let ran = Test::new()
        .credentials(&original)
        .args(["--endpoint-url", CLOSED, "--json"])
        .stderr_has("[mfa] is still valid for")
        .stderr_has("--force refreshes it now")
        .run();
    let json = ran.out.json();
    assert_eq!(json["skipped"], true);
    assert_eq!(json["expiration"], "2099-01-01T00:00:00Z");
    ran.env.assert_credentials(original.as_bytes());
}

#[test]
fn json_on_the_skip_path_has_the_serial_and_the_file() {
    let ran = Test::new()
        .credentials(format!(
            "{}{}",
            default_source(),
            managed("mfa", "default", "2099-01-01T00:00:00Z")
        ))
        .arg("--json")
        .run();
    let json = ran.out.json();
    assert_eq!(json["serial"], SERIAL);
    assert_eq!(json["file"], ran.env.credentials().display().to_string());
    assert_eq!(json["skipped"], true);
}

/// A run that must go to STS (a closed port here): it did not skip.
fn goes_to_sts(text: &str, args: &[&str]) {
    let ran = Test::new()
        .credentials(text)
        .args(args)
        .args(["--endpoint-url", CLOSED])
        .status(1)
        .stderr_has("cannot reach STS")
        .run();
    ran.env.assert_credentials(text.as_bytes());
}

#[test]
fn force_refreshes_a_valid_target() {
    goes_to_sts(
        &with_mfa("default", "2099-01-01T00:00:00Z"),
        &["--force", CODE],
    );
}

#[test]
fn min_remaining_beyond_the_expiry_refreshes_a_valid_target() {
    goes_to_sts(
        &with_mfa("default", "2099-01-01T00:00:00Z"),
        &["--min-remaining", "999999h", CODE],
    );
}

#[test]
fn an_expired_target_is_refreshed() {
    goes_to_sts(&with_mfa("default", "2001-01-01T00:00:00Z"), &[CODE]);
}

#[test]
fn a_target_recorded_from_another_source_is_refreshed() {
    goes_to_sts(
        &with_mfa("work", "2099-01-01T00:00:00Z"),
        &["-s", "default", "-t", "mfa", CODE],
    );
}

#[test]
fn a_15_minute_session_counts_as_valid_for_11_minutes_and_is_handed_out() {
    require!("setsid");
    let aws = StandIn::start();
    let first = Test::new()
        .credentials(default_source())
        .args(["-d", "15m", CODE, "--endpoint-url", &aws.url()])
        .run();
    // No terminal, no code command: handing it out works only if it counts as fresh.
    Test::on(&first.env)
        .detached()
        .args(["credential-process", "mfa"])
        .stdout_has("SessionToken")
        .run();
    Test::in_env(first.env)
        .args(["--endpoint-url", CLOSED])
        .stderr_has("refreshed when less than 4m is left")
        .run();
}

#[test]
fn a_managed_target_refreshes_from_its_recorded_source() {
    let aws = with_hardware_device();
    let text = format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = GAHT12345678\n{}",
        managed_short("client-admin", "work", "2001-01-01T00:00:00Z")
    );
    let ran = Test::new()
        .credentials(&text)
        .args(["-t", "client-admin", CODE, "--endpoint-url", &aws.url()])
        .stderr_has("wrote [client-admin] in ~/.aws/credentials from [work] (GAHT12345678)")
        .run();
    ran.env
        .assert_credentials(&expected("recorded-source.credentials"));
    assert_eq!(param(&aws.calls()[0], "SerialNumber"), Some("GAHT12345678"));
}

#[test]
fn credentials_file_and_config_file_flags_beat_the_environment_on_the_skip_path() {
    let (env, flags, text) = files_from_flags();
    let ran = Test::in_env(env)
        .args(["-t", "work-mfa", "--endpoint-url", CLOSED])
        .args(&flags)
        .stderr_has("[work-mfa] is still valid for")
        .run();
    assert_eq!(std::fs::read_to_string(&flags[1]).unwrap(), text);
    assert!(ran.env.read_credentials().is_empty());
}

#[test]
fn a_serial_number_given_once_is_recorded_and_used_again() {
    let aws = StandIn::start();
    let first = Test::new()
        .credentials(format!(
            "[default-long-term]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n"
        ))
        .args([
            "-s",
            "default-long-term",
            "-t",
            "default",
            "--serial-number",
            SERIAL,
        ])
        .args(["-d", "2h", CODE, "--endpoint-url", &aws.url()])
        .run();
    let text = first.env.read_credentials_text();
    assert!(
        text.contains(&format!("mfa_serial_number = {SERIAL}\n")),
        "{text}"
    );
    assert!(text.contains("mfa_duration = 7200\n"), "{text}");
    let status = Test::in_env(first.env).args(["status", "--json"]).run();
    assert_eq!(status.out.json()[0]["serial"], SERIAL);
    aws.next_code_window();
    Test::in_env(status.env)
        .args([
            "-t",
            "default",
            "--force",
            CODE,
            "--endpoint-url",
            &aws.url(),
        ])
        .run();
    let sent = &aws.calls()[1];
    assert_eq!(param(sent, "SerialNumber"), Some(SERIAL), "{sent:?}");
    assert_eq!(
        param(sent, "DurationSeconds"),
        Some("7200"),
        "the recorded length: {sent:?}"
    );
}

#[test]
fn an_aws_mfa_layout_is_read_device_and_naming() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(format!(
            "[work-long-term]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\naws_mfa_device = {SERIAL}\n"
        ))
        .args(["-s", "work-long-term", CODE, "--endpoint-url", &aws.url()])
        .stderr_has("using aws_mfa_device")
        .stderr_has("wrote [work] in ~/.aws/credentials from [work-long-term]")
        .run();
    assert!(ran.env.read_credentials_text().contains("\n[work]\n"));
}

#[test]
fn a_session_aws_mfa_wrote_is_refreshed_in_place_and_becomes_managed() {
    let aws = StandIn::start();
    let aws_mfa_session = "[work]\naws_access_key_id = ASIAOLDEXAMPLE\naws_secret_access_key = old\naws_session_token = oldtoken\naws_security_token = oldtoken\nexpiration = 2001-01-01 00:00:00\nassumed_role = False\nassumed_role_arn = None\n";
    let ran = Test::new()
        .credentials(format!(
            "# aws-mfa's layout\n[work-long-term]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\naws_mfa_device = {SERIAL}\n\n{aws_mfa_session}"
        ))
        .args(["-s", "work-long-term", CODE, "--endpoint-url", &aws.url()])
        .stderr_has("wrote [work] in ~/.aws/credentials from [work-long-term]")
        .run();
    let text = ran.env.read_credentials_text();
    let session = &text[text.find("[work]\n").unwrap()..];
    let expiration = session
        .lines()
        .find_map(|l| l.strip_prefix("expiration = "))
        .unwrap();
    let issued = fixed_session(1);
    assert_eq!(
        session,
        format!(
            "[work]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {token}\naws_security_token = {token}\nexpiration = {expiration}\nassumed_role = False\nassumed_role_arn = None\nmfa_source_profile = work-long-term\n",
            issued.key_id,
            issued.secret,
            token = issued.token,
        ),
        "every key in place, the stale security token too, the pair recorded"
    );
    assert!(text.starts_with("# aws-mfa's layout\n[work-long-term]\n"));
    let status = Test::in_env(ran.env).args(["status", "--json"]).run();
    assert_eq!(status.out.json()[0]["target"], "work");
    assert_eq!(status.out.json()[0]["source"], "work-long-term");
}

/// `[default]` and bob's `[work]` (his own key and device), and `[work-mfa]` expired.
fn two_pairs() -> String {
    format!(
        "{}\n[work]\naws_access_key_id = {BOB_KEY}\naws_secret_access_key = {BOB_SECRET}\nmfa_serial = {BOB_SERIAL}\n\n{}",
        default_source(),
        managed("work-mfa", "work", "2001-01-01T00:00:00Z")
    )
}

#[test]
fn aws_profile_naming_a_managed_target_selects_it() {
    let aws = StandIn::start();
    aws.add_bob();
    Test::new()
        .credentials(two_pairs())
        .env("AWS_PROFILE", "work-mfa")
        .args([CODE, "--endpoint-url", &aws.url()])
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
}

#[test]
fn aws_profile_naming_a_source_refreshes_that_sources_target() {
    let aws = StandIn::start();
    aws.add_bob();
    Test::new()
        .credentials(two_pairs())
        .env("AWS_PROFILE", "work")
        .args([CODE, "--endpoint-url", &aws.url()])
        .stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]")
        .run();
}

/// Issue 20: `-s work -t mfa` switched a valid `[mfa]` from `[default]` to `[work]` without a
/// word; it is said.
#[test]
fn switching_a_targets_source_is_said() {
    let aws = StandIn::start();
    aws.add_bob();
    Test::new()
        .credentials(format!(
            "{TWO_USERS}\n{}",
            managed("mfa", "default", "2099-01-01T00:00:00Z")
        ))
        .args([
            "-s",
            "work",
            "-t",
            "mfa",
            CODE,
            "--endpoint-url",
            &aws.url(),
        ])
        .stderr_has(
            "[mfa] was refreshed from [default]; it is refreshed from [work] now, and from now on",
        )
        .run();
}

fn work_with_region() -> TestEnv {
    let env = TestEnv::with_credentials(&format!(
        "[work]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\nmfa_serial = {SERIAL}\n"
    ));
    env.write_config(WORK_CONFIG);
    env
}

const WORK_CONFIG: &str = "# work account\n[profile work]\nregion = eu-west-1\n";

fn refresh_work(env: TestEnv, aws: &StandIn, extra: &[&str]) -> Ran {
    aws.next_code_window();
    Test::in_env(env)
        .args(["-s", "work", "--force", CODE, "--endpoint-url", &aws.url()])
        .args(extra)
        .run()
}

#[test]
fn no_config_leaves_the_config_file_alone() {
    let aws = StandIn::start();
    let ran = refresh_work(work_with_region(), &aws, &["--no-config"]);
    assert_eq!(ran.env.read_config_text(), WORK_CONFIG);
}

#[test]
fn the_sources_region_is_carried_over_to_the_targets_config_profile_once() {
    let aws = StandIn::start();
    let ran = refresh_work(work_with_region(), &aws, &[]);
    ran.out.assert_stderr_has(
        "added region = eu-west-1 (from [work]) to [profile work-mfa] in ~/.aws/config",
    );
    let written = format!("{WORK_CONFIG}\n[profile work-mfa]\nregion = eu-west-1\n");
    assert_eq!(ran.env.read_config_text(), written);
    let again = refresh_work(ran.env, &aws, &[]);
    again.out.assert_stderr_lacks("added region");
    assert_eq!(again.env.read_config_text(), written);
}

#[test]
fn the_aws_cli_reads_the_carried_over_region() {
    let Some(moto) = Moto::start() else { return };
    require!("aws");
    let ran = Test::in_env(work_with_region())
        .args(["-s", "work", CODE, "--endpoint-url", &moto.url()])
        .run();
    let env = ran.env;
    let out = run(env
        .command("aws")
        .args(["configure", "get", "region", "--profile", "work-mfa"]));
    assert_eq!(out.stdout.trim(), "eu-west-1", "{out}");
    // With no --region anywhere, the aws CLI signs for the carried-over region.
    let out = run(env.command("aws").args([
        "--profile",
        "work-mfa",
        "--endpoint-url",
        &moto.url(),
        "sts",
        "get-caller-identity",
    ]));
    out.assert_code(0);
}

#[test]
fn no_region_is_carried_to_the_config_when_the_targets_credentials_section_has_one() {
    let aws = StandIn::start();
    let ran = Test::new()
        .credentials(format!("{}\n[mfa]\nregion = us-west-2\n", default_source()))
        .config("[default]\nregion = eu-central-1\n")
        .args([CODE, "--endpoint-url", &aws.url()])
        .stderr_lacks("added region")
        .run();
    assert_eq!(
        ran.env.read_config_text(),
        "[default]\nregion = eu-central-1\n"
    );
}

/// The long spellings of the short flags (`--source`, `--target`, `--duration`, `--force`), as
/// scripts write them, do what `-s`, `-t`, `-d` and `-f` do.
#[test]
fn the_long_flags_do_what_the_short_ones_do() {
    let aws = StandIn::start();
    let text = format!(
        "{}\n{}",
        default_source(),
        managed("work-session", "default", "2099-01-01T00:00:00Z")
    );
    let ran = at(&aws, Test::new().credentials(&text))
        .args(["refresh", "--source", "default", "--target", "work-session"])
        .args(["--duration", "2h", "--force", CODE])
        .stderr_has("wrote [work-session]")
        .run();
    assert_eq!(aws.actions(), ["GetSessionToken"]);
    assert_eq!(param(&aws.calls()[0], "DurationSeconds"), Some("7200"));
    let left = lasts(&aws, &ran.env, "work-session");
    assert!(
        (7000..=7200).contains(&left),
        "a 2h session has {left} s left"
    );
    assert_works_as(&aws, &ran.env, "work-session", USER_ARN);
}
