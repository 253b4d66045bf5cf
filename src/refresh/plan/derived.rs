//! The plan of a derived target: a role assumed with the MFA session of another managed target
//! (its base, `--via BASE`, recorded as `mfa_via`) instead of long-term keys and a code.
//!
//! Invariant: the base is a managed target holding a GetSessionToken session (not itself a
//! role or derived); a role assumed with it is role chaining, which STS gives at most 1h, so
//! no longer session is ever asked for (`-d` over 1h is refused before any call); the
//! derived target records the base's source as its own, so it stays a managed target with a
//! known pair; role, duration, region and endpoint follow the same precedence as any refresh,
//! the source profile being the base's.

use super::super::RefreshSettings;
use super::request::{duration, duration_flag, endpoint, planned_role, regions, role_flags, trust};
use super::{Chosen, PlannedRole};
use crate::aws::sts::{CustomEndpoint, TrustChoice};
use crate::error::Error;
use crate::ini::SectionId;
use crate::input::{Region, SessionDuration, MAX_CHAINED_DURATION};
use crate::profile::source::source_profile;
use crate::profile::{create_hint, locate_target, ProfileName, SharedDocuments};
use crate::text::notice::Notice;

/// A derived refresh: everything but the base's session.
pub(in crate::refresh) struct Derived {
    pub target: ProfileName,
    pub at: Option<SectionId>,
    /// The managed target whose session signs the AssumeRole.
    pub base: ProfileName,
    /// The base's source, recorded in the derived target too.
    pub source: ProfileName,
    pub role: PlannedRole,
    /// The session length asked for: at most 1h (role chaining).
    pub duration: SessionDuration,
    /// The length the target records: kept when it is longer than what is asked, so the
    /// target can be made a role target of its own with it.
    pub recorded_duration: SessionDuration,
    pub region: Region,
    pub endpoint: Option<CustomEndpoint>,
    /// The certificates an https endpoint is trusted by.
    pub trust: TrustChoice,
    /// FIPS, dual-stack, the app id.
    pub options: crate::aws::CallOptions,
    /// The source's region, to add to the target's config profile.
    pub carry_region: Option<Region>,
    /// The command that asks for this refresh again (the base's code included), as a hint
    /// names it: what the target does not record yet (role, base, length) is named.
    pub rerun: String,
}

/// The base named by `--via`, else the one the target records, if any; none when a source is
/// named (`-s`): the role is then assumed with its long-term keys and a code, and the target
/// stops deriving.
pub(super) fn base_of(settings: &RefreshSettings, chosen: &Chosen) -> Option<String> {
    if let Some(base) = &settings.via {
        return Some(base.as_str().to_owned());
    }
    if settings.source.is_some() {
        return None;
    }
    chosen.summary.managed.as_ref()?.via.clone()
}

/// The length of a derived target's session: STS gives a role assumed with a session (role
/// chaining) at most 1h, so `-d` over that is refused before any call, with the way to a
/// longer session; a longer length the target records or the source profile sets (an older
/// version wrote it, a hand edit) is cut to 1h, said.
fn chained_duration(
    settings: &RefreshSettings,
    target: &ProfileName,
    base: &ProfileName,
    source: &ProfileName,
    role_arn: &str,
    planned: SessionDuration,
    notices: &mut dyn FnMut(Notice),
) -> Result<SessionDuration, Error> {
    if planned.secs() <= MAX_CHAINED_DURATION {
        return Ok(planned);
    }
    let asked = crate::text::time::exact_span(planned.secs());
    if settings.duration.is_some() {
        return Err(Error::ChainedOverAnHour {
            target: target.to_string(),
            base: base.to_string(),
            asked,
            direct: format!(
                "mfa-profile -s {source} -t {target} --role-arn {role_arn} -d {} --force",
                crate::text::time::exact_span(planned.secs())
            ),
        });
    }
    notices(Notice::Warning(format!(
        "[{target}] asks for {asked}, but its role is assumed with [{base}]'s session and STS gives such a chained role session at most 1h: asking for 1h (`mfa-profile -s {source} -t {target} --force` assumes it with the long-term keys and a code, for up to the role's maximum)"
    )));
    Ok(SessionDuration::DEFAULT_ROLE)
}

/// Plans a derived refresh of `chosen` from `base`.
pub(super) fn plan_derived(
    settings: &RefreshSettings,
    docs: &SharedDocuments,
    chosen: Chosen,
    base: &str,
    notices: &mut dyn FnMut(Notice),
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
        return Err(refused(&format!(
            "it is not a target mfa-profile manages; {}",
            create_hint(&docs.credentials, &docs.config, &base)
        )));
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
    let recorded_duration = duration(settings, &source, &profile, recorded, true)?;
    let duration = chained_duration(
        settings,
        &target,
        &base,
        &source,
        role.request.arn.as_str(),
        recorded_duration,
        notices,
    )?;
    let (region, carry_region) = regions(settings, docs, at, &source, &profile)?;
    let endpoint = endpoint(settings, docs, &source, &profile)?;
    let trust = trust(settings, &source, &profile);
    let mut rerun = format!("mfa-profile -t {target}{}", role_flags(recorded, &role));
    if recorded.and_then(|r| r.via.as_deref()) != Some(base.as_str()) {
        rerun.push_str(&format!(" --via {base}"));
    }
    rerun.push_str(&duration_flag(
        recorded,
        settings.duration.map(|d| d.secs()),
    ));
    let options = settings.sdk.with_profile(&profile.sdk);
    Ok(Derived {
        target,
        at,
        base,
        source,
        role,
        duration,
        recorded_duration,
        region,
        endpoint,
        trust,
        options,
        carry_region,
        rerun,
    })
}
