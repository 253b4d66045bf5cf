//! Which target a refresh writes and which source it reads, and whether the target may be left
//! alone.
//!
//! Invariant: a named target refreshes from the source recorded in it unless a source is
//! given, and a target with none recorded is given none by guess (only `[mfa]` is filled from
//! `[default]` unasked); `AWS_PROFILE` counts only when neither is named; the target is checked (readers
//! agree, no long-term keys) before anything else is read.

use super::super::{Outcome, RefreshSettings};
use super::Chosen;
use crate::error::Error;
use crate::profile::{
    create_hint, default_target, implicit_source, locate_target, meaning_of, stored_session,
    ProfileMeaning, ProfileName, SharedDocuments, TargetSummary,
};
use crate::text::notice::Notice;
use crate::text::shown::Shown;

/// Chooses the target and the source.
pub(super) fn choose(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    notices: &mut dyn FnMut(Notice),
) -> Result<Chosen, Error> {
    let path = &settings.files.credentials;
    let (named, source_from_env) = named_target(settings, docs, notices);
    let given_source = settings.source.clone().or(source_from_env);
    let target = match (&named, &given_source) {
        (Some(target), _) => target.clone(),
        (None, Some(source)) => default_target(source)?,
        (None, None) => ProfileName::new("mfa")?,
    };
    let found = locate_target(&docs.credentials, &target).map_err(Error::refused_in(path))?;
    let (at, summary) = match found {
        Some((id, summary)) => (Some(id), summary),
        None => (None, TargetSummary::default()),
    };
    if given_source.as_ref() == Some(&target) {
        return Err(Error::SameProfile(target.to_string()));
    }
    if summary.holds_long_term_keys() {
        return Err(Error::LongTermTarget {
            target: target.to_string(),
            path: path.clone(),
        });
    }
    // A named target refreshes from the source recorded in it, unless one is given; a target
    // with none recorded is never filled from a guessed source ([default] -> [mfa] aside), and
    // a derived one takes its base's.
    let recorded = summary.managed.as_ref().filter(|_| named.is_some());
    if let (Some(given), Some(managed)) = (&given_source, &summary.managed) {
        if managed.source != given.as_str() {
            notices(Notice::Warning(format!(
                "[{target}] was refreshed from [{}]; it is refreshed from [{given}] now, and from now on (it records mfa_source_profile = {given})",
                managed.source
            )));
        }
    }
    let source = match (given_source, recorded) {
        (Some(source), _) => source,
        (None, Some(managed)) => ProfileName::new(&managed.source)?,
        (None, None) => match implicit_source(&target) {
            Some(source) => source,
            None if settings.via.is_some() => ProfileName::default_profile(),
            None => {
                let state = if at.is_some() {
                    "holds no session mfa-profile wrote"
                } else {
                    "does not exist yet"
                };
                return Err(Error::NoSession {
                    target: target.to_string(),
                    path: path.clone(),
                    why: format!(
                        "{state}, and mfa-profile never guesses whose keys fill a new target; {}",
                        create_hint(&docs.credentials, &docs.config, &target)
                    ),
                });
            }
        },
    };
    if source == target {
        return Err(Error::SameProfile(source.to_string()));
    }
    Ok(Chosen {
        target,
        at,
        summary,
        source,
    })
}

/// The target named by `--target`, else what `AWS_PROFILE` names when neither `--source` nor
/// `--target` is given: a managed target, or a source (then its recorded target, and the
/// source itself when it has none yet). `AWS_PROFILE` naming anything else is said and left.
fn named_target(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    notices: &mut dyn FnMut(Notice),
) -> (Option<ProfileName>, Option<ProfileName>) {
    if let Some(target) = &settings.target {
        return (Some(target.clone()), None);
    }
    let Some(env) = settings.aws_profile.as_deref() else {
        return (None, None);
    };
    match meaning_of(&docs.credentials, &docs.config, env) {
        ProfileMeaning::ManagedTarget(target) => (Some(target), None),
        ProfileMeaning::Source {
            target: Some(target),
            ..
        } => (Some(target), None),
        ProfileMeaning::Source {
            source,
            target: None,
        } => (None, Some(source)),
        ProfileMeaning::Unmanaged(_) | ProfileMeaning::Missing => {
            notices(Notice::Warning(format!(
                "AWS_PROFILE={} names no profile mfa-profile manages or reads keys from in {} or {}; refreshing as if it were unset",
                env,
                Shown(&settings.files.credentials),
                Shown(&settings.files.config)
            )));
            (None, None)
        }
    }
}

/// The skip: a managed target from the same source, valid for longer than its refresh margin.
pub(super) fn still_valid(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    chosen: &Chosen,
) -> Option<Outcome> {
    let managed = chosen.summary.managed.as_ref()?;
    let expires_at = managed.expires_at?;
    let margin = managed.refresh_margin(i64::from(settings.min_remaining.secs()));
    let valid = !settings.force
        && managed.source == chosen.source.as_str()
        && expires_at - (settings.clock)() > margin;
    valid.then(|| Outcome::StillValid {
        target: chosen.target.clone(),
        source: chosen.source.clone(),
        expires_at,
        margin,
        serial: super::request::serial_for_display(docs, &chosen.source, managed),
        file: settings.files.credentials.clone(),
        session: stored_session(&docs.credentials, &chosen.target),
    })
}
