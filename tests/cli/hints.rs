//! Every command a message tells the user to run works as printed: each test brings about the
//! message, takes the `mfa-profile ...` command out of it, runs it word for word (a code, an
//! endpoint, or a code command added only where the hint leaves the code to the user) and
//! checks it did what the message promised.
//!
//! [`HINT_SITES`] is the table of every message in src/ that names a command, with the tests
//! that run it; `every_hint_in_src_is_in_the_table_with_a_test` keeps it complete (a line of
//! src/ with a backticked `mfa-profile` command that no row names fails it).

pub use crate::support::hints::{hint_words, hinted_commands};
use crate::support::*;

mod first_run;
mod handout;
mod refresh;
mod rotate;
mod setup;

/// Every message in src/ that names a command to run: the file, words of the message (as
/// written in the source, on one line of it), and the tests (`module::name` under tests/cli)
/// that bring the message about and run the command it names.
const HINT_SITES: &[(&str, &str, &[&str])] = &[
    // Refresh: a profile's name where the code goes, the --via tip, the code rerun.
    ("src/app/refresh.rs", "is a target: `mfa-profile -t {name}` refreshes it", &["hints::a_profile_name_for_the_code_names_the_refresh_meant"]),
    ("src/app/refresh.rs", "holds long-term keys: `mfa-profile -s {name}` refreshes its target", &["hints::a_profile_name_for_the_code_names_the_refresh_meant"]),
    ("src/app/refresh.rs", "tip: `mfa-profile -t {} --via {} --force` assumes", &["hints::refresh::the_via_tip_assumes_the_role_with_the_sessions_key_and_no_code"]),
    ("src/error/mod.rs", "run `{rerun}` in a terminal, pass the code (`{rerun} 123456`)", &["hints::refresh::the_commands_a_refresh_with_no_way_to_ask_a_code_names_do_what_was_asked", "hints::refresh::the_command_named_when_a_bases_code_cannot_be_asked_renews_both"]),
    ("src/refresh/plan/request.rs", "run `mfa-profile setup -s {name}`, which asks", &["hints::first_run::the_setup_named_for_a_missing_source_writes_that_source"]),
    // A target with no session mfa-profile wrote (profile::create_hint, and its callers).
    ("src/profile/new_target.rs", "it is [{source}]'s target: create it with `mfa-profile -s {source}`", &["hints::a_sources_own_target_is_created_only_with_its_source_named"]),
    ("src/profile/new_target.rs", "did you mean [{name}]? `mfa-profile -t {name}` refreshes it", &["hints::first_run::the_target_a_typo_is_near_is_refreshed_by_the_command_named"]),
    ("src/profile/new_target.rs", "the target of [{source}]? `mfa-profile -s {source}` creates it", &["hints::a_new_target_is_never_filled_from_a_guessed_source"]),
    ("src/profile/new_target.rs", "`mfa-profile setup -t {target}` asks for your IAM user's access key", &["hints::first_run::the_setup_named_for_a_new_target_with_no_keys_creates_that_target"]),
    ("src/profile/new_target.rs", "name its source: `mfa-profile -s {only} -t {target}`", &["exec::a_target_mfa_profile_did_not_write_is_not_filled_by_exec_either"]),
    ("src/profile/new_target.rs", "format!(\"`mfa-profile -s {s} -t {target}`\")", &["hints::each_source_the_refusal_offers_creates_the_target_from_it", "hints::handout::each_source_named_for_a_missing_target_creates_it_for_the_handout"]),
    ("src/profile/new_target.rs", "`mfa-profile -s {} -t {target}`, say", &["hints::first_run::the_source_named_among_many_creates_the_target"]),
    ("src/refresh/plan/choose.rs", "never guesses whose keys fill a new target; {}", &["hints::a_new_target_is_never_filled_from_a_guessed_source", "hints::each_source_the_refusal_offers_creates_the_target_from_it"]),
    ("src/refresh/plan/derived.rs", "it is not a target mfa-profile manages; {}", &["hints::refresh::the_base_named_for_a_derived_target_is_created_by_the_command_named"]),
    ("src/commands/handout.rs", "does not exist ({}); {}", &["hints::handout::each_source_named_for_a_missing_target_creates_it_for_the_handout"]),
    ("src/commands/handout.rs", "holds no session mfa-profile wrote; {}", &["exec::a_target_mfa_profile_did_not_write_is_not_filled_by_exec_either"]),
    // Nothing managed yet (profile::first_refresh_hint, and its callers).
    ("src/profile/managed.rs", "no profile holds long-term keys yet: run `mfa-profile setup`, which", &["hints::first_run::with_no_keys_the_setup_named_writes_the_first_source_and_session"]),
    ("src/profile/managed.rs", "run `mfa-profile -s {first} -t {free}` to create", &["hints::first_run::the_first_refresh_named_for_a_source_with_a_long_name_writes_a_valid_target"]),
    ("src/profile/managed.rs", "run `mfa-profile` to create [mfa] from [default]", &["hints::first_run::with_keys_in_default_the_refresh_named_creates_mfa"]),
    ("src/profile/managed.rs", "run `mfa-profile -s {source}` to create [{target}] from [{source}]", &["status::with_no_default_status_suggests_a_command_that_works", "hints::first_run::the_first_refresh_named_never_overwrites_long_term_keys"]),
    ("src/app/status.rs", "is managed by mfa-profile yet; {}", &["hints::first_run::with_no_keys_the_setup_named_writes_the_first_source_and_session", "hints::first_run::with_keys_in_default_the_refresh_named_creates_mfa"]),
    ("src/app/refresh.rs", "is managed by mfa-profile yet; {}", &["hints::first_run::with_no_keys_the_setup_named_writes_the_first_source_and_session", "hints::first_run::with_keys_in_default_the_refresh_named_creates_mfa"]),
    ("src/app/key_status.rs", "so no source key is known; {}", &["hints::first_run::with_no_keys_the_setup_named_writes_the_first_source_and_session", "hints::first_run::with_keys_in_default_the_refresh_named_creates_mfa"]),
    ("src/commands/doctor.rs", "no profile has keys yet; `mfa-profile setup` asks", &["hints::first_run::the_setup_doctor_names_for_a_missing_credentials_file_writes_it"]),
    // Handing a session out.
    ("src/commands/handout.rs", "a source with no session yet: create one with `mfa-profile -s {source}`", &["hints::handout::the_session_named_for_a_source_in_aws_profile_is_then_handed_out"]),
    ("src/commands/handout.rs", "refresh it with `mfa-profile -t {target}`, or add --refresh", &["hints::handout::the_refresh_named_for_an_expired_session_renews_it"]),
    ("src/commands/handout.rs", "make a session from it with `mfa-profile -s {target}`", &["hints::handout::the_session_named_for_a_profile_of_long_term_keys_is_then_handed_out"]),
    ("src/error/mod.rs", "refresh it with `mfa-profile -t {target} --force`", &["hints::handout::the_refresh_named_for_a_target_with_no_session_fills_it"]),
    // Derived targets, doctor, prune.
    ("src/commands/status.rs", "which is missing: `mfa-profile -s {} -t {base}` makes it again", &["hints::refresh::the_commands_status_names_for_a_missing_base_make_it_then_renew_the_derived_target"]),
    ("src/commands/status.rs", "which {why}: `mfa-profile -t {name}` asks one code", &["hints::refresh::the_refresh_status_names_for_an_expired_base_renews_both_with_one_code"]),
    ("src/commands/doctor.rs", "expired on {}; run `mfa-profile -t {name}`", &["hints::refresh::the_refresh_doctor_names_for_a_stale_session_renews_it"]),
    ("src/commands/doctor.rs", "no readable expiration; run `mfa-profile -t {name} --force`", &["hints::refresh::the_refresh_doctor_names_for_a_stale_session_renews_it"]),
    ("src/app/refresh.rs", "run `mfa-profile refresh --all` in a terminal to give the codes", &["hints::refresh_all_that_needs_codes_says_once_to_run_it_in_a_terminal"]),
    ("src/refresh/plan/derived.rs", "asking for 1h (`mfa-profile -s {source} -t {target} --force` assumes it", &["derived::a_derived_target_that_recorded_four_hours_is_made_a_role_target_by_the_command_named"]),
    ("src/error/mod.rs", "with a code of its own, assume it with the long-term keys: `{direct}`", &["derived::a_derived_target_asked_for_more_than_an_hour_is_told_of_the_one_hour_cap"]),
    // The background schedule.
    ("src/app/schedule.rs", "in {} and {}; `mfa-profile schedule status` shows it", &["schedule::systemd_install_status_and_remove_through_systemctl"]),
    ("src/app/schedule.rs", "no schedule is installed; `mfa-profile schedule install` installs one", &["schedule::systemd_install_status_and_remove_through_systemctl"]),
    ("src/app/status.rs", "schedule: none; `mfa-profile schedule install` keeps these targets", &["schedule::systemd_install_status_and_remove_through_systemctl"]),
    ("src/commands/doctor.rs", "no background job is installed; `mfa-profile schedule install` keeps", &["schedule::systemd_install_status_and_remove_through_systemctl"]),
    ("src/commands/doctor.rs", "is it still installed and enabled? `mfa-profile schedule status` says", &["schedule::doctor_says_when_the_job_stopped_running_and_its_hint_works"]),
    ("src/error/schedule.rs", "`mfa-profile schedule install --using {kind} --dry-run` shows what", &["schedule::dry_run_changes_nothing_and_a_kind_of_another_system_is_refused"]),
    ("src/commands/schedule/crontab.rs", "(`mfa-profile schedule remove` removes these lines)", &["schedule::cron_install_twice_then_remove_gives_back_the_crontab_byte_for_byte"]),
    ("src/app/prune.rs", "so `mfa-profile refresh --all` renews {}; `mfa-profile prune {}` removes", &["hints::refresh::both_commands_prune_names_do_what_it_says", "prune::prune_keeps_what_renews_a_role_target_and_its_comment"]),
    ("src/commands/prune.rs", "remove {} too: `mfa-profile prune {name} {}`", &["prune::prune_named_targets_removes_them_whole_and_never_orphans_a_derived_target"]),
    // The console.
    ("src/app/console.rs", "sign in with a role target: `mfa-profile console -t {first}`", &["console::a_plain_session_is_refused_before_any_request_and_a_role_target_is_named"]),
    ("src/error/mod.rs", "print the sign-in URL instead with `{rerun}`", &["console::a_browser_that_fails_is_reported_without_the_url_and_print_is_offered"]),
    // Keys: status --keys, rotate, setup, the keychain.
    ("src/commands/key_status.rs", "refresh [{}] with `{}` and run again", &["hints::rotate::the_refresh_a_denied_key_report_names_makes_the_session_it_needs", "hints::rotate::the_refresh_named_for_a_source_with_only_a_role_target_creates_its_session"]),
    ("src/commands/key_status.rs", "rotate it with `mfa-profile rotate -s {}`", &["hints::rotate::the_rotation_an_old_key_is_due_for_replaces_it", "hints::rotate::the_rotation_named_when_no_session_is_valid_asks_its_code"]),
    ("src/app/rotate.rs", "inactive; `mfa-profile rotate -s {source} --cleanup` deletes it", &["hints::rotate::the_cleanup_a_rotation_names_deletes_the_inactive_old_key"]),
    ("src/commands/rotate/mod.rs", "so `mfa-profile rotate -s {}` run again deletes such a key", &["hints::rotate::a_lost_create_answer_is_cleaned_up_by_the_run_named"]),
    ("src/commands/rotate/mod.rs", "which the next `mfa-profile rotate -s {source}` or `mfa-profile rotate -s {source} --cleanup` removes", &["hints::rotate::a_start_record_left_behind_is_removed_by_either_run_named"]),
    ("src/commands/rotate/mod.rs", "(mfa_new_access_key_id); run `mfa-profile rotate -s {}` again to finish", &["hints::rotate::a_new_key_that_does_not_work_yet_is_put_in_place_by_the_run_named"]),
    ("src/commands/rotate/mod.rs", "(both work); run `mfa-profile rotate -s {}` again to finish", &["hints::rotate::a_swap_stopped_between_the_files_is_finished_by_the_run_named"]),
    ("src/commands/rotate/mod.rs", "run `mfa-profile rotate -s {source}` again to retire it", &["hints::rotate::an_old_key_left_active_is_retired_by_the_run_named"]),
    ("src/commands/rotate/mod.rs", "run `mfa-profile rotate -s {} --cleanup` to delete it", &["hints::rotate::an_old_key_left_undeleted_is_deleted_by_the_cleanup_named"]),
    ("src/commands/rotate/mod.rs", "run `mfa-profile rotate -s {}` to finish it first", &["hints::rotate::cleanup_during_a_half_done_rotation_names_the_run_that_finishes_it"]),
    ("src/app/setup.rs", "is set up; `{}` (or `mfa-profile refresh --all`) refreshes", &["hints::setup::each_command_a_finished_setup_names_does_what_it_says", "hints::setup::the_refresh_setup_names_reaches_the_target_it_set_up_or_failed_to"]),
    ("src/app/setup.rs", ", `mfa-profile rotate -s {source}` rotates its key", &["hints::setup::each_command_a_finished_setup_names_does_what_it_says"]),
    ("src/app/setup.rs", "its first refresh failed (below); `{}` tries again", &["hints::setup::the_refresh_setup_names_reaches_the_target_it_set_up_or_failed_to"]),
    ("src/app/setup.rs", "`mfa-profile -t {}` (or `mfa-profile refresh --all`) refreshes it from now on", &["hints::setup::the_commands_named_after_taking_over_aws_mfa_refresh_its_session"]),
    ("src/app/setup.rs", "[{source}] in {} runs `{}` for them", &["hints::setup::the_setup_an_empty_keychain_names_stores_the_keys"]),
    ("src/commands/setup.rs", "format!(\"`mfa-profile rotate -s {source}` replaces its key, or \")", &["hints::setup::setup_on_a_taken_name_names_rotate_only_where_rotate_works"]),
    ("src/app/keychain.rs", "(store them with `mfa-profile setup -s {source} --keychain`)", &["hints::setup::the_setup_an_empty_keychain_names_stores_the_keys"]),
];

/// The source a test lives in: `hints::rotate::name` is in tests/cli/hints/rotate.rs.
fn test_file(test: &str) -> (std::path::PathBuf, &str) {
    let (module, name) = test.rsplit_once("::").expect("module::name");
    let path = format!(
        "{}/tests/cli/{}.rs",
        env!("CARGO_MANIFEST_DIR"),
        module.replace("::", "/")
    );
    (path.into(), name)
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_hint_in_src_is_in_the_table_with_a_test() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, words, tests) in HINT_SITES {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            text.lines().any(|line| line.contains(words)),
            "{file} has no line with {words:?}: update HINT_SITES"
        );
        assert!(!tests.is_empty(), "{file}: {words:?} has no test");
        for test in *tests {
            let (path, name) = test_file(test);
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{test}: {}: {e}", path.display()));
            assert!(source.contains(&format!("fn {name}(")), "no test {test}");
        }
    }
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut untested = Vec::new();
    for path in files {
        let file = path.strip_prefix(root).unwrap().display().to_string();
        if path.file_name().is_some_and(|name| name == "tests.rs") {
            continue; // a module of unit tests: it quotes messages, it prints nothing
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests quote messages; they print nothing.
        let mut in_tests = false;
        for (number, line) in text.lines().enumerate() {
            match line {
                "mod tests {" => in_tests = true,
                "}" => in_tests = false,
                _ => {}
            }
            if in_tests || line.trim_start().starts_with("//") || !line.contains("`mfa-profile") {
                continue;
            }
            let listed = HINT_SITES
                .iter()
                .any(|(f, words, _)| *f == file && line.contains(words));
            if !listed {
                untested.push(format!("{file}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        untested.is_empty(),
        "hints with no row in HINT_SITES (add one, with a test that runs the command):\n{}",
        untested.join("\n")
    );
}

/// Issue 20, bug 3: `-t wrk-mfa` (a typo of bob's target) wrote alice's session from
/// `[default]` into it, recorded `mfa_source_profile = default` and added `[profile wrk-mfa]`.
#[test]
fn a_new_target_is_never_filled_from_a_guessed_source() {
    let aws = StandIn::start();
    aws.add_bob();
    let env = TestEnv::with_credentials(TWO_USERS);
    env.write_config("[default]\nregion = eu-west-1\n");
    let out = Test::on(&env)
        .args(["-t", "wrk-mfa", "123456", "--endpoint-url", &aws.url()])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has("[wrk-mfa] in ~/.aws/credentials does not exist yet")
        .assert_stderr_has(
            "did you mean [work-mfa], the target of [work]? `mfa-profile -s work` creates it",
        );
    env.assert_credentials(TWO_USERS.as_bytes());
    assert_eq!(env.read_config_text(), "[default]\nregion = eu-west-1\n");
    assert!(aws.calls().is_empty(), "nothing sent");

    // The "did you mean" command creates bob's target from bob's keys.
    let fix = run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s work"),
        ["123456", "--endpoint-url", &aws.url()],
    );
    fix.assert_code(0)
        .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    assert_eq!(aws.signers(), ["AKIAI44QH8DHBEXAMPLE"], "bob's key signed");
    assert_eq!(
        sdk_value(
            &env.read_credentials_text(),
            "work-mfa",
            "mfa_source_profile"
        )
        .as_deref(),
        Some("work")
    );
}

/// The exact name of a source's own target names that source; `[mfa]` alone is filled from
/// `[default]` unasked.
#[test]
fn a_sources_own_target_is_created_only_with_its_source_named() {
    let aws = StandIn::start();
    aws.add_bob();
    let env = TestEnv::with_credentials(TWO_USERS);
    let out = Test::on(&env)
        .args(["-t", "work-mfa", "123456", "--endpoint-url", &aws.url()])
        .status(2)
        .run()
        .out;
    out.assert_stderr_has("it is [work]'s target: create it with `mfa-profile -s work`");
    env.assert_credentials(TWO_USERS.as_bytes());
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s work"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    assert_eq!(aws.signers(), [BOB_KEY], "bob's key");
    Test::on(&env)
        .args(["-t", "mfa", "123456", "--endpoint-url", &aws.url()])
        .status(0)
        .run()
        .out
        .assert_stderr_has("wrote [mfa] in ~/.aws/credentials from [default]");
}

/// Each "name its source" command of the refusal creates the target from that source.
#[test]
fn each_source_the_refusal_offers_creates_the_target_from_it() {
    let aws = StandIn::start();
    aws.add_bob();
    for (source, key) in [
        ("default", "AKIAIOSFODNN7EXAMPLE"),
        ("work", "AKIAI44QH8DHBEXAMPLE"),
    ] {
        let env = TestEnv::with_credentials(TWO_USERS);
        let out = Test::on(&env)
            .args(["-t", "prod", "123456"])
            .status(2)
            .run()
            .out;
        out.assert_stderr_has("to create [prod], name its source:");
        let command = hinted(&out.stderr, &format!("mfa-profile -s {source} "));
        let before = aws.signers().len();
        run_hint(&env, &command, ["123456", "--endpoint-url", &aws.url()])
            .assert_code(0)
            .assert_stderr_has(&format!(
                "wrote [prod] in ~/.aws/credentials from [{source}]"
            ));
        assert_eq!(aws.signers()[before..], [key.to_owned()]);
    }
}

/// Issue 20: `mfa-profile work` (a profile's name where the code goes, the aws-vault habit)
/// said only that the code is not six digits; it names the refresh meant, which works.
#[test]
fn a_profile_name_for_the_code_names_the_refresh_meant() {
    let aws = StandIn::start();
    aws.add_bob();
    let env = TestEnv::with_credentials(&format!(
        "{TWO_USERS}\n{}",
        managed("admin", "default", "2001-01-01T00:00:00Z")
    ));
    let out = Test::on(&env).arg("work").status(2).run().out;
    out
        .assert_stderr_has("the MFA code is not six digits, and [work] holds long-term keys: `mfa-profile -s work` refreshes its target [work-mfa]");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -s work"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [work-mfa] in ~/.aws/credentials from [work]");
    let out = Test::on(&env).arg("admin").status(2).run().out;
    out.assert_stderr_has("[admin] is a target: `mfa-profile -t admin` refreshes it");
    run_hint(
        &env,
        &hinted(&out.stderr, "mfa-profile -t admin"),
        ["123456", "--endpoint-url", &aws.url()],
    )
    .assert_code(0)
    .assert_stderr_has("wrote [admin] in ~/.aws/credentials from [default]");
    // Anything else is refused without being repeated (it may be a pasted secret).
    Test::on(&env)
        .arg("wJalrXUtnFEMI")
        .status(2)
        .run()
        .out
        .assert_stderr_lacks("wJalrXUtnFEMI");
}

/// Issue 20: `refresh --all` without a terminal gave each target a single refresh's advice
/// (`mfa-profile -t mfa`); the run's own way out is said once, and works on a terminal.
#[test]
fn refresh_all_that_needs_codes_says_once_to_run_it_in_a_terminal() {
    let aws = StandIn::start();
    let env = TestEnv::with_credentials(&format!(
        "{}\n{}\n{}mfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_via = mfa\n",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z"),
        managed("admin", "default", "2001-01-01T00:00:00Z"),
    ));
    let out = Test::on(&env)
        .detached()
        .args(["refresh", "--all", "--endpoint-url", &aws.url()])
        .status(4)
        .run()
        .out;
    out.assert_stderr_lacks("`mfa-profile -t mfa`");
    assert_eq!(
        out.stderr.matches("refresh --all` in a terminal").count(),
        1,
        "{out}"
    );
    let command = hinted(&out.stderr, "mfa-profile refresh --all");
    let mut args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let url = aws.url();
    args.extend(["--endpoint-url", &url]);
    let Some(ran) =
        crate::support::pty::on_terminal(&env, &[], &args, &[("MFA code for", "123456\r")])
    else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(ran.transcript.contains("wrote [admin]"), "{ran}");
}
