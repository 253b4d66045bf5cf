//! The plan of a derived target: a role assumed with the MFA session of another managed target
//! (its base, `--via BASE`, recorded as `mfa_via`) instead of long-term keys and a code.
//!
//! Invariant: the base is a managed target holding a GetSessionToken session (not itself a
//! role or derived: a role assumed from a role is role chaining, capped at 1 h by STS); the
//! derived target records the base's source as its own, so it stays a managed target with a
//! known pair; role, duration, region and endpoint follow the same precedence as any refresh,
//! the source profile being the base's.

use super::super::RefreshSettings;
use super::request::{duration, endpoint, planned_role, regions, trust};
use super::{Chosen, PlannedRole};
use crate::error::Error;
use crate::ini::SectionId;
use crate::input::{Region, SessionDuration};
use crate::profile::source::source_profile;
use crate::profile::{locate_target, ProfileName, SharedDocuments};
use crate::sts::{CustomEndpoint, TrustChoice};

/// A derived refresh: everything but the base's session.
pub(in crate::refresh) struct Derived {
    pub target: ProfileName,
    pub at: Option<SectionId>,
    /// The managed target whose session signs the AssumeRole.
    pub base: ProfileName,
    /// The base's source, recorded in the derived target too.
    pub source: ProfileName,
    pub role: PlannedRole,
    /// The session length asked for, before the cap at the base's expiry.
    pub duration: SessionDuration,
    pub region: Region,
    pub endpoint: Option<CustomEndpoint>,
    /// The certificates an https endpoint is trusted by.
    pub trust: TrustChoice,
    /// FIPS, dual-stack, the app id.
    pub options: crate::sdk::CallOptions,
    /// The source's region, to add to the target's config profile.
    pub carry_region: Option<Region>,
}

/// The base named by `--via`, else the one the target records, if any.
pub(super) fn base_of(settings: &RefreshSettings, chosen: &Chosen) -> Option<String> {
    settings
        .via
        .as_ref()
        .map(|b| b.as_str().to_owned())
        .or_else(|| chosen.summary.managed.as_ref()?.via.clone())
}

/// Plans a derived refresh of `chosen` from `base`.
pub(super) fn plan_derived(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    chosen: Chosen,
    base: &str,
) -> Result<Derived, Error> {
    let Chosen {
        target,
        at,
        summary,
        ..
    } = chosen;
    let base = ProfileName::new(base)?;
    let refused = |why: &str| Error::BadBase {
        target: target.to_string(),
        base: base.to_string(),
        why: why.to_owned(),
    };
    if base == target {
        return Err(refused("a target cannot derive from itself"));
    }
    let located = locate_target(&docs.credentials, &base)
        .map_err(Error::refused_in(&settings.files.credentials))?;
    let Some(managed) = located.and_then(|(_, s)| s.managed) else {
        return Err(refused(
            "it is not a target mfa-profile manages; refresh it first (mfa-profile -t BASE CODE)",
        ));
    };
    if managed.via.is_some() || managed.role_arn.is_some() {
        return Err(refused(
            "it holds a role's session, and a role assumed from a role (role chaining) lasts at most 1h; derive from a GetSessionToken target such as [mfa]",
        ));
    }
    let source = ProfileName::new(&managed.source)?;
    let recorded = summary.managed.as_ref();
    let role = planned_role(settings, recorded, &target, &source)?
        .ok_or_else(|| refused("a derived target assumes a role: add --role-arn ARN"))?;
    let profiles = docs.profiles_of(&[source.as_str()])?;
    let profile = source_profile(&profiles, &source)?;
    let duration = duration(settings, &source, &profile, recorded, true)?;
    let (region, carry_region) = regions(settings, docs, at, &source, &profile)?;
    let endpoint = endpoint(settings, docs, &source, &profile)?;
    let trust = trust(settings, &source, &profile);
    let options = settings.sdk.with_profile(&profile.sdk);
    Ok(Derived {
        target,
        at,
        base,
        source,
        role,
        duration,
        region,
        endpoint,
        trust,
        options,
        carry_region,
    })
}
