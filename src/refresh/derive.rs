//! A derived target's refresh: its base (a managed GetSessionToken target) made fresh first,
//! asking its one code only when the base needs it, then the role assumed with the base's MFA
//! session (which carries `aws:MultiFactorAuthPresent`), no code sent.
//!
//! Invariant: one process at a time refreshes a derived target (the plan made again from the
//! file as the last holder left it); the role's session is at most 1h (role chaining, planned
//! so); the base is refreshed (with a code) only when it is stale, and when nobody can give
//! that code a base still valid signs as it is (a derived target is re-derived without a code
//! while its base is valid).

use super::commit::{commit, Writing};
use super::plan::Derived;
use super::{
    before_sts, checked_session, refresh, CodeSource, Outcome, RefreshSettings, RoleSettings,
    Services,
};
use crate::aws::sts::{self, SessionRequest, Signer};
use crate::error::Error;
use crate::fsio::device::HeldDevice;
use crate::input::keys::SessionCredentials;
use crate::input::SessionDuration;
use crate::profile::SharedDocuments;
use crate::text::notice::Notice;
use crate::text::time;

/// Refreshes the derived target `derived`, held (by [`super::carry_out`]) for this process.
pub(super) fn refresh_derived(
    settings: &RefreshSettings,
    derived: Derived,
    docs: SharedDocuments,
    held: Option<HeldDevice>,
    services: &mut Services<'_>,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    let base_session = fresh_base(settings, &derived, services, notices)?;
    before_sts(settings, derived.endpoint.as_ref(), notices);
    let duration = derived.duration;
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
    let session = checked_session(
        settings,
        services.sts,
        Signer::Session(&base_session),
        &request,
    )?;
    let recorded_duration = (derived.recorded_duration != SessionDuration::DEFAULT_ROLE)
        .then(|| derived.recorded_duration.secs());
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

/// The base's session, refreshed first when it is stale (by the usual margin). A role session
/// assumed with it may outlive it: AWS documents no cap at the calling session's expiry, only
/// the one-hour cap of role chaining.
fn fresh_base(
    settings: &RefreshSettings,
    derived: &Derived,
    services: &mut Services<'_>,
    notices: &mut dyn FnMut(Notice),
) -> Result<SessionCredentials, Error> {
    let base_settings = RefreshSettings {
        source: None,
        target: Some(derived.base.clone()),
        aws_profile: None,
        serial: None,
        duration: None,
        role: RoleSettings::default(),
        via: None,
        force: false,
        ..settings.clone()
    };
    let error = match refresh(&base_settings, services, notices) {
        Ok(Outcome::Refreshed(done)) => {
            notices(Notice::Info(format!(
                "refreshed [{}] first (valid until {}): [{}] is assumed with its session",
                done.target,
                time::human(done.session.expires_at),
                derived.target
            )));
            return Ok(done.session);
        }
        Ok(still_valid) => return still_valid.into_session(),
        // The base's code is asked for the derived target: a hint names the command that
        // renews both, not the base alone.
        Err(Error::NeedsCode { serial, why, .. }) => Error::NeedsCode {
            target: derived.target.to_string(),
            rerun: derived.rerun.clone(),
            serial,
            why,
        },
        Err(error) => return Err(error),
    };
    // Nobody can give the base's code now: while the base is still valid its session signs
    // the AssumeRole all the same (the role's session may outlive it).
    let still_signs = RefreshSettings {
        min_remaining: crate::input::Span::from_secs(BASE_STILL_SIGNS),
        ..base_settings
    };
    let mut no_code = Services {
        sts: services.sts,
        iam: services.iam,
        codes: &mut NoCode,
        keys: &mut *services.keys,
    };
    match refresh(&still_signs, &mut no_code, notices) {
        Ok(outcome @ Outcome::StillValid { expires_at, .. }) => {
            notices(Notice::Info(format!(
                "[{}] needs an MFA code to be refreshed and none can be asked for now; [{}] is assumed with its session, still valid until {}",
                derived.base,
                derived.target,
                time::human(expires_at)
            )));
            outcome.into_session()
        }
        _ => Err(error),
    }
}

/// The least a base must still be valid for (seconds) to sign a derived target's AssumeRole
/// when it cannot be refreshed.
const BASE_STILL_SIGNS: u32 = 60;

/// A code source with no code: the base's refresh is only planned again.
struct NoCode;

impl CodeSource for NoCode {
    fn code(&mut self, _request: &super::CodeRequest) -> Result<crate::input::MfaCode, Error> {
        Err(Error::CodeInput("no code is asked for twice".into()))
    }
}
