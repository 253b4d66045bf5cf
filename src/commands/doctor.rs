//! `doctor`: what the AWS tools will do with the shared files and this environment, explained
//! finding by finding, with what to do. No network.
//!
//! Invariant: pure: it reads only what it is handed (the parsed files, their modes, the
//! environment's variables, the time) and returns findings; it never writes.

use crate::commands::schedule::{log, span, Seen};
use crate::ini::Document;
use crate::profile::{
    find_section, unreadable, writable_dir_warning, FileKind, FileLocations, ManagedTarget,
    ACCESS_KEY_ID, SECRET_ACCESS_KEY,
};
use crate::text::shown::Shown;
use crate::text::time::{human, human_span};

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// How things are: nothing to do.
    Ok,
    /// Something to do in the normal course of things (an expired session).
    Note,
    /// Something is wrong: the tools will not do what you expect.
    Problem,
}

impl Level {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Note => "note",
            Level::Problem => "problem",
        }
    }
}

/// One finding: about what, what is so, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How much it matters.
    pub level: Level,
    /// What it is about: `environment`, a file, `[profile]`.
    pub subject: String,
    /// One sentence, with what to do when something is to be done.
    pub message: String,
}

/// What `doctor` looks at.
pub struct Examined<'a> {
    /// The shared files.
    pub files: &'a FileLocations,
    /// The credentials file, parsed (or why it could not be).
    pub credentials: Result<&'a Document, String>,
    /// The config file, parsed (or why it could not be).
    pub config: Result<&'a Document, String>,
    /// What the file system says of the credentials and the config file.
    pub on_disk: (OnDisk, OnDisk),
    /// The environment's variables.
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// Now, epoch seconds.
    pub now: i64,
    /// Only this profile, when one is named.
    pub profile: Option<&'a str>,
    /// What the state directory says of the background schedule (`None`: no state directory).
    pub schedule: Option<&'a Seen>,
}

/// What the file system says of one shared file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnDisk {
    /// It exists.
    pub exists: bool,
    /// Its permission bits (none on Windows).
    pub mode: Option<u32>,
    /// The directory holding it and that directory's permission bits, when users other than
    /// its owner may write there (and so replace the file).
    pub dir_writable_by_others: Option<(std::path::PathBuf, u32)>,
}

/// Everything `doctor` finds, the most important first within each subject.
pub fn examine(input: &Examined) -> Vec<Finding> {
    let mut found = Vec::new();
    environment(input, &mut found);
    files(input, &mut found);
    profiles(input, &mut found);
    schedule(input, &mut found);
    found
}

fn finding(found: &mut Vec<Finding>, level: Level, subject: &str, message: String) {
    found.push(Finding {
        level,
        subject: subject.to_owned(),
        message,
    });
}

/// Variables that change which credentials the tools use.
fn environment(input: &Examined, found: &mut Vec<Finding>) {
    let var = |name: &str| (input.var)(name).filter(|v| !v.is_empty());
    let env = "environment";
    if var("AWS_ACCESS_KEY_ID").is_some() || var("AWS_SECRET_ACCESS_KEY").is_some() {
        finding(found, Level::Problem, env, "AWS_ACCESS_KEY_ID is set: the SDKs and `AWS_PROFILE=NAME aws ...` use it instead of any profile (only `aws --profile NAME` ignores it); run `unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`".into());
    } else if var("AWS_SESSION_TOKEN").is_some() {
        finding(found, Level::Problem, env, "AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID: a leftover of an old session; run `unset AWS_SESSION_TOKEN`".into());
    }
    if var("AWS_ROLE_ARN").is_some() && var("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() {
        finding(found, Level::Problem, env, "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are set: the SDKs assume that role instead of using a profile's keys; unset them outside CI".into());
    }
    let profile = var("AWS_PROFILE");
    let default_profile = var("AWS_DEFAULT_PROFILE");
    if let Some(legacy) = &default_profile {
        if profile.as_ref() != Some(legacy) {
            finding(found, Level::Problem, env, format!("AWS_DEFAULT_PROFILE={legacy} is set: the AWS CLI prefers it to AWS_PROFILE, the SDKs ignore it; run `unset AWS_DEFAULT_PROFILE` and use AWS_PROFILE"));
        }
    }
    match &profile {
        Some(name) => finding(
            found,
            Level::Ok,
            env,
            format!("AWS_PROFILE={name}: the tools use profile [{name}] unless told otherwise"),
        ),
        None => finding(
            found,
            Level::Ok,
            env,
            "AWS_PROFILE is not set: the tools use profile [default] unless told otherwise".into(),
        ),
    }
    for (name, file) in [
        ("AWS_SHARED_CREDENTIALS_FILE", &input.files.credentials),
        ("AWS_CONFIG_FILE", &input.files.config),
    ] {
        if var(name).is_some() {
            finding(
                found,
                Level::Ok,
                env,
                format!("{name} is set: the tools read {}", Shown(file)),
            );
        }
    }
}

/// The files: readable by every tool, private when they hold keys, keys where they belong.
fn files(input: &Examined, found: &mut Vec<Finding>) {
    for (path, doc, on_disk) in [
        (
            &input.files.credentials,
            &input.credentials,
            &input.on_disk.0,
        ),
        (&input.files.config, &input.config, &input.on_disk.1),
    ] {
        let subject = Shown(path).to_string();
        if let Some((dir, mode)) = &on_disk.dir_writable_by_others {
            finding(
                found,
                Level::Problem,
                &subject,
                writable_dir_warning(dir, *mode, path),
            );
        }
        if !on_disk.exists && doc.is_ok() {
            let what = if path == &input.files.credentials {
                "no profile has keys yet; `mfa-profile setup` asks for your IAM user's access key and writes it here"
            } else {
                "the tools take regions and settings from it; mfa-profile adds the target's region there after a refresh"
            };
            finding(
                found,
                Level::Note,
                &subject,
                format!("does not exist: {what}"),
            );
            continue;
        }
        let mode = on_disk.mode;
        let doc = match doc {
            Ok(doc) => doc,
            Err(why) => {
                finding(
                    found,
                    Level::Problem,
                    &subject,
                    format!("{why}; the SDKs cannot use any profile while this stands"),
                );
                continue;
            }
        };
        for problem in unreadable(doc) {
            finding(found, Level::Problem, &subject, problem.warning(path, None));
        }
        let holds_keys = doc.sections().any(|s| s.get(SECRET_ACCESS_KEY).is_some());
        if let (true, Some(mode)) = (holds_keys, mode) {
            if mode & 0o077 != 0 {
                finding(found, Level::Problem, &subject, format!("it holds secret keys and other users can read it (mode {mode:o}); run `chmod 600 {subject}`"));
            }
        }
    }
    if let Ok(config) = &input.config {
        for section in config.sections() {
            if section.get(ACCESS_KEY_ID).is_some() && section.get(SECRET_ACCESS_KEY).is_some() {
                let name = FileKind::Config
                    .sdk_profile(&section)
                    .unwrap_or(section.name());
                finding(found, Level::Problem, &format!("[{name}]"), format!("long-term keys in the config file ({}, line {}): the credentials file is the place for them (the tools look there first and keep it private); move them", Shown(&input.files.config), section.line()));
            }
        }
    }
}

/// How each profile gets its credentials, for the AWS CLI and for the SDKs.
fn profiles(input: &Examined, found: &mut Vec<Finding>) {
    let (Ok(credentials), Ok(config)) = (&input.credentials, &input.config) else {
        return;
    };
    let mut names: Vec<String> = Vec::new();
    for (doc, kind) in [
        (credentials, FileKind::Credentials),
        (config, FileKind::Config),
    ] {
        for section in doc.sections() {
            if let Some(name) = kind.sdk_profile(&section) {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
        }
    }
    if let Some(only) = input.profile {
        if !names.iter().any(|n| n == only) {
            finding(
                found,
                Level::Problem,
                &format!("[{only}]"),
                format!(
                    "no such profile in {} or {}; the profiles are: {}",
                    Shown(&input.files.credentials),
                    Shown(&input.files.config),
                    names.join(", ")
                ),
            );
            return;
        }
        names.retain(|n| n == only);
    }
    let sources = crate::profile::long_term_profiles(credentials, config);
    let recorded: Vec<ManagedTarget> = crate::profile::managed_targets(credentials);
    for name in &names {
        let profile = Profile::read(credentials, config, name);
        sources_of(&profile, name, found);
        unsendable_keys(credentials, config, name, found);
        managed_state(input, credentials, name, found);
        let is_source = sources.contains(name) || recorded.iter().any(|t| &t.source == name);
        if is_source {
            serial_of_source(input, credentials, config, name, &recorded, found);
        }
    }
}

/// Keys of profile `name` that no request can carry (a control character, a letter outside
/// ASCII in a key id or token): the SDKs' signer panics on them, so they are a problem
/// whatever else is right.
fn unsendable_keys(
    credentials: &Document,
    config: &Document,
    name: &str,
    found: &mut Vec<Finding>,
) {
    let Ok(profile) = crate::profile::ProfileName::new(name) else {
        return;
    };
    for (doc, kind) in [
        (credentials, FileKind::Credentials),
        (config, FileKind::Config),
    ] {
        let Ok(Some(id)) = find_section(doc, kind, &profile) else {
            continue;
        };
        let section = doc.section(id);
        let value = |key| section.get(key).unwrap_or_default().to_owned();
        let session = crate::input::keys::SessionCredentials {
            access_key_id: value(ACCESS_KEY_ID),
            secret_access_key: crate::input::keys::Secret::new(value(SECRET_ACCESS_KEY)),
            session_token: crate::input::keys::Secret::new(value("aws_session_token")),
            expires_at: 0,
        };
        if let Some(key) = session.unsendable() {
            finding(found, Level::Problem, &format!("[{name}]"), format!("its {key} holds a character no request can carry (a control character, or a letter outside ASCII in a key id or token); the AWS SDKs cannot sign with it (the Rust SDK panics): retype the key"));
            return;
        }
    }
}

/// The MFA device a source's refreshes use, and where it comes from.
fn serial_of_source(
    input: &Examined,
    credentials: &Document,
    config: &Document,
    name: &str,
    recorded: &[ManagedTarget],
    found: &mut Vec<Finding>,
) {
    let subject = format!("[{name}]");
    let Ok(profile) = crate::profile::ProfileName::new(name) else {
        return;
    };
    // The credentials file wins key by key, as for the SDKs.
    let files = [
        (credentials, FileKind::Credentials, &input.files.credentials),
        (config, FileKind::Config, &input.files.config),
    ];
    for key in ["mfa_serial", "aws_mfa_device"] {
        for (doc, kind, path) in files {
            let Ok(Some(id)) = find_section(doc, kind, &profile) else {
                continue;
            };
            if let Some(serial) = doc.section(id).get(key).filter(|v| !v.is_empty()) {
                let note = if key == "aws_mfa_device" {
                    " (aws-mfa's key; `aws configure set mfa_serial` makes it every tool's)"
                } else {
                    ""
                };
                finding(
                    found,
                    Level::Ok,
                    &subject,
                    format!(
                        "a source: its MFA device is {serial}, from {key} in {}{note}",
                        Shown(path)
                    ),
                );
                return;
            }
        }
    }
    if let Some(serial) = recorded
        .iter()
        .filter(|t| t.source == name)
        .find_map(|t| t.serial_number.clone())
    {
        finding(found, Level::Ok, &subject, format!("a source: its MFA device is {serial}, recorded in its target (given with --serial-number)"));
        return;
    }
    let set_device =
        format!("aws configure set mfa_serial arn:aws:iam::ACCOUNT_ID:mfa/DEVICE --profile {name}");
    // Keys without MFA are common (a CI user): only a source a target relies on is a problem.
    if recorded.iter().any(|t| t.source == name) {
        finding(
            found,
            Level::Problem,
            &subject,
            format!("a source with no MFA device: run `{set_device}`"),
        );
    } else {
        finding(
            found,
            Level::Note,
            &subject,
            format!("long-term keys with no MFA device; to use it as a source, first run `{set_device}`"),
        );
    }
}

/// What a profile holds, both files merged, as far as choosing credentials goes.
#[derive(Default)]
struct Profile {
    keys_in_credentials: bool,
    keys_in_config: bool,
    role_arn: bool,
    web_identity: bool,
    sso: bool,
    login_session: bool,
    credential_process: bool,
    credential_source: bool,
}

impl Profile {
    fn read(credentials: &Document, config: &Document, name: &str) -> Profile {
        let mut p = Profile::default();
        let Ok(name) = crate::profile::ProfileName::new(name) else {
            return p;
        };
        for (doc, kind) in [
            (credentials, FileKind::Credentials),
            (config, FileKind::Config),
        ] {
            let Ok(Some(id)) = find_section(doc, kind, &name) else {
                continue;
            };
            let section = doc.section(id);
            let has = |key: &str| section.get(key).is_some_and(|v| !v.is_empty());
            let keys = has(ACCESS_KEY_ID) && has(SECRET_ACCESS_KEY);
            match kind {
                FileKind::Credentials => p.keys_in_credentials |= keys,
                FileKind::Config => p.keys_in_config |= keys,
            }
            p.role_arn |= has("role_arn");
            p.web_identity |= has("web_identity_token_file");
            p.sso |= has("sso_session") || has("sso_start_url");
            p.login_session |= has("login_session");
            p.credential_process |= has("credential_process");
            p.credential_source |= has("credential_source");
        }
        p
    }

    /// What `aws --profile NAME` uses (botocore's order: role, web identity, SSO, the
    /// credentials file's keys, login, process, the config file's keys).
    fn aws_cli(&self) -> Option<&'static str> {
        [
            (self.role_arn && !self.web_identity, "the role in role_arn"),
            (
                self.web_identity && self.role_arn,
                "web identity (web_identity_token_file)",
            ),
            (self.sso, "IAM Identity Center (sso_*)"),
            (self.keys_in_credentials, "the keys in the credentials file"),
            (
                self.login_session,
                "the `aws login` session (login_session)",
            ),
            (self.credential_process, "credential_process"),
            (self.keys_in_config, "the keys in the config file"),
        ]
        .into_iter()
        .find_map(|(has, what)| has.then_some(what))
    }

    /// What the SDKs use (aws-config's order: role, credential source, web identity, SSO,
    /// login, process, then keys from either file).
    fn sdks(&self) -> Option<&'static str> {
        [
            (self.role_arn && !self.web_identity, "the role in role_arn"),
            (self.credential_source, "credential_source"),
            (
                self.web_identity && self.role_arn,
                "web identity (web_identity_token_file)",
            ),
            (self.sso, "IAM Identity Center (sso_*)"),
            (
                self.login_session,
                "the `aws login` session (login_session)",
            ),
            (self.credential_process, "credential_process"),
            (self.keys_in_credentials, "the keys in the credentials file"),
            (self.keys_in_config, "the keys in the config file"),
        ]
        .into_iter()
        .find_map(|(has, what)| has.then_some(what))
    }
}

fn sources_of(profile: &Profile, name: &str, found: &mut Vec<Finding>) {
    let subject = format!("[{name}]");
    match (profile.aws_cli(), profile.sdks()) {
        (Some(cli), Some(sdks)) if cli != sdks => finding(found, Level::Problem, &subject, format!("the AWS CLI uses {cli}, the SDKs use {sdks}: keep one way of signing in per profile (remove the other, or use another profile name)")),
        (Some(both), _) => finding(found, Level::Ok, &subject, format!("signs with {both}")),
        (None, _) => finding(found, Level::Ok, &subject, "holds no credentials (settings only, or a profile mfa-profile has not written yet)".into()),
    }
}

fn managed_state(input: &Examined, credentials: &Document, name: &str, found: &mut Vec<Finding>) {
    let Ok(profile) = crate::profile::ProfileName::new(name) else {
        return;
    };
    let Ok(Some(id)) = find_section(credentials, FileKind::Credentials, &profile) else {
        return;
    };
    let Some(target) = ManagedTarget::read(&credentials.section(id)) else {
        return;
    };
    let subject = format!("[{name}]");
    match target.expires_at {
        Some(at) if at > input.now => finding(found, Level::Ok, &subject, format!("a session from [{}], valid for {} (until {})", target.source, human_span(at - input.now), human(at))),
        Some(at) => finding(found, Level::Note, &subject, format!("the session from [{}] expired on {}; run `mfa-profile -t {name}`", target.source, human(at))),
        None => finding(found, Level::Note, &subject, format!("a session from [{}] with no readable expiration; run `mfa-profile -t {name} --force`", target.source)),
    }
}

/// The background job: installed or not, for these files or others, and how its last run went
/// (or that it has not run for longer than it should have).
fn schedule(input: &Examined, found: &mut Vec<Finding>) {
    const SUBJECT: &str = "schedule";
    let Some(seen) = input.schedule else {
        return;
    };
    let Some(record) = &seen.record else {
        finding(
            found,
            Level::Ok,
            SUBJECT,
            "no background job is installed; `mfa-profile schedule install` keeps the managed targets fresh (it refreshes every 10m what expires within 30m)".into(),
        );
        return;
    };
    let job = &record.job;
    finding(
        found,
        Level::Ok,
        SUBJECT,
        format!(
            "{} runs every {}, refreshing what expires within {} in {} and {}",
            record.kind.describe(),
            span(job.every),
            span(job.ahead),
            Shown(std::path::Path::new(&job.credentials)),
            Shown(std::path::Path::new(&job.config))
        ),
    );
    if std::path::Path::new(&job.credentials) != input.files.credentials {
        finding(
            found,
            Level::Note,
            SUBJECT,
            format!(
                "the background job refreshes {}, not {}: the targets here are not kept fresh (install the schedule again with these files for that)",
                Shown(std::path::Path::new(&job.credentials)),
                Shown(&input.files.credentials)
            ),
        );
    }
    // A run more than three periods (and five minutes) late is one that did not happen.
    let overdue = i64::from(job.every.secs()) * 3 + 300;
    let last = seen.last_run.first().map(|e| e.run_started);
    let since = last.unwrap_or(record.installed_at);
    if input.now - since > overdue {
        let said = match last {
            Some(at) => format!(
                "its last run was at {} ({} ago)",
                human(at),
                human_span(input.now - at)
            ),
            None => format!(
                "it was installed at {} and has not run since",
                human(record.installed_at)
            ),
        };
        finding(found, Level::Problem, SUBJECT, format!("{said}, though it runs every {}: is it still installed and enabled? `mfa-profile schedule status` says what the system says", span(job.every)));
        return;
    }
    let Some(at) = last else {
        finding(found, Level::Ok, SUBJECT, "it has not run yet".into());
        return;
    };
    let when = format!("{} ({} ago)", human(at), human_span(input.now - at));
    let mut troubled = false;
    for entry in seen.last_run.iter().filter(|e| e.outcome.needs_attention()) {
        troubled = true;
        let level = if entry.outcome == log::Outcome::Failed {
            Level::Problem
        } else {
            Level::Note
        };
        finding(
            found,
            level,
            SUBJECT,
            format!(
                "its last run, at {when}, left [{}] {}: {}",
                entry.target,
                entry.outcome.word(),
                entry.detail
            ),
        );
    }
    if !troubled {
        finding(
            found,
            Level::Ok,
            SUBJECT,
            format!("its last run, at {when}: {}", log::summary(&seen.last_run)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::schedule::log::{Entry, Outcome};
    use crate::commands::schedule::record::Record;

    fn findings(seen: &Seen, now: i64) -> Vec<Finding> {
        let files = FileLocations {
            credentials: "/home/alice/.aws/credentials".into(),
            config: "/home/alice/.aws/config".into(),
        };
        let doc = Document::empty();
        let input = Examined {
            files: &files,
            credentials: Ok(&doc),
            config: Ok(&doc),
            on_disk: (OnDisk::default(), OnDisk::default()),
            var: &|_| None,
            now,
            profile: None,
            schedule: Some(seen),
        };
        let mut found = Vec::new();
        schedule(&input, &mut found);
        found
    }

    fn installed(at: i64, last_run: Vec<Entry>) -> Seen {
        Seen {
            record: Some(Record {
                kind: crate::commands::schedule::Kind::Cron,
                job: crate::commands::schedule::sample_job(),
                installed_at: at,
                definitions: Vec::new(),
            }),
            last_run,
        }
    }

    fn entry(at: i64, outcome: Outcome) -> Entry {
        Entry {
            run_started: at,
            pid: 1,
            target: "mfa".into(),
            outcome,
            detail: "d".into(),
        }
    }

    #[test]
    fn the_schedule_is_said_installed_or_not_and_its_last_run() {
        let now = 1_800_000_000;
        let none = findings(&Seen::default(), now);
        assert_eq!(none.len(), 1);
        assert!(none[0].message.contains("`mfa-profile schedule install`"));
        let fine = findings(
            &installed(now - 7200, vec![entry(now - 300, Outcome::Valid)]),
            now,
        );
        assert!(fine.iter().all(|f| f.level == Level::Ok), "{fine:?}");
        assert!(fine[1].message.contains("its last run, at"), "{fine:?}");
        assert!(fine[1].message.ends_with(": [mfa] valid"), "{fine:?}");
        let failed = findings(
            &installed(now - 7200, vec![entry(now - 300, Outcome::Failed)]),
            now,
        );
        assert_eq!(failed.last().unwrap().level, Level::Problem);
        let notified = findings(
            &installed(now - 7200, vec![entry(now - 300, Outcome::Notified)]),
            now,
        );
        assert_eq!(notified.last().unwrap().level, Level::Note);
    }

    #[test]
    fn a_job_that_stopped_running_is_a_problem() {
        let now = 1_800_000_000;
        let stale = findings(
            &installed(now - 86_400, vec![entry(now - 3 * 3600, Outcome::Valid)]),
            now,
        );
        let last = stale.last().unwrap();
        assert_eq!(last.level, Level::Problem);
        assert!(
            last.message.contains("though it runs every 10m"),
            "{last:?}"
        );
        let never = findings(&installed(now - 3600, Vec::new()), now);
        assert!(never.last().unwrap().message.contains("has not run since"));
        let new = findings(&installed(now - 60, Vec::new()), now);
        assert_eq!(new.last().unwrap().message, "it has not run yet");
    }
}
