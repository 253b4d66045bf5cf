//! The whole refresh, driven with a fake STS and a fixed code source: no network, no terminal;
//! the files live in a temp dir.

use super::*;
use crate::aws::sts::{SessionRequest, Signer, StsError};
use crate::input::keys::Secret;
use std::cell::RefCell;

const SOURCE: &str = "# keys\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
const NOW: i64 = 1_800_000_000;

/// An STS that answers every request with the same session and records what it was asked.
struct FakeSts {
    calls: RefCell<Vec<(String, SessionRequest)>>,
    answer: Result<SessionCredentials, StsError>,
    /// Runs during the call, as another process would.
    meanwhile: Option<Box<dyn Fn()>>,
}

impl FakeSts {
    fn answering(answer: Result<SessionCredentials, StsError>) -> FakeSts {
        FakeSts {
            calls: RefCell::new(Vec::new()),
            answer,
            meanwhile: None,
        }
    }

    fn new() -> FakeSts {
        FakeSts::answering(Ok(session()))
    }
}

impl Sts for FakeSts {
    fn get_session(
        &self,
        signer: Signer<'_>,
        request: &SessionRequest,
    ) -> Result<SessionCredentials, StsError> {
        let key = match signer {
            Signer::LongTerm(keys) => keys.access_key_id.clone(),
            Signer::Session(session) => session.access_key_id.clone(),
        };
        self.calls.borrow_mut().push((key, request.clone()));
        if let Some(meanwhile) = &self.meanwhile {
            meanwhile();
        }
        self.answer.clone()
    }
}

/// A code source that hands out one code and counts the calls.
struct FixedCode {
    asked: usize,
    profile_commands: Vec<Option<String>>,
    /// `next_code_at` of each request.
    windows: Vec<Option<i64>>,
}

impl CodeSource for FixedCode {
    fn code(&mut self, request: &CodeRequest) -> Result<MfaCode, Error> {
        self.asked += 1;
        self.profile_commands
            .push(request.profile_command.map(str::to_owned));
        self.windows.push(request.next_code_at);
        Ok("123456".parse().unwrap())
    }
}

fn fixed_now() -> i64 {
    NOW
}

fn session() -> SessionCredentials {
    SessionCredentials {
        access_key_id: "ASIAFAKE0EXAMPLE".into(),
        secret_access_key: Secret::new("fakesecret"),
        session_token: Secret::new("faketoken"),
        expires_at: NOW + 43_200,
    }
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new(credentials: &str, config: &str) -> Files {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(&path, credentials).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        std::fs::write(dir.path().join("config"), config).unwrap();
        Files { dir }
    }

    fn credentials(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("credentials")).unwrap()
    }

    fn config(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("config")).unwrap()
    }

    fn settings(&self) -> RefreshSettings {
        let path = |name: &str| self.dir.path().join(name);
        RefreshSettings {
            clock: fixed_now,
            devices: Some(crate::fsio::device::Devices::in_dir(path("devices"))),
            ..RefreshSettings::new(FileLocations {
                credentials: path("credentials"),
                config: path("config"),
            })
        }
    }
}

struct Ran {
    result: Result<Outcome, Error>,
    asked: usize,
    notices: Vec<Notice>,
    profile_commands: Vec<Option<String>>,
    windows: Vec<Option<i64>>,
}

fn run(settings: &RefreshSettings, sts: &FakeSts) -> Ran {
    let mut codes = FixedCode {
        asked: 0,
        profile_commands: Vec::new(),
        windows: Vec::new(),
    };
    let mut notices = Vec::new();
    let mut services = Services {
        sts,
        iam: &NoIam,
        codes: &mut codes,
        keys: &mut NoProcess,
    };
    let result = refresh(settings, &mut services, &mut |n| notices.push(n));
    Ran {
        result,
        asked: codes.asked,
        notices,
        profile_commands: codes.profile_commands,
        windows: codes.windows,
    }
}

fn managed(target: &str, source: &str, expires_at: i64) -> String {
    format!(
        "[{target}]\naws_access_key_id = ASIAOLD\naws_secret_access_key = old\naws_session_token = old\nexpiration = {}\nmfa_source_profile = {source}\n",
        crate::text::time::rfc3339(expires_at)
    )
}

const WRITTEN: &str = "aws_access_key_id = ASIAFAKE0EXAMPLE\naws_secret_access_key = fakesecret\naws_session_token = faketoken\nexpiration = 2027-01-15T20:00:00Z\n";

#[test]
fn a_first_refresh_appends_the_target_byte_for_byte() {
    let files = Files::new(SOURCE, "");
    let sts = FakeSts::new();
    let ran = run(&files.settings(), &sts);
    let Ok(Outcome::Refreshed(done)) = ran.result else {
        panic!("{:?}", ran.result)
    };
    assert_eq!(done.target.as_str(), "mfa");
    assert_eq!(ran.asked, 1);
    assert_eq!(
        files.credentials(),
        format!("{SOURCE}\n[mfa]\n{WRITTEN}mfa_source_profile = default\n")
    );
    let calls = sts.calls.borrow();
    let (key, request) = &calls[0];
    assert_eq!(key, "AKIAIOSFODNN7EXAMPLE", "signed with the source's key");
    let mfa = request.mfa.as_ref().unwrap();
    assert_eq!(mfa.serial.as_str(), "arn:aws:iam::123456789012:mfa/alice");
    assert_eq!(mfa.code.as_str(), "123456");
    assert_eq!(request.duration.secs(), 43_200);
    assert_eq!(request.region.as_str(), "us-east-1");
    assert!(request.role.is_none());
}

#[test]
fn a_still_valid_target_is_skipped_without_a_code_or_a_call() {
    let text = format!("{SOURCE}{}", managed("mfa", "default", NOW + 3600));
    let files = Files::new(&text, "");
    let sts = FakeSts::new();
    let ran = run(&files.settings(), &sts);
    assert!(matches!(ran.result, Ok(Outcome::StillValid { .. })));
    assert_eq!((ran.asked, sts.calls.borrow().len()), (0, 0));
    assert_eq!(files.credentials(), text);
}

#[test]
fn a_target_inside_min_remaining_or_forced_is_refreshed_in_place() {
    for (expires_at, force) in [(NOW + 600, false), (NOW + 3600, true)] {
        let text = format!(
            "{SOURCE}\n{}# after\n",
            managed("mfa", "default", expires_at)
        );
        let files = Files::new(&text, "");
        let settings = RefreshSettings {
            force,
            ..files.settings()
        };
        let ran = run(&settings, &FakeSts::new());
        assert!(
            matches!(ran.result, Ok(Outcome::Refreshed(_))),
            "{:?}",
            ran.result
        );
        assert_eq!(
            files.credentials(),
            format!("{SOURCE}\n[mfa]\n{WRITTEN}mfa_source_profile = default\n# after\n")
        );
    }
}

#[test]
fn a_named_target_refreshes_from_its_recorded_source() {
    let text = format!(
        "[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = GAHT12345678\nmfa_process = ykman oath code\n{}",
        managed("client", "work", NOW - 10)
    );
    let files = Files::new(&text, "");
    let settings = RefreshSettings {
        target: Some(ProfileName::new("client").unwrap()),
        ..files.settings()
    };
    let sts = FakeSts::new();
    let ran = run(&settings, &sts);
    let Ok(Outcome::Refreshed(done)) = ran.result else {
        panic!("{:?}", ran.result)
    };
    assert_eq!(done.source.as_str(), "work");
    assert_eq!(sts.calls.borrow()[0].0, "AKIAWORKEXAMPLE");
    assert_eq!(ran.profile_commands, [Some("ykman oath code".to_owned())]);
}

#[test]
fn aws_profile_selects_a_managed_target_or_the_target_of_a_source() {
    let text = format!(
        "{SOURCE}[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = GAHT12345678\n{}",
        managed("work-mfa", "work", NOW - 10)
    );
    for (env, target) in [
        ("work-mfa", "work-mfa"),
        ("work", "work-mfa"),
        ("nope", "mfa"),
    ] {
        let files = Files::new(&text, "");
        let settings = RefreshSettings {
            aws_profile: Some(env.into()),
            ..files.settings()
        };
        let Ok(Outcome::Refreshed(done)) = run(&settings, &FakeSts::new()).result else {
            panic!("{env}")
        };
        assert_eq!(done.target.as_str(), target, "AWS_PROFILE={env}");
    }
}

#[test]
fn assume_role_is_requested_recorded_and_repeated() {
    let files = Files::new(SOURCE, "");
    let settings = RefreshSettings {
        source: Some(ProfileName::default_profile()),
        target: Some(ProfileName::new("admin").unwrap()),
        role: RoleSettings {
            arn: Some("arn:aws:iam::123456789012:role/admin".parse().unwrap()),
            session_name: None,
            external_id: Some("partner-42".parse().unwrap()),
        },
        ..files.settings()
    };
    let sts = FakeSts::new();
    assert!(run(&settings, &sts).result.is_ok());
    let text = files.credentials();
    assert!(
        text.ends_with("mfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_external_id = partner-42\n"),
        "{text}"
    );
    // Again, from the record alone: same role, same external ID, 1 h by default.
    let again = RefreshSettings {
        role: RoleSettings::default(),
        force: true,
        ..settings
    };
    assert!(run(&again, &sts).result.is_ok());
    let calls = sts.calls.borrow();
    let role = calls[1].1.role.as_ref().expect("the recorded role");
    assert_eq!(role.arn.as_str(), "arn:aws:iam::123456789012:role/admin");
    assert_eq!(role.session_name.as_str(), "mfa-profile-default");
    assert_eq!(role.external_id.as_ref().unwrap().as_str(), "partner-42");
    assert_eq!(calls[1].1.duration.secs(), 3600);
}

#[test]
fn an_assume_role_duration_over_12h_is_refused_before_the_code() {
    let files = Files::new(SOURCE, "");
    let settings = RefreshSettings {
        source: Some(ProfileName::default_profile()),
        target: Some(ProfileName::new("admin").unwrap()),
        role: RoleSettings {
            arn: Some("arn:aws:iam::123456789012:role/admin".parse().unwrap()),
            session_name: None,
            external_id: None,
        },
        duration: Some("13h".parse().unwrap()),
        ..files.settings()
    };
    let ran = run(&settings, &FakeSts::new());
    let error = ran.result.unwrap_err().to_string();
    assert!(error.contains("an assumed role"), "{error}");
    assert_eq!(ran.asked, 0);
}

/// Every refusal happens before the code is asked for, and leaves both files as they were.
#[test]
fn refusals_come_before_the_code_and_change_nothing() {
    let long_term =
        format!("{SOURCE}[mfa]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n");
    let no_serial = "[default]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n";
    let bad_duration = format!("{SOURCE}duration_seconds = 60\n");
    let bad_region = format!("{SOURCE}region = Mars 1\n");
    let bad_recorded_role = format!(
        "{SOURCE}{}mfa_role_arn = not-an-arn\n",
        managed("mfa", "default", 0)
    );
    let cases: [(&str, &str, &str); 7] = [
        (
            "long-term target",
            &long_term,
            "refusing to overwrite [mfa]",
        ),
        ("no serial", no_serial, "no MFA device for [default]"),
        (
            "duration from the profile",
            &bad_duration,
            "duration_seconds in [default]: duration 1m is outside",
        ),
        (
            "region from the profile",
            &bad_region,
            "region in [default]: region `Mars 1`",
        ),
        (
            "recorded role",
            &bad_recorded_role,
            "mfa_role_arn in [mfa]: `not-an-arn` is not a role ARN",
        ),
        (
            "source missing",
            "[other]\nk = v\n",
            "source profile [default] is in neither",
        ),
        (
            "duplicate target",
            &format!("{SOURCE}[mfa]\n[mfa]\n"),
            "[mfa] appears twice",
        ),
    ];
    for (name, text, message) in cases {
        let files = Files::new(text, "# config\n");
        let sts = FakeSts::new();
        let ran = run(&files.settings(), &sts);
        let error = ran.result.expect_err(name).to_string();
        assert!(error.contains(message), "{name}: {error}");
        assert_eq!((ran.asked, sts.calls.borrow().len()), (0, 0), "{name}");
        assert_eq!(files.credentials(), text, "{name}");
        assert_eq!(files.config(), "# config\n", "{name}");
    }
    let files = Files::new(SOURCE, "");
    let settings = RefreshSettings {
        source: Some(ProfileName::new("other").unwrap()),
        target: Some(ProfileName::new("other").unwrap()),
        ..files.settings()
    };
    let error = run(&settings, &FakeSts::new()).result.unwrap_err();
    assert!(matches!(error, Error::SameProfile(_)), "{error}");
}

#[test]
fn an_sts_failure_or_a_bad_answer_leaves_the_file_untouched() {
    let expired = SessionCredentials {
        expires_at: NOW - 1,
        ..session()
    };
    for answer in [Err(StsError::CodeRejected), Ok(expired)] {
        let files = Files::new(SOURCE, "");
        let ran = run(&files.settings(), &FakeSts::answering(answer));
        assert!(ran.result.is_err());
        assert_eq!(files.credentials(), SOURCE);
    }
}

#[test]
fn a_file_changed_during_the_call_is_read_again_and_kept() {
    let files = Files::new(SOURCE, "");
    let path = files.dir.path().join("credentials");
    let mut sts = FakeSts::new();
    let meanwhile_path = path.clone();
    sts.meanwhile = Some(Box::new(move || {
        let mut text = std::fs::read_to_string(&meanwhile_path).unwrap();
        text.push_str("[added]\nk = v\n");
        std::fs::write(&meanwhile_path, text).unwrap();
    }));
    assert!(run(&files.settings(), &sts).result.is_ok());
    assert_eq!(
        files.credentials(),
        format!("{SOURCE}[added]\nk = v\n\n[mfa]\n{WRITTEN}mfa_source_profile = default\n")
    );
}

#[test]
fn the_sources_region_is_carried_to_the_config_once_and_said() {
    let files = Files::new(SOURCE, "");
    std::fs::write(
        files.dir.path().join("config"),
        "[default]\nregion = eu-west-1\n",
    )
    .unwrap();
    let ran = run(&files.settings(), &FakeSts::new());
    assert!(ran.result.is_ok());
    assert_eq!(
        files.config(),
        "[default]\nregion = eu-west-1\n\n[profile mfa]\nregion = eu-west-1\n"
    );
    assert!(
        matches!(&ran.notices[..], [Notice::Info(text)] if text.contains("added region = eu-west-1"))
    );
    let settings = RefreshSettings {
        force: true,
        ..files.settings()
    };
    let again = run(&settings, &FakeSts::new());
    assert!(again.notices.is_empty(), "said once: {:?}", again.notices);
    let off = Files::new(SOURCE, "[default]\nregion = eu-west-1\n");
    let settings = RefreshSettings {
        carry_region: false,
        ..off.settings()
    };
    assert!(run(&settings, &FakeSts::new()).result.is_ok());
    assert_eq!(off.config(), "[default]\nregion = eu-west-1\n");
}

#[cfg(unix)]
#[test]
fn a_loose_mode_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let files = Files::new(SOURCE, "");
    let path: &std::path::Path = &files.dir.path().join("credentials");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let ran = run(&files.settings(), &FakeSts::new());
    assert!(ran.result.is_ok());
    assert!(
        matches!(&ran.notices[..], [Notice::Warning(text)] if text.contains("can be read by other users (mode 644)")),
        "{:?}",
        ran.notices
    );
}

#[test]
fn a_device_that_sent_a_code_in_this_window_makes_the_next_code_wait_for_the_next_window() {
    let text = format!(
        "{SOURCE}[work]\naws_access_key_id = AKIAWORKEXAMPLE\naws_secret_access_key = w\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
    );
    let files = Files::new(&text, "");
    let first = run(&files.settings(), &FakeSts::new());
    assert!(first.result.is_ok());
    assert_eq!(
        first.windows,
        [None],
        "a device with no record sends at once"
    );
    let other_target = RefreshSettings {
        source: Some(ProfileName::new("work").unwrap()),
        ..files.settings()
    };
    let second = run(&other_target, &FakeSts::new());
    // NOW = 1_800_000_000 is a window's start: the next starts 30 s later (+2 s of grace).
    assert_eq!(second.windows, [Some(NOW + 32)]);
    let other_device = RefreshSettings {
        serial: Some("GAHT12345678".parse().unwrap()),
        force: true,
        ..files.settings()
    };
    assert_eq!(run(&other_device, &FakeSts::new()).windows, [None]);
}

#[test]
fn a_rejected_code_is_not_recorded_as_sent_but_a_code_sts_may_have_spent_is() {
    let files = Files::new(SOURCE, "");
    let rejected = run(
        &files.settings(),
        &FakeSts::answering(Err(StsError::CodeRejected)),
    );
    assert!(rejected.result.is_err());
    let timed_out = run(
        &files.settings(),
        &FakeSts::answering(Err(StsError::Timeout("https://sts".into(), 12))),
    );
    assert_eq!(
        timed_out.windows,
        [None],
        "the rejected code left no record"
    );
    assert_eq!(
        files.credentials(),
        SOURCE,
        "nothing written by the failures"
    );
    let after_timeout = run(&files.settings(), &FakeSts::new());
    assert_eq!(after_timeout.windows, [Some(NOW + 32)]);
}

fn derived_settings(files: &Files) -> RefreshSettings {
    RefreshSettings {
        target: Some(ProfileName::new("admin").unwrap()),
        role: RoleSettings {
            arn: Some("arn:aws:iam::123456789012:role/admin".parse().unwrap()),
            ..RoleSettings::default()
        },
        via: Some(ProfileName::new("mfa").unwrap()),
        ..files.settings()
    }
}

#[test]
fn a_derived_target_assumes_its_role_with_the_bases_session_and_asks_no_code() {
    let text = format!("{SOURCE}{}", managed("mfa", "default", NOW + 7200));
    let files = Files::new(&text, "");
    let sts = FakeSts::new();
    let ran = run(&derived_settings(&files), &sts);
    let Ok(Outcome::Refreshed(done)) = &ran.result else {
        panic!("{:?}", ran.result)
    };
    assert_eq!(ran.asked, 0, "no code");
    assert_eq!(done.via.as_ref().map(ProfileName::as_str), Some("mfa"));
    let calls = sts.calls.borrow();
    assert_eq!(calls.len(), 1);
    let (key, request) = &calls[0];
    assert_eq!(key, "ASIAOLD", "signed with [mfa]'s session");
    assert!(request.mfa.is_none(), "no serial, no code");
    assert_eq!(
        request.role.as_ref().unwrap().arn.as_str(),
        "arn:aws:iam::123456789012:role/admin"
    );
    assert_eq!(request.duration.secs(), 3600);
    assert_eq!(
        files.credentials(),
        format!("{text}\n[admin]\n{WRITTEN}mfa_source_profile = default\nmfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_via = mfa\n")
    );
    drop(calls);
    // The next refresh of [admin] needs no --via: it is recorded.
    let again = RefreshSettings {
        target: Some(ProfileName::new("admin").unwrap()),
        force: true,
        ..files.settings()
    };
    let sts = FakeSts::new();
    assert!(run(&again, &sts).result.is_ok());
    assert!(sts.calls.borrow()[0].1.mfa.is_none());
}

#[test]
fn a_stale_base_is_refreshed_first_with_the_one_code_then_signs_the_role() {
    let text = format!("{SOURCE}{}", managed("mfa", "default", NOW - 60));
    let files = Files::new(&text, "");
    let sts = FakeSts::new();
    let ran = run(&derived_settings(&files), &sts);
    assert!(ran.result.is_ok(), "{:?}", ran.result);
    assert_eq!(ran.asked, 1, "one code, for [mfa]");
    let calls = sts.calls.borrow();
    let keys: Vec<&str> = calls.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["AKIAIOSFODNN7EXAMPLE", "ASIAFAKE0EXAMPLE"]);
    assert!(calls[0].1.role.is_none() && calls[0].1.mfa.is_some());
    assert!(ran
        .notices
        .iter()
        .any(|n| matches!(n, Notice::Info(t) if t.starts_with("refreshed [mfa] first"))));
}

/// Issue 22: AWS documents no cap of a chained role session at the calling session's expiry
/// (only the one-hour cap of role chaining), so none is applied.
#[test]
fn a_role_session_asks_its_hour_whatever_the_base_has_left() {
    let text = format!("{SOURCE}{}", managed("mfa", "default", NOW + 1800));
    let files = Files::new(&text, "");
    let sts = FakeSts::new();
    let ran = run(&derived_settings(&files), &sts);
    assert!(ran.result.is_ok(), "{:?}", ran.result);
    assert_eq!(sts.calls.borrow()[0].1.duration.secs(), 3600);
}

/// Issue 22: role chaining lasts at most 1h; `--via -d 4h` is refused before any call, with
/// the way to a longer session (a role target of its own).
#[test]
fn a_derived_target_asked_for_more_than_an_hour_is_refused_before_any_call() {
    let text = format!("{SOURCE}{}", managed("mfa", "default", NOW + 7200));
    let files = Files::new(&text, "");
    let sts = FakeSts::new();
    let settings = RefreshSettings {
        duration: Some("4h".parse().unwrap()),
        ..derived_settings(&files)
    };
    let ran = run(&settings, &sts);
    let error = ran.result.unwrap_err().to_string();
    assert!(
        error.contains("STS gives such a chained role session at most 1h"),
        "{error}"
    );
    assert!(
        error.ends_with("`mfa-profile -s default -t admin --role-arn arn:aws:iam::123456789012:role/admin -d 4h --force`"),
        "{error}"
    );
    assert_eq!((ran.asked, sts.calls.borrow().len()), (0, 0));
    assert_eq!(files.credentials(), text);
}

/// Issue 22: a derived target that records more than an hour (an older version wrote it, a
/// hand edit, in seconds or as `4h`) asks for 1h and says so; an unreadable length is refused
/// with its line, never ignored.
#[test]
fn a_recorded_length_over_an_hour_is_cut_to_it_and_an_unreadable_one_refused() {
    for recorded in ["14400", "4h"] {
        let text = format!(
            "{SOURCE}{}{}mfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_via = mfa\nmfa_duration = {recorded}\n",
            managed("mfa", "default", NOW + 7200),
            managed("admin", "default", NOW - 10),
        );
        let files = Files::new(&text, "");
        let sts = FakeSts::new();
        let settings = RefreshSettings {
            target: Some(ProfileName::new("admin").unwrap()),
            ..files.settings()
        };
        let ran = run(&settings, &sts);
        assert!(ran.result.is_ok(), "{recorded}: {:?}", ran.result);
        assert_eq!(sts.calls.borrow()[0].1.duration.secs(), 3600, "{recorded}");
        assert!(
            ran.notices.iter().any(|n| matches!(n, Notice::Warning(t) if t.contains("[admin] asks for 4h, but its role is assumed with [mfa]'s session"))),
            "{recorded}: {:?}",
            ran.notices
        );
    }
    let text = format!(
        "{SOURCE}{}{}mfa_role_arn = arn:aws:iam::123456789012:role/admin\nmfa_duration = 4 hours\n",
        managed("mfa", "default", NOW + 7200),
        managed("admin", "default", NOW - 10),
    );
    let files = Files::new(&text, "");
    let settings = RefreshSettings {
        target: Some(ProfileName::new("admin").unwrap()),
        ..files.settings()
    };
    let error = run(&settings, &FakeSts::new())
        .result
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("mfa_duration in [admin] of "), "{error}");
    assert!(
        error.contains(", line 19: `4 hours` is not a duration"),
        "{error}"
    );
}

#[test]
fn a_base_that_is_not_a_plain_mfa_session_is_refused_before_any_call() {
    let role_base = format!(
        "{SOURCE}{}mfa_role_arn = arn:aws:iam::123456789012:role/x\n",
        managed("mfa", "default", NOW + 7200)
    );
    for (text, why) in [
        (SOURCE.to_owned(), "it is not a target mfa-profile manages"),
        (role_base, "role chaining"),
    ] {
        let files = Files::new(&text, "");
        let sts = FakeSts::new();
        let ran = run(&derived_settings(&files), &sts);
        let error = ran.result.unwrap_err().to_string();
        assert!(
            error.starts_with("[admin] cannot derive from [mfa]: "),
            "{error}"
        );
        assert!(error.contains(why), "{error}");
        assert_eq!((ran.asked, sts.calls.borrow().len()), (0, 0));
        assert_eq!(files.credentials(), text);
    }
}
