//! `rotate`: a source's long-term access key replaced by a new one, in IAM and in every
//! section of both shared files that holds it.
//!
//! The order, and what a failure at each point leaves (the same sentence the error gives):
//!
//! 1. ListAccessKeys; at IAM's limit of two keys, an inactive other key is deleted only when
//!    the user confirms (`--yes`, or on a terminal); an active one stops the rotation.
//! 2. The source's section records when the rotation started (`mfa_rotation_started`), then
//!    CreateAccessKey is sent (once). The new secret is saved at once in the source's section
//!    as `mfa_new_access_key_id`/`mfa_new_secret_access_key` (beside `mfa_old_access_key_id`),
//!    before anything else can fail; if that write fails, the new key is deleted again. A key
//!    IAM created after the recorded start and nobody saved (a crash, a lost answer) is
//!    deleted by the next run.
//! 3. The new key is checked with GetCallerIdentity until it answers as the same IAM user
//!    (new keys take seconds to work everywhere). Until then the files use the old key.
//! 4. Every section of both files holding the old key id gets the new key (the file without
//!    the record first); the record keeps only `mfa_old_access_key_id`.
//! 5. The old key is made Inactive in IAM, and deleted with `--delete`.
//! 6. The record is removed.
//!
//! Invariant: at every point the files hold a key that works, the new secret is never only in
//! memory once IAM has answered and the save succeeded, and the record in the source's section
//! says what is left to do: `rotate` run again finishes a rotation that stopped.

mod files;
mod state;

use crate::aws::iam::{Iam, IamError, KeyStatus, Signer};
use crate::error::key_error::KeyError;
use crate::error::Error;
use crate::fsio::failpoint;
use crate::input::keys::{LongTermKeys, SessionCredentials};
use crate::profile::{FileKind, FileLocations, ProfileName, RotationRecord};
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use files::path_of;
use std::time::Duration;

/// What a rotation was asked to do.
#[derive(Clone, Debug)]
pub struct RotateSettings {
    /// The shared files.
    pub files: FileLocations,
    /// The source profile whose key is rotated.
    pub source: ProfileName,
    /// Delete the old key once it is inactive (`--delete`).
    pub delete_old: bool,
    /// How long to wait for the new key to work.
    pub wait_for_new_key: Duration,
    /// Now, epoch seconds.
    pub now: i64,
}

/// What a rotation asks of the process around it.
pub trait RotateHelp {
    /// A valid MFA session of the source's IAM user `user` (refreshing one, with a code, when
    /// needed): under AWS's force-MFA policy the access-key calls need MFA.
    fn session(&mut self, user: &str) -> Result<SessionCredentials, Error>;
    /// Whether the user agrees to `question` (`--yes`, or an answer on a terminal).
    fn confirm(&mut self, question: &str) -> Result<bool, Error>;
    /// Waits `duration` (while a new key propagates).
    fn wait(&mut self, duration: Duration);
}

/// How a rotation ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rotated {
    /// The IAM user.
    pub user: String,
    /// The key replaced.
    pub old: String,
    /// The key now in use.
    pub new: String,
    /// True when the old key was deleted, false when it is inactive.
    pub deleted: bool,
    /// True when this run finished a rotation an earlier run had started.
    pub resumed: bool,
}

/// Everything a rotation works with once the local checks passed.
struct Rotation<'a> {
    settings: &'a RotateSettings,
    iam: &'a dyn Iam,
    help: &'a mut dyn RotateHelp,
    notices: &'a mut dyn FnMut(Notice),
    user: String,
    user_arn: String,
    session: SessionCredentials,
    record_file: FileKind,
}

/// Rotates the source's key, or finishes a rotation that stopped.
pub fn rotate(
    settings: &RotateSettings,
    iam: &dyn Iam,
    help: &mut dyn RotateHelp,
    notices: &mut dyn FnMut(Notice),
) -> Result<Rotated, Error> {
    let situation = state::read(settings)?;
    let (mut run, current) = start(settings, iam, help, notices, &situation)?;
    match situation.record {
        None => {
            let new = run.create(&current)?;
            run.finish(&current.access_key_id, &new, false)
        }
        Some(RotationRecord::Started { since }) => {
            run.say(Notice::Info(format!(
                "an earlier rotation of [{}] stopped while IAM was creating its new key; starting again",
                settings.source
            )));
            run.remove_unsaved_keys(&current, since)?;
            let new = run.create(&current)?;
            run.finish(&current.access_key_id, &new, true)
        }
        Some(RotationRecord::Pending { new, old }) => {
            (run.notices)(Notice::Info(format!(
                "an earlier rotation of [{}] created {} and saved it; checking it and going on",
                settings.source, new.access_key_id
            )));
            run.finish(&old, &new, true)
        }
        Some(RotationRecord::Replaced { old }) => {
            (run.notices)(Notice::Info(format!(
                "an earlier rotation of [{}] put {} in place of {old}; retiring {old} in IAM",
                settings.source, current.access_key_id
            )));
            run.retire(&old, &current.access_key_id, true)
        }
    }
}

/// Who the user is (signed by the key in use) and a session: the network part of the start.
fn start<'a>(
    settings: &'a RotateSettings,
    iam: &'a dyn Iam,
    help: &'a mut dyn RotateHelp,
    notices: &'a mut dyn FnMut(Notice),
    situation: &state::Situation,
) -> Result<(Rotation<'a>, LongTermKeys), Error> {
    let current = situation.keys.clone();
    let caller = iam.caller(Signer::LongTerm(&current))?;
    let user = crate::refresh::discover::user_of_caller(&caller, &settings.source)?;
    let session = help.session(&user)?;
    Ok((
        Rotation {
            settings,
            iam,
            help,
            notices,
            user,
            user_arn: caller.arn,
            session,
            record_file: situation.record_file,
        },
        current,
    ))
}

impl Rotation<'_> {
    fn say(&mut self, notice: Notice) {
        (self.notices)(notice);
    }

    fn signer(&self) -> Signer<'_> {
        Signer::Session(&self.session)
    }

    fn source(&self) -> &ProfileName {
        &self.settings.source
    }

    fn record_path(&self) -> String {
        Shown(&path_of(self.settings, self.record_file)).to_string()
    }

    /// Makes room if IAM's limit is reached, creates the new key and saves it.
    fn create(&mut self, current: &LongTermKeys) -> Result<LongTermKeys, Error> {
        let unchanged = "nothing changed: IAM and the files are as before".to_owned();
        let stopped = |failed: String, state: &str| -> Error {
            KeyError::RotationStopped {
                failed,
                state: state.to_owned(),
            }
            .into()
        };
        let keys = self
            .iam
            .access_keys(self.signer(), &self.user)
            .map_err(|e| stopped(e.to_string(), &unchanged))?;
        if !keys.iter().any(|k| k.id == current.access_key_id) {
            return Err(KeyError::RotateRefused(format!(
                "IAM does not list the key of [{}] ({}) among the keys of user {}",
                self.source(),
                current.access_key_id,
                self.user
            ))
            .into());
        }
        for other in keys.iter().filter(|k| k.id != current.access_key_id) {
            self.make_room(other)?;
        }
        files::save_started(
            self.settings,
            self.record_file,
            &current.access_key_id,
            self.settings.now,
        )
        .map_err(|e| stopped(e.to_string(), &unchanged))?;
        let new = self
            .iam
            .create_access_key(self.signer(), &self.user)
            .map_err(|e| match e {
                IamError::Timeout { .. } | IamError::Unreachable { .. } => stopped(e.to_string(), &format!(
                    "IAM may or may not have created a key (the answer was lost); the files still use the old key and record when the rotation started, so `mfa-profile rotate -s {}` run again deletes such a key and starts over", self.source()
                )),
                e => {
                    let state = match files::clear(self.settings, self.record_file, &current.access_key_id) {
                        Ok(()) => unchanged.clone(),
                        Err(_) => format!(
                            "IAM is as before, and so are the files but for mfa_rotation_started in [{source}], which the next `mfa-profile rotate -s {source}` or `mfa-profile rotate -s {source} --cleanup` removes", source = self.source()
                        ),
                    };
                    stopped(e.to_string(), &state)
                }
            })?;
        failpoint::step("rotate-after-create")
            .map_err(|why| KeyError::RotateRefused(why).into())
            .and_then(|()| {
                files::save_pending(
                    self.settings,
                    self.record_file,
                    &current.access_key_id,
                    &new,
                )
            })
            .map_err(|error| self.undo_create(&new, &current.access_key_id, &error))?;
        self.say(Notice::Info(format!(
            "created access key {} for IAM user {} and saved it in [{}] of {} until it is checked",
            new.access_key_id,
            self.user,
            self.source(),
            self.record_path()
        )));
        failpoint::step("rotate-after-save").map_err(KeyError::RotateRefused)?;
        Ok(new)
    }

    /// The other key at IAM's limit: an inactive one is deleted if the user agrees.
    fn make_room(&mut self, other: &crate::aws::iam::AccessKeyInfo) -> Result<(), Error> {
        let created = other.created.map_or_else(
            || "at an unknown date".to_owned(),
            |c| format!("on {}", crate::text::time::human(c)),
        );
        if other.status == KeyStatus::Active {
            return Err(KeyError::RotateRefused(format!(
                "IAM user {user} already has the two access keys IAM allows, and the other one, {id} (created {created}), is active and not the key of [{source}]: something may use it; if nothing does, deactivate it (`aws iam update-access-key --user-name {user} --access-key-id {id} --status Inactive`) and run rotate again",
                user = self.user,
                id = other.id,
                source = self.source(),
            ))
            .into());
        }
        let question = format!(
            "IAM user {} has two access keys, IAM's limit; the other one, {} (created {created}), is inactive. Delete it to make room for the new key?",
            self.user, other.id
        );
        if !self.help.confirm(&question)? {
            return Err(KeyError::RotateRefused(format!(
                "IAM user {} has two access keys, IAM's limit, and the inactive one ({}) was not deleted; nothing changed (pass --yes to delete it)",
                self.user, other.id
            ))
            .into());
        }
        self.iam
            .delete_access_key(self.signer(), &self.user, &other.id)?;
        self.say(Notice::Info(format!(
            "deleted the inactive access key {} of IAM user {}",
            other.id, self.user
        )));
        Ok(())
    }

    /// Deletes the keys IAM created for the user since `since` (a minute of clock skew
    /// allowed) that the files do not hold: an earlier run's, whose secret was never saved, so
    /// nothing can be using them.
    fn remove_unsaved_keys(&mut self, current: &LongTermKeys, since: i64) -> Result<(), Error> {
        let keys = self.iam.access_keys(self.signer(), &self.user)?;
        for key in keys {
            let unsaved = key.id != current.access_key_id
                && key.created.is_some_and(|created| created >= since - 60);
            if !unsaved {
                continue;
            }
            self.iam
                .delete_access_key(self.signer(), &self.user, &key.id)?;
            self.say(Notice::Info(format!(
                "deleted {}, the key the interrupted rotation had IAM create (on {}), whose secret was never saved",
                key.id,
                key.created.map(crate::text::time::human).unwrap_or_default()
            )));
        }
        Ok(())
    }

    /// The save failed: the new key goes again, so that no key exists whose secret nobody has.
    fn undo_create(&self, new: &LongTermKeys, old: &str, error: &Error) -> Error {
        let failed = format!(
            "the new key {} could not be saved in {} ({error})",
            new.access_key_id,
            self.record_path()
        );
        let state = match self
            .iam
            .delete_access_key(self.signer(), &self.user, &new.access_key_id)
        {
            Ok(()) => {
                let _ = files::clear(self.settings, self.record_file, old);
                "so it was deleted again: IAM and the files are as before".to_owned()
            }
            Err(e) => format!(
                "and deleting it again failed too ({e}): IAM holds an extra active key nobody has the secret of; delete it with `aws iam delete-access-key --user-name {} --access-key-id {}`; the files are as before",
                self.user, new.access_key_id
            ),
        };
        KeyError::RotationStopped { failed, state }.into()
    }

    /// Checks the new key, puts it in place, retires the old one.
    fn finish(&mut self, old: &str, new: &LongTermKeys, resumed: bool) -> Result<Rotated, Error> {
        let pending_state = format!(
            "IAM holds both keys active; the files still use the old key {old}, and [{}] in {} keeps the new one (mfa_new_access_key_id); run `mfa-profile rotate -s {}` again to finish",
            self.source(),
            self.record_path(),
            self.source()
        );
        let waited = self.verify(new).map_err(|why| KeyError::RotationStopped {
            failed: format!(
                "the new key {} does not work yet ({why})",
                new.access_key_id
            ),
            state: pending_state.clone(),
        })?;
        self.say(Notice::Info(format!(
            "the new key {} works (GetCallerIdentity answered as {} after {waited} s)",
            new.access_key_id, self.user
        )));
        failpoint::step("rotate-after-verify").map_err(KeyError::RotateRefused)?;
        let rewritten = files::swap(self.settings, self.record_file, old, new).map_err(|stopped| {
            let state = if stopped.done.is_empty() {
                pending_state.clone()
            } else {
                format!(
                    "IAM holds both keys active; {} already uses the new key, the rest still the old one (both work); run `mfa-profile rotate -s {}` again to finish",
                    stopped.done.iter().map(|p| Shown(p).to_string()).collect::<Vec<_>>().join(" and "),
                    self.source()
                )
            };
            KeyError::RotationStopped {
                failed: format!("putting the new key in place failed ({})", stopped.error),
                state,
            }
        })?;
        self.say(Notice::Info(format!(
            "{} now use{} {}",
            rewritten.join(", "),
            if rewritten.len() == 1 { "s" } else { "" },
            new.access_key_id
        )));
        failpoint::step("rotate-after-swap").map_err(KeyError::RotateRefused)?;
        self.retire(old, &new.access_key_id, resumed)
    }

    /// Waits for the new key to answer as the same user; the seconds waited, or why not.
    fn verify(&mut self, new: &LongTermKeys) -> Result<u64, String> {
        let budget = self.settings.wait_for_new_key;
        let mut waited = Duration::ZERO;
        let mut delay = Duration::from_secs(1);
        loop {
            let why = match self.iam.caller(Signer::LongTerm(new)) {
                Ok(caller) if caller.arn == self.user_arn => return Ok(waited.as_secs()),
                Ok(caller) => format!(
                    "GetCallerIdentity with it answered {} instead of {}",
                    caller.arn, self.user_arn
                ),
                Err(e) if e.may_pass_later() => e.to_string(),
                Err(e) => return Err(e.to_string()),
            };
            if waited + delay > budget {
                return Err(format!("after {} s: {why}", waited.as_secs()));
            }
            self.help.wait(delay);
            waited += delay;
            delay = (delay * 2).min(Duration::from_secs(4));
        }
    }

    /// Deactivates (and with `--delete` deletes) the old key, then removes the record.
    fn retire(&mut self, old: &str, new: &str, resumed: bool) -> Result<Rotated, Error> {
        let source = self.source().clone();
        let gone = match self.iam.deactivate_access_key(self.signer(), &self.user, old) {
            Ok(()) => false,
            Err(IamError::NoSuchEntity { .. }) => true,
            Err(e) => {
                return Err(KeyError::RotationStopped {
                    failed: format!("deactivating the old key {old} failed ({e})"),
                    state: format!(
                        "the files use the new key {new}, and the old key {old} is still active in IAM; run `mfa-profile rotate -s {source}` again to retire it"
                    ),
                }
                .into())
            }
        };
        failpoint::step("rotate-after-deactivate").map_err(KeyError::RotateRefused)?;
        let deleted = gone || (self.settings.delete_old && self.delete_old(old, new)?);
        if let Err(error) = files::clear(self.settings, self.record_file, new) {
            self.say(Notice::Warning(format!(
                "the rotation is done, but mfa_old_access_key_id could not be removed from [{source}] in {}: {error}; remove that line by hand",
                self.record_path()
            )));
        }
        Ok(Rotated {
            user: self.user.clone(),
            old: old.to_owned(),
            new: new.to_owned(),
            deleted,
            resumed,
        })
    }

    fn delete_old(&mut self, old: &str, new: &str) -> Result<bool, Error> {
        match self.iam.delete_access_key(self.signer(), &self.user, old) {
            Ok(()) | Err(IamError::NoSuchEntity { .. }) => Ok(true),
            Err(e) => Err(KeyError::RotationStopped {
                failed: format!("deleting the old key {old} failed ({e})"),
                state: format!(
                    "the files use the new key {new}, and the old key {old} is inactive in IAM but not deleted; run `mfa-profile rotate -s {} --cleanup` to delete it",
                    self.source()
                ),
            }
            .into()),
        }
    }
}

/// What `rotate --cleanup` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanedUp {
    /// The IAM user.
    pub user: String,
    /// The keys deleted.
    pub deleted: Vec<String>,
}

/// Deletes the user's inactive keys (the old key a rotation deactivated), after finishing the
/// retirement of an old key the record names. Refuses while a new key is still unchecked.
pub fn cleanup(
    settings: &RotateSettings,
    iam: &dyn Iam,
    help: &mut dyn RotateHelp,
    notices: &mut dyn FnMut(Notice),
) -> Result<CleanedUp, Error> {
    let situation = state::read(settings)?;
    if let Some(RotationRecord::Pending { new, .. }) = &situation.record {
        return Err(KeyError::RotateRefused(format!(
            "a rotation of [{}] is half done (the new key {} is saved but not yet in use); run `mfa-profile rotate -s {}` to finish it first",
            settings.source, new.access_key_id, settings.source
        ))
        .into());
    }
    let (mut run, current) = start(settings, iam, help, notices, &situation)?;
    match &situation.record {
        Some(RotationRecord::Replaced { old }) => {
            run.retire(old, &current.access_key_id, true)?;
        }
        Some(RotationRecord::Started { since }) => {
            run.remove_unsaved_keys(&current, *since)?;
            files::clear(settings, run.record_file, &current.access_key_id)?;
        }
        _ => {}
    }
    let mut deleted = Vec::new();
    for key in run.iam.access_keys(run.signer(), &run.user)? {
        if key.id == current.access_key_id || key.status == KeyStatus::Active {
            continue;
        }
        run.iam
            .delete_access_key(run.signer(), &run.user, &key.id)?;
        (run.notices)(Notice::Info(format!(
            "deleted the inactive access key {} of IAM user {}",
            key.id, run.user
        )));
        deleted.push(key.id);
    }
    Ok(CleanedUp {
        user: run.user,
        deleted,
    })
}

#[cfg(test)]
mod tests;
