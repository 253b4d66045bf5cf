//! The plan of a refresh: which target and source, whether the target may be skipped, and the
//! STS request to make, decided from the parsed files and the settings alone.
//!
//! Invariant: pure (no I/O; the time is `settings.clock`'s); every refusal a refresh can make
//! without STS is made here.

mod choose;
mod derived;
mod request;

pub(super) use derived::Derived;
pub(crate) use request::call_region;

use super::{Outcome, RefreshSettings};
use crate::aws::sts::{
    CustomEndpoint, MfaAnswer, RoleRequest, SessionRequest, TrustChoice, TrustRoots,
};
use crate::aws::CallOptions;
use crate::error::Error;
use crate::ini::SectionId;
use crate::input::{
    ExternalId, MfaCode, MfaSerial, PromptKind, Region, RoleSessionName, SessionDuration,
};
use crate::profile::{ProfileName, RecordedRole, SharedDocuments, SourceKeys, TargetSummary};
use crate::text::notice::Notice;

/// The target and source of a refresh, the target located and checked.
pub(in crate::refresh) struct Chosen {
    pub target: ProfileName,
    pub at: Option<SectionId>,
    pub summary: TargetSummary,
    pub source: ProfileName,
}

/// What to do.
pub(super) enum Plan {
    /// Nothing: the target is still valid.
    Skip(Outcome),
    /// Call STS, then write.
    Call(Call),
    /// Assume the role with the base's MFA session, then write.
    Derive(Derived),
}

impl Plan {
    /// What a refresh that calls STS holds for this process, and what it says while it waits
    /// for another: the MFA device of a call, the target of a derived refresh.
    pub(in crate::refresh) fn lock(&self) -> Option<(String, String)> {
        match self {
            Plan::Skip(_) => None,
            Plan::Call(call) => Some((
                call.serial.as_str().to_owned(),
                format!("waiting for another mfa-profile that is using MFA device {} (asking for its code or calling STS)", call.serial),
            )),
            Plan::Derive(derived) => Some((
                format!("derived-{}", derived.target),
                format!("waiting for another mfa-profile that is refreshing [{}]", derived.target),
            )),
        }
    }
}

/// A refresh that goes to STS: everything but the code.
pub(super) struct Call {
    /// The command that asks for this refresh again (for hints).
    pub rerun: String,
    pub target: ProfileName,
    /// The target section, when it exists.
    pub at: Option<SectionId>,
    pub source: ProfileName,
    pub keys: SourceKeys,
    pub serial: MfaSerial,
    /// Record the serial in the target: it was given, not found in the source.
    pub record_serial: bool,
    pub duration: SessionDuration,
    pub region: Region,
    pub role: Option<PlannedRole>,
    /// `mfa_process` of the source.
    pub profile_command: Option<String>,
    /// `mfa_prompt` of the source.
    pub prompt: Option<PromptKind>,
    /// The source's own region, to add to the target's config profile.
    pub carry_region: Option<Region>,
    pub endpoint: Option<CustomEndpoint>,
    /// The certificates an https endpoint is trusted by.
    pub trust: TrustChoice,
    /// FIPS, dual-stack, the app id.
    pub options: CallOptions,
}

/// The role to assume, and what of it the target records.
pub(super) struct PlannedRole {
    pub request: RoleRequest,
    /// The session name, recorded only when the user chose it.
    pub chosen_session_name: Option<RoleSessionName>,
}

impl Call {
    /// The STS request, with the code and the certificates loaded.
    pub fn request(&self, code: MfaCode, trust: TrustRoots) -> SessionRequest {
        SessionRequest {
            mfa: Some(MfaAnswer {
                serial: self.serial.clone(),
                code,
            }),
            duration: self.duration,
            region: self.region.clone(),
            endpoint: self.endpoint.as_ref().map(|e| e.url.clone()),
            role: self.role.as_ref().map(|r| r.request.clone()),
            trust,
            options: self.options.clone(),
        }
    }

    /// The session length the target records: one other than STS's default (12 h, or 1 h for
    /// a role), so later refreshes ask the same and a short session gets a short margin.
    pub fn recorded_duration(&self) -> Option<u32> {
        let default = match self.role {
            Some(_) => SessionDuration::DEFAULT_ROLE,
            None => SessionDuration::DEFAULT,
        };
        (self.duration != default).then(|| self.duration.secs())
    }

    /// What the commit writes besides the session.
    pub fn writing(&self) -> super::commit::Writing<'_> {
        super::commit::Writing {
            target: &self.target,
            at: self.at,
            source: &self.source,
            role: self.recorded_role(),
            serial: Some((&self.serial, self.record_serial)),
            duration: self.recorded_duration(),
            via: None,
            carry_region: self.carry_region.as_ref(),
        }
    }

    /// The role as the target records it.
    pub fn recorded_role(&self) -> Option<RecordedRole<'_>> {
        self.role.as_ref().map(PlannedRole::recorded)
    }
}

impl PlannedRole {
    /// The role as the target records it.
    pub fn recorded(&self) -> RecordedRole<'_> {
        RecordedRole {
            arn: self.request.arn.as_str(),
            external_id: self.request.external_id.as_ref().map(ExternalId::as_str),
            session_name: self
                .chosen_session_name
                .as_ref()
                .map(RoleSessionName::as_str),
        }
    }
}

/// Decides what a refresh does; `notices` hears what the user should know about the choice.
pub(super) fn plan(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    notices: &mut dyn FnMut(Notice),
) -> Result<Plan, Error> {
    let chosen = choose::choose(settings, docs, notices)?;
    if let Some(outcome) = choose::still_valid(settings, docs, &chosen) {
        return Ok(Plan::Skip(outcome));
    }
    if let Some(base) = derived::base_of(settings, &chosen) {
        return Ok(Plan::Derive(derived::plan_derived(
            settings, docs, chosen, &base, notices,
        )?));
    }
    let call = request::plan_call(settings, docs, chosen, notices)?;
    Ok(Plan::Call(call))
}
