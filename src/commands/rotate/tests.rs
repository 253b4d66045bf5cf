//! The rotation's steps against a fake IAM held in memory (no network): what each step sends,
//! in which order, and what the files and IAM hold after a success or a failure at each point.

use super::*;
use crate::aws::iam::{AccessKeyInfo, Caller, LastUsed};
use crate::input::keys::Secret;
use std::cell::RefCell;

const OLD: &str = "AKIAOLDKEYEXAMPLE000";
const OLD_SECRET: &str = "oldSecret/EXAMPLE+key0123456789abcdefghi";
const NEW: &str = "AKIANEWKEYEXAMPLE000";
const NEW_SECRET: &str = "newSecret/EXAMPLE+key0123456789abcdefghi";
const ARN: &str = "arn:aws:iam::123456789012:user/alice";

/// IAM for user alice, in memory: her keys, the calls made, and faults to answer.
#[derive(Default)]
struct FakeIam {
    keys: RefCell<Vec<AccessKeyInfo>>,
    calls: RefCell<Vec<String>>,
    /// GetCallerIdentity with the new key answers "unknown" this many more times.
    new_key_unknown_for: RefCell<usize>,
    /// CreateAccessKey answers this error (once).
    create_fails: RefCell<Option<IamError>>,
}

impl FakeIam {
    fn with_keys(keys: &[(&str, KeyStatus)]) -> FakeIam {
        let iam = FakeIam::default();
        *iam.keys.borrow_mut() = keys
            .iter()
            .map(|(id, status)| AccessKeyInfo {
                id: (*id).to_owned(),
                status: *status,
                created: Some(1_700_000_000),
            })
            .collect();
        iam
    }

    fn call(&self, what: &str) {
        self.calls.borrow_mut().push(what.to_owned());
    }

    fn key_states(&self) -> Vec<(String, KeyStatus)> {
        self.keys
            .borrow()
            .iter()
            .map(|k| (k.id.clone(), k.status))
            .collect()
    }
}

fn signer_key(signer: Signer) -> String {
    match signer {
        Signer::LongTerm(keys) => keys.access_key_id.clone(),
        Signer::Session(session) => session.access_key_id.clone(),
    }
}

impl Iam for FakeIam {
    fn caller(&self, signer: Signer) -> Result<Caller, IamError> {
        let key = signer_key(signer);
        self.call(&format!("GetCallerIdentity {key}"));
        let mut unknown = self.new_key_unknown_for.borrow_mut();
        if key == NEW && *unknown > 0 {
            *unknown -= 1;
            return Err(IamError::UnknownKey {
                action: "GetCallerIdentity",
            });
        }
        let known = self
            .keys
            .borrow()
            .iter()
            .any(|k| k.id == key && k.status == KeyStatus::Active);
        if !known {
            return Err(IamError::UnknownKey {
                action: "GetCallerIdentity",
            });
        }
        Ok(Caller {
            arn: ARN.into(),
            account: "123456789012".into(),
        })
    }

    fn access_keys(&self, _signer: Signer, user: &str) -> Result<Vec<AccessKeyInfo>, IamError> {
        self.call(&format!("ListAccessKeys {user}"));
        Ok(self.keys.borrow().clone())
    }

    fn create_access_key(&self, _signer: Signer, user: &str) -> Result<LongTermKeys, IamError> {
        self.call(&format!("CreateAccessKey {user}"));
        if let Some(error) = self.create_fails.borrow_mut().take() {
            return Err(error);
        }
        self.keys.borrow_mut().push(AccessKeyInfo {
            id: NEW.into(),
            status: KeyStatus::Active,
            created: Some(1_800_000_000),
        });
        Ok(LongTermKeys {
            access_key_id: NEW.into(),
            secret_access_key: Secret::new(NEW_SECRET),
        })
    }

    fn deactivate_access_key(
        &self,
        _signer: Signer,
        _user: &str,
        id: &str,
    ) -> Result<(), IamError> {
        self.call(&format!("UpdateAccessKey {id} Inactive"));
        for key in self.keys.borrow_mut().iter_mut().filter(|k| k.id == id) {
            key.status = KeyStatus::Inactive;
        }
        Ok(())
    }

    fn delete_access_key(&self, _signer: Signer, _user: &str, id: &str) -> Result<(), IamError> {
        self.call(&format!("DeleteAccessKey {id}"));
        self.keys.borrow_mut().retain(|k| k.id != id);
        Ok(())
    }

    fn last_used(&self, _signer: Signer, _id: &str) -> Result<LastUsed, IamError> {
        Ok(LastUsed::default())
    }

    fn mfa_devices(&self, _signer: Signer, _user: &str) -> Result<Vec<String>, IamError> {
        Ok(Vec::new())
    }
}

/// The process around the rotation: an MFA session at hand, a fixed answer to questions, and
/// the waits recorded instead of slept.
struct FakeHelp {
    yes: bool,
    asked: Vec<String>,
    waited: Vec<Duration>,
}

impl FakeHelp {
    fn answering(yes: bool) -> FakeHelp {
        FakeHelp {
            yes,
            asked: Vec::new(),
            waited: Vec::new(),
        }
    }
}

impl RotateHelp for FakeHelp {
    fn session(&mut self, _user: &str) -> Result<SessionCredentials, Error> {
        Ok(SessionCredentials {
            access_key_id: "ASIASESSIONEXAMPLE00".into(),
            secret_access_key: Secret::new("sessionsecret"),
            session_token: Secret::new("sessiontoken"),
            expires_at: 4_000_000_000,
        })
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        self.asked.push(question.to_owned());
        Ok(self.yes)
    }

    fn wait(&mut self, duration: Duration) {
        self.waited.push(duration);
    }
}

/// The two shared files in a temp dir: `[default]` with the old key in the credentials file,
/// and a second section holding it too.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("credentials"),
            format!("# my keys\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n\n[copy]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n"),
        )
        .unwrap();
        std::fs::write(dir.path().join("config"), "[default]\nregion = eu-west-1\n").unwrap();
        Files { dir }
    }

    fn settings(&self, delete_old: bool) -> RotateSettings {
        RotateSettings {
            files: FileLocations {
                credentials: self.dir.path().join("credentials"),
                config: self.dir.path().join("config"),
            },
            source: ProfileName::default_profile(),
            delete_old,
            wait_for_new_key: Duration::from_secs(30),
            now: 1_800_000_000,
        }
    }

    fn credentials(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("credentials")).unwrap()
    }
}

fn run(files: &Files, iam: &FakeIam, help: &mut FakeHelp, delete: bool) -> Result<Rotated, Error> {
    rotate(&files.settings(delete), iam, help, &mut |_| {})
}

#[test]
fn a_rotation_creates_waits_for_swaps_everywhere_then_retires_the_old_key() {
    let files = Files::new();
    let iam = FakeIam::with_keys(&[(OLD, KeyStatus::Active)]);
    *iam.new_key_unknown_for.borrow_mut() = 2;
    let mut help = FakeHelp::answering(false);
    let rotated = run(&files, &iam, &mut help, false).unwrap();
    assert_eq!(
        (rotated.old.as_str(), rotated.new.as_str(), rotated.deleted),
        (OLD, NEW, false)
    );
    assert_eq!(
        *iam.calls.borrow(),
        [
            format!("GetCallerIdentity {OLD}"),
            "ListAccessKeys alice".to_owned(),
            "CreateAccessKey alice".to_owned(),
            format!("GetCallerIdentity {NEW}"),
            format!("GetCallerIdentity {NEW}"),
            format!("GetCallerIdentity {NEW}"),
            format!("UpdateAccessKey {OLD} Inactive"),
        ]
    );
    assert_eq!(
        help.waited,
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert_eq!(
        files.credentials(),
        format!("# my keys\n[default]\naws_access_key_id = {NEW}\naws_secret_access_key = {NEW_SECRET}\n\n[copy]\naws_access_key_id = {NEW}\naws_secret_access_key = {NEW_SECRET}\n"),
        "both sections, nothing else, no record left"
    );
    assert_eq!(
        iam.key_states(),
        [
            (OLD.to_owned(), KeyStatus::Inactive),
            (NEW.to_owned(), KeyStatus::Active)
        ]
    );
}

#[test]
fn with_delete_the_old_key_goes() {
    let files = Files::new();
    let iam = FakeIam::with_keys(&[(OLD, KeyStatus::Active)]);
    let rotated = run(&files, &iam, &mut FakeHelp::answering(false), true).unwrap();
    assert!(rotated.deleted);
    assert_eq!(iam.key_states(), [(NEW.to_owned(), KeyStatus::Active)]);
    assert!(iam
        .calls
        .borrow()
        .contains(&format!("DeleteAccessKey {OLD}")));
}

#[test]
fn at_iams_limit_an_inactive_other_key_goes_only_when_the_user_agrees() {
    const OTHER: &str = "AKIAOTHERKEYEXAMPLE0";
    let files = Files::new();
    let before = files.credentials();
    let iam = FakeIam::with_keys(&[(OLD, KeyStatus::Active), (OTHER, KeyStatus::Inactive)]);
    let mut help = FakeHelp::answering(false);
    let error = run(&files, &iam, &mut help, false).unwrap_err();
    assert_eq!(help.asked.len(), 1, "asked once: {error}");
    assert!(
        !iam.calls
            .borrow()
            .iter()
            .any(|c| c.starts_with("CreateAccessKey")),
        "{error}"
    );
    assert_eq!(files.credentials(), before, "nothing written");

    let mut help = FakeHelp::answering(true);
    run(&files, &iam, &mut help, false).unwrap();
    assert!(iam
        .calls
        .borrow()
        .contains(&format!("DeleteAccessKey {OTHER}")));
    assert!(iam.key_states().iter().all(|(id, _)| id != OTHER));
}

#[test]
fn at_iams_limit_an_active_other_key_stops_the_rotation_before_anything_is_created() {
    const OTHER: &str = "AKIAOTHERKEYEXAMPLE0";
    let files = Files::new();
    let before = files.credentials();
    let iam = FakeIam::with_keys(&[(OLD, KeyStatus::Active), (OTHER, KeyStatus::Active)]);
    let mut help = FakeHelp::answering(true);
    run(&files, &iam, &mut help, false).unwrap_err();
    assert!(!iam
        .calls
        .borrow()
        .iter()
        .any(|c| c.starts_with("CreateAccessKey")));
    assert!(iam
        .calls
        .borrow()
        .iter()
        .all(|c| !c.starts_with("DeleteAccessKey")));
    assert_eq!(files.credentials(), before);
}

#[test]
fn a_failed_create_is_sent_once_and_the_files_keep_the_old_key() {
    let files = Files::new();
    let iam = FakeIam::with_keys(&[(OLD, KeyStatus::Active)]);
    *iam.create_fails.borrow_mut() = Some(IamError::Service {
        action: "CreateAccessKey",
        code: "ServiceFailure".into(),
        message: "try again".into(),
    });
    run(&files, &iam, &mut FakeHelp::answering(false), false).unwrap_err();
    let creates = iam
        .calls
        .borrow()
        .iter()
        .filter(|c| c.starts_with("CreateAccessKey"))
        .count();
    assert_eq!(creates, 1, "never sent twice");
    let text = files.credentials();
    assert!(
        text.contains(&format!("aws_access_key_id = {OLD}")),
        "{text}"
    );
    assert!(!text.contains(NEW), "{text}");
}

#[test]
fn a_new_key_that_never_works_in_time_leaves_the_files_on_the_old_key_and_the_record_to_finish() {
    let files = Files::new();
    let iam = FakeIam::with_keys(&[(OLD, KeyStatus::Active)]);
    *iam.new_key_unknown_for.borrow_mut() = 100;
    let error = run(&files, &iam, &mut FakeHelp::answering(false), false).unwrap_err();
    assert!(error.to_string().contains("rotate -s default"), "{error}");
    let text = files.credentials();
    assert!(
        !text.contains(&format!("aws_access_key_id = {NEW}")),
        "{text}"
    );
    assert_eq!(
        text.matches(&format!("aws_access_key_id = {OLD}")).count(),
        2,
        "{text}"
    );
    assert!(
        text.contains(&format!("mfa_new_access_key_id = {NEW}")),
        "the record: {text}"
    );
    assert_eq!(
        iam.key_states()[0],
        (OLD.to_owned(), KeyStatus::Active),
        "old still active"
    );
    // The next run finishes it once the key works.
    *iam.new_key_unknown_for.borrow_mut() = 0;
    let rotated = run(&files, &iam, &mut FakeHelp::answering(false), false).unwrap();
    assert!(rotated.resumed);
    assert!(
        !files.credentials().contains(OLD),
        "{}",
        files.credentials()
    );
}
