//! `prune`: expired sessions cleared byte for byte (what renews a role target kept, with its
//! comment), named targets removed whole (never a base a derived target still needs), a dry
//! run, and nothing it did not write touched.

use crate::support::*;

fn session(name: &str, expiration: &str) -> String {
    managed(name, "default", expiration)
}

#[test]
fn prune_clears_only_expired_sessions_byte_for_byte() {
    let kept_before = format!(
        "# my keys\r\n{}; a client\r\n[client]\r\naws_access_key_id = AKIACLIENTEXAMPLE\r\naws_secret_access_key = c\r\n",
        default_source().replace('\n', "\r\n")
    );
    let expired = session("mfa", "2001-01-01T00:00:00Z").replace('\n', "\r\n");
    let fresh = session("work-mfa", "2099-01-01T00:00:00Z").replace('\n', "\r\n");
    let text = format!("{kept_before}\r\n{expired}\r\n# about work\r\n{fresh}");
    let ran = Test::new()
        .credentials(&text)
        .args(["prune"])
        .stderr_has(&shown(
            "cleared the session of [mfa] in ~/.aws/credentials (expired on 2001-01-01 00:00 ",
        ))
        .run();
    ran.out.assert_stderr_lacks("work-mfa");
    ran.env.assert_credentials(
        format!(
            "{kept_before}\r\n[mfa]\r\nmfa_source_profile = default\r\n\r\n# about work\r\n{fresh}"
        )
        .as_bytes(),
    );
    Test::in_env(ran.env)
        .args(["prune"])
        .stderr_has("nothing to prune")
        .run();
}

/// Issue 20, bug 7: a role or derived target lasts an hour, so it is expired most of the day;
/// `prune` removed it with its role, base and length, its comment left above the next
/// section, and `refresh --all` forgot it.
#[test]
fn prune_keeps_what_renews_a_role_target_and_its_comment() {
    let aws = StandIn::start();
    let admin = "# deploys: the admin role, 30 minutes at a time\n[admin]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = sessionsecret\naws_session_token = sessiontoken\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_via = mfa\nmfa_duration = 1800\n";
    let text = format!(
        "{}\n{}\n{admin}\n# a client\n[client]\naws_access_key_id = AKIACLIENTEXAMPLE\naws_secret_access_key = c\n",
        default_source(),
        session("mfa", "2001-01-01T00:00:00Z"),
    );
    let ran = Test::new()
        .credentials(&text)
        .args(["prune"])
        .stderr_has("cleared the session of [admin]")
        .stderr_has("`mfa-profile refresh --all` renews them")
        .run();
    let after = ran.env.read_credentials_text();
    assert!(
        after.contains("# deploys: the admin role, 30 minutes at a time\n[admin]\nmfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_via = mfa\nmfa_duration = 1800\n\n# a client\n[client]"),
        "{after}"
    );
    // The command the message names renews both, the role with its recorded length.
    let command = hinted(&ran.out.stderr, "mfa-profile refresh --all");
    let env = ran.env;
    hint(
        &env,
        &command,
        [
            "--code-command",
            "echo 123456",
            "--endpoint-url",
            &aws.url(),
        ],
    )
    .stderr_has(&shown(
        "wrote [admin] in ~/.aws/credentials from [mfa]'s session",
    ))
    .run();
    assert_eq!(aws.actions(), ["GetSessionToken", "AssumeRole"]);
    let text = env.read_credentials_text();
    let expires = epoch_of(&sdk_value(&text, "admin", "expiration").unwrap());
    assert!(
        (expires - now() - 1800).abs() < 120,
        "30 minutes, as recorded"
    );
}

/// `prune TARGET...` removes targets on purpose: the section and the comment right above it,
/// never a base another target still derives from.
#[test]
fn prune_named_targets_removes_them_whole_and_never_orphans_a_derived_target() {
    let admin = "# deploys\n[admin]\nmfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_via = mfa\n";
    let text = format!(
        "{}\n{}\n{admin}\n# a client\n[client]\naws_access_key_id = AKIACLIENTEXAMPLE\naws_secret_access_key = c\n",
        default_source(),
        session("mfa", "2099-01-01T00:00:00Z"),
    );
    let ran = Test::new()
        .credentials(&text)
        .args(["prune", "mfa"])
        .status(2)
        .stderr_has("[admin] derives from [mfa] (mfa_via = mfa), and would be left without a base; remove it too: `mfa-profile prune mfa admin`")
        .run();
    ran.env.assert_credentials(text.as_bytes());
    let command = hinted(&ran.out.stderr, "mfa-profile prune");
    run_hint(&ran.env, &command, NO_ARGS)
        .assert_stderr_has(&shown("removed [mfa] from ~/.aws/credentials"))
        .assert_stderr_has(&shown("removed [admin] from ~/.aws/credentials"));
    ran.env.assert_credentials(
        format!(
            "{}\n# a client\n[client]\naws_access_key_id = AKIACLIENTEXAMPLE\naws_secret_access_key = c\n",
            default_source()
        )
        .as_bytes(),
    );
    Test::in_env(ran.env)
        .args(["prune", "default"])
        .status(2)
        .stderr_has("[default] is not a target mfa-profile manages")
        .run();
}

#[test]
fn prune_dry_run_says_what_would_go_and_changes_nothing() {
    let text = format!(
        "{}\n{}",
        default_source(),
        session("mfa", "2001-01-01T00:00:00Z")
    );
    let ran = Test::new()
        .credentials(&text)
        .args(["prune", "--dry-run"])
        .stderr_has(&shown(
            "would clear the session of [mfa] in ~/.aws/credentials",
        ))
        .run();
    ran.env.assert_credentials(text.as_bytes());
    Test::in_env(ran.env)
        .args(["prune", "--dry-run", "mfa"])
        .stderr_has(&shown("would remove [mfa] from ~/.aws/credentials"))
        .run()
        .env
        .assert_credentials(text.as_bytes());
}

#[test]
fn prune_never_touches_long_term_keys_or_sessions_it_did_not_write() {
    let text = format!(
        "{}[other-tool]\naws_access_key_id = ASIAOTHER\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\n\
[odd]\naws_access_key_id = AKIAODDEXAMPLE\naws_secret_access_key = s\nexpiration = 2001-01-01T00:00:00Z\nmfa_source_profile = default\n",
        default_source()
    );
    let ran = Test::new()
        .credentials(&text)
        .args(["prune"])
        .stderr_has(&shown("[odd] has expired but is left in ~/.aws/credentials: it holds an access key without a session token"))
        .stderr_has("nothing to prune")
        .run();
    ran.out.assert_silent_about(SECRET);
    ran.env.assert_credentials(text.as_bytes());
}

/// A profile named to `prune` that mfa-profile does not manage (a source, here) is refused
/// with exit 2, and nothing is removed, the targets named beside it included.
#[test]
fn prune_of_a_profile_that_is_not_a_target_is_refused_and_changes_nothing() {
    let text = format!(
        "{}\n{}",
        default_source(),
        session("mfa", "2001-01-01T00:00:00Z")
    );
    let ran = Test::new()
        .credentials(&text)
        .args(["prune", "mfa", "default"])
        .status(2)
        .stderr_has("[default] is not a target mfa-profile manages (it records no mfa_source_profile); prune removes only those")
        .run();
    ran.out.assert_stderr_lacks("removed");
    ran.env.assert_credentials(text.as_bytes());
}

/// A target removed by name goes from the credentials file whole; its `[profile ...]` section
/// in the config file may hold the user's own settings, so it stays byte for byte, and the
/// user is told.
#[test]
fn prune_of_a_named_target_leaves_its_config_section_and_says_so() {
    let text = format!(
        "{}\n{}",
        default_source(),
        session("old", "2001-01-01T00:00:00Z")
    );
    let config = "[profile old]\nregion = eu-west-1\noutput = json\n";
    let ran = Test::new()
        .credentials(&text)
        .config(config)
        .args(["prune", "old"])
        .stderr_has(&shown("removed [old] from ~/.aws/credentials"))
        .stderr_has(&shown(
            "[profile old] in ~/.aws/config is left as it is (it may hold settings of yours)",
        ))
        .run();
    ran.env.assert_credentials(default_source().as_bytes());
    assert_eq!(ran.env.read_config_text(), config);
}
