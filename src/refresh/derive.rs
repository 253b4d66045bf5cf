//! A derived target's refresh: its base (a managed GetSessionToken target) made fresh first,
//! asking its one code only when the base needs it, then the role assumed with the base's MFA
//! session (which carries `aws:MultiFactorAuthPresent`), no code sent.
//!
//! Invariant: one process at a time refreshes a derived target (the plan made again from the
//! file as the last holder left it); the role's session never outlives the base's: the
//! duration asked is capped at the base's remaining time, and said when it is; the base is
//! refreshed (with a code) only when it is stale or would leave the role less than STS's
//! shortest session.

use super::commit::{commit, Writing};
use super::plan::Derived;
use super::{
    before_sts, checked_session, refresh, CodeSource, Outcome, RefreshSettings, RoleSettings,
};
use crate::device::HeldDevice;
use crate::error::Error;
use crate::input::{SessionDuration, Span, MIN_DURATION};
use crate::keys::SessionCredentials;
use crate::notice::Notice;
use crate::profile::SharedDocuments;
use crate::sts::{self, SessionRequest, Signer, Sts};
use crate::time;

/// Slack kept between the base's expiry and the shortest session STS grants a role.
const BASE_SLACK_SECS: i64 = 60;

/// Refreshes the derived target `derived`, held (by [`super::carry_out`]) for this process.
pub(super) fn refresh_derived(
    settings: &RefreshSettings,
    derived: Derived,
    docs: SharedDocuments,
    held: Option<HeldDevice>,
    sts: &dyn Sts,
    codes: &mut dyn CodeSource,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    let base_session = fresh_base(settings, &derived, sts, codes, notices)?;
    before_sts(settings, derived.endpoint.as_ref(), notices);
    let duration = capped(
        &derived,
        base_session.expires_at - (settings.clock)(),
        notices,
    );
    let trust = sts::roots_for([derived.endpoint.as_ref().map(|e| &e.url)], &derived.trust)?;
    let request = SessionRequest {
        mfa: None,
        duration,
        region: derived.region.clone(),
        endpoint: derived.endpoint.as_ref().map(|e| e.url.clone()),
        role: Some(derived.role.request.clone()),
        trust,
        options: derived.options.clone(),
    };
    let session = checked_session(settings, sts, Signer::Session(&base_session), &request)?;
    let recorded_duration =
        (derived.duration != SessionDuration::DEFAULT_ROLE).then(|| derived.duration.secs());
    let writing = Writing {
        target: &derived.target,
        at: derived.at,
        source: &derived.source,
        role: Some(derived.role.recorded()),
        serial: None,
        duration: recorded_duration,
        via: Some(&derived.base),
        carry_region: derived.carry_region.as_ref(),
    };
    let done = commit(settings, &writing, docs.credentials, session, notices)?;
    drop(held);
    Ok(Outcome::Refreshed(done))
}

/// The base's session, refreshed first when it is stale, or when it would leave the role less
/// than STS's shortest session (then once more, forced).
fn fresh_base(
    settings: &RefreshSettings,
    derived: &Derived,
    sts: &dyn Sts,
    codes: &mut dyn CodeSource,
    notices: &mut dyn FnMut(Notice),
) -> Result<SessionCredentials, Error> {
    let shortest = i64::from(MIN_DURATION) + BASE_SLACK_SECS;
    let mut force = false;
    loop {
        let base_settings = RefreshSettings {
            source: None,
            target: Some(derived.base.clone()),
            aws_profile: None,
            serial: None,
            duration: None,
            role: RoleSettings::default(),
            via: None,
            force,
            ..settings.clone()
        };
        let session = match refresh(&base_settings, sts, codes, notices)? {
            Outcome::Refreshed(done) => {
                notices(Notice::Info(format!(
                    "refreshed [{}] first (valid until {}): [{}] is assumed with its session",
                    done.target,
                    time::human_utc(done.session.expires_at),
                    derived.target
                )));
                done.session
            }
            still_valid => still_valid.into_session()?,
        };
        if force || session.expires_at - (settings.clock)() >= shortest {
            return Ok(session);
        }
        force = true;
    }
}

/// The duration to ask for: the one planned, or the base's remaining time when that is
/// shorter (said), never under STS's shortest.
fn capped(derived: &Derived, base_left: i64, notices: &mut dyn FnMut(Notice)) -> SessionDuration {
    let asked = i64::from(derived.duration.secs());
    if base_left >= asked {
        return derived.duration;
    }
    let left = u32::try_from(base_left.max(i64::from(MIN_DURATION))).unwrap_or(MIN_DURATION);
    notices(Notice::Info(format!(
        "[{}] gets {} rather than {}: a role's session cannot outlive [{}]'s, which ends then",
        derived.target,
        time::human_span(i64::from(left)),
        time::human_span(asked),
        derived.base
    )));
    SessionDuration::new(Span::from_secs(left)).unwrap_or(derived.duration)
}
