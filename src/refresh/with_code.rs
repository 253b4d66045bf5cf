//! A refresh with an MFA code: the device held for this process, the code asked for (never
//! in a window the device already sent one in), STS called with the long-term keys, the
//! session written.
//!
//! Invariant: the code is asked for and sent while this process holds the MFA device, the
//! plan made again from the file as the last holder left it; a code STS may have spent is
//! recorded as sent, one it refused before checking is not.

use super::commit::commit;
use super::plan::{Call, Plan};
use super::source_keys::{resolve, Resolved};
use super::{
    carry_out, hold, plan_again, warn_about_permissions, CodeRequest, CodeSource, Outcome,
    RefreshSettings,
};
use crate::device::{next_code_at, HeldDevice};
use crate::error::Error;
use crate::notice::Notice;
use crate::profile::SharedDocuments;
use crate::sts::{self, CustomEndpoint, Signer, Sts, StsError};

/// Refreshes with an MFA code: the device held, the code asked for, STS called, the session
/// written.
pub(super) fn refresh_with_code(
    settings: &RefreshSettings,
    call: Call,
    docs: SharedDocuments,
    sts: &dyn Sts,
    codes: &mut dyn CodeSource,
    mut resolved: Resolved,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    let serial = &call.serial;
    let held = hold(
        settings,
        serial.as_str(),
        format!("waiting for another mfa-profile that is using MFA device {serial} (asking for its code or calling STS)"),
        notices,
    )?;
    // Another process may have refreshed the target while this one waited for the device.
    let (docs, call) = match held
        .as_ref()
        .map(|_| plan_again(settings, &docs))
        .transpose()?
    {
        Some(Some((docs, Plan::Call(call)))) => (docs, call),
        // Skipped, or derived now: what the file says now decides.
        Some(Some((docs, plan))) => {
            drop(held);
            return carry_out(settings, plan, docs, sts, codes, resolved, notices);
        }
        Some(None) | None => (docs, call),
    };
    warn_about_permissions(settings, notices);
    if let Some(notice) = call.endpoint.as_ref().and_then(CustomEndpoint::notice) {
        notices(notice);
    }
    let keys = resolve(&call.source, &call.keys, codes, &mut resolved)?;
    // A CA bundle that cannot be used is said before a code is spent on it.
    let trust = sts::roots_for(call.endpoint.as_ref().map(|e| &e.url), &call.trust)?;
    let code_sent_at = held.as_ref().and_then(HeldDevice::code_sent_at);
    let code = codes.code(&CodeRequest {
        serial: &call.serial,
        target: &call.target,
        profile_command: call.profile_command.as_deref(),
        profile_prompt: call.prompt,
        next_code_at: next_code_at(code_sent_at, (settings.clock)()),
        code_sent_at,
    })?;
    let request = call.request(code, trust);
    let sent_at = (settings.clock)();
    let answer = sts
        .get_session(Signer::LongTerm(&keys), &request)
        .and_then(|session| {
            sts::check_session(&session, settings.now)
                .map(|()| session)
                .map_err(|why| StsError::BadResponse(request.endpoint_shown(), why))
        });
    let spent = match &answer {
        Ok(_) => true,
        Err(error) => error.may_have_spent_the_code(),
    };
    if let (Some(held), true) = (&held, spent) {
        if let Err(error) = held.record_code_sent(sent_at) {
            notices(Notice::Warning(format!(
                "cannot record that {} used this code window: {error}",
                call.serial
            )));
        }
    }
    let session = answer?;
    let done = commit(
        settings,
        &call.writing(),
        docs.credentials,
        session,
        notices,
    )?;
    for problem in crate::profile::unreadable(&docs.config) {
        notices(Notice::Warning(
            problem.warning(&settings.files.config, Some(call.target.as_str())),
        ));
    }
    Ok(Outcome::Refreshed(done))
}
