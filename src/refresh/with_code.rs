//! A refresh with an MFA code: the device held for this process, the code asked for (never
//! in a window the device already sent one in), STS called with the long-term keys, the
//! session written.
//!
//! Invariant: the code is asked for and sent while this process holds the MFA device, the
//! plan made again from the file as the last holder left it; a code STS may have spent is
//! recorded as sent, one it refused before checking is not.

use super::commit::commit;
use super::long_term_keys::{resolve, Resolved};
use super::plan::Call;
use super::{before_sts, checked_session, CodeRequest, Outcome, RefreshSettings, Services};
use crate::aws::sts::{self, Signer};
use crate::error::Error;
use crate::fsio::device::{next_code_at, HeldDevice};
use crate::profile::SharedDocuments;
use crate::text::notice::Notice;

/// How many codes a person is asked for when STS rejects the one typed.
const MAX_CODE_TRIES: u32 = 3;

/// Refreshes with an MFA code, the device `held` (by [`super::carry_out`]): the code asked
/// for, STS called, the session written.
#[allow(clippy::too_many_arguments)]
pub(super) fn refresh_with_code(
    settings: &RefreshSettings,
    call: Call,
    docs: SharedDocuments,
    held: Option<HeldDevice>,
    services: &mut Services<'_>,
    mut resolved: Resolved,
    notices: &mut dyn FnMut(Notice),
) -> Result<Outcome, Error> {
    before_sts(settings, call.endpoint.as_ref(), notices);
    let keys = resolve(&call.source, &call.keys, services.keys, &mut resolved)?;
    // A CA bundle that cannot be used is said before a code is spent on it.
    let trust = sts::roots_for([call.endpoint.as_ref().map(|e| &e.url)], &call.trust)?;
    let mut tries = 0;
    let session = loop {
        tries += 1;
        let code_sent_at = held.as_ref().and_then(HeldDevice::code_sent_at);
        let code_request = CodeRequest {
            serial: &call.serial,
            target: &call.target,
            rerun: &call.rerun,
            profile_command: call.profile_command.as_deref(),
            profile_prompt: call.prompt,
            next_code_at: next_code_at(code_sent_at, (settings.clock)()),
            code_sent_at,
        };
        let code = services.codes.code(&code_request)?;
        let request = call.request(code, trust.clone());
        let sent_at = (settings.clock)();
        let answer = checked_session(settings, services.sts, Signer::LongTerm(&keys), &request);
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
        match answer {
            // A person typed it: a mistyped or stale code is asked for again.
            Err(crate::aws::sts::StsError::CodeRejected)
                if tries < MAX_CODE_TRIES && services.codes.can_ask_again(&code_request) =>
            {
                notices(Notice::Warning(format!(
                    "STS rejected the MFA code for {} (wrong or expired); enter the code the device shows now",
                    call.serial
                )));
            }
            answer => break answer?,
        }
    };
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
