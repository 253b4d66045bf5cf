//! `mfa-profile status --keys`: each source's long-term key as IAM describes it, a table on
//! standard output (JSON with `--json`), what to do on standard error.

use super::terminal::colour::Colour;
use super::terminal::printable;
use super::{endpoint, locate, notice, now, print};
use crate::aws::iam::IamEndpoint;
use crate::aws::sts::CustomEndpoint;
use crate::cli::StatusArgs;
use crate::commands::key_status::{
    human_age, key_row, last_used_shown, KeyQuery, KeyRow, KeyState,
};
use crate::error::{Error, EXIT_OK};
use crate::input::keys::SessionCredentials;
use crate::profile::source::source_profile;
use crate::profile::{
    first_refresh_hint, managed_targets, stored_session, ManagedTarget, ProfileName,
    SharedDocuments, SourceKeys,
};
use crate::refresh::call_region;
use crate::refresh::KeysRequest;
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use crate::text::time;

/// A session this close to its end is not used.
const SESSION_MARGIN: i64 = 60;

pub(super) fn run(args: &StatusArgs) -> Result<u8, Error> {
    let files = locate(&args.files)?;
    let sts = endpoint(args.endpoint_url.as_ref(), args.allow_insecure_endpoint)?;
    let iam_endpoint =
        super::iam::iam_endpoint(args.iam_endpoint_url.as_ref(), args.allow_insecure_endpoint)?;
    let endpoints = (sts, iam_endpoint);
    let docs = SharedDocuments::read(&files)?;
    let targets = managed_targets(&docs.credentials);
    let mut sources: Vec<&str> = Vec::new();
    for target in &targets {
        if !sources.contains(&target.source.as_str()) {
            sources.push(&target.source);
        }
    }
    if sources.is_empty() {
        super::terminal::say(&format!(
            "no profile in {} is managed by mfa-profile yet, so no source key is known; {}",
            Shown(&files.credentials),
            first_refresh_hint(&docs.credentials, &docs.config)
        ));
        return Ok(EXIT_OK);
    }
    let now = now();
    let rows: Vec<KeyRow> = sources
        .iter()
        .map(|source| {
            row_of(source, &docs, &targets, now, args, &endpoints).unwrap_or_else(|error| KeyRow {
                source: (*source).to_owned(),
                key_id: "-".into(),
                user: None,
                created: None,
                age_days: None,
                last_used: None,
                state: KeyState::Unknown,
                note: Some(error.to_string()),
            })
        })
        .collect();
    for row in &rows {
        if let Some(note) = &row.note {
            notice(Notice::Warning(format!("[{}]: {note}", row.source)));
        }
    }
    if args.json {
        let rows: Vec<serde_json::Value> = rows.iter().map(|r| json_row(r, now)).collect();
        print(format!("{}\n", serde_json::Value::Array(rows)).as_bytes())?;
    } else {
        print(table(&rows, now).as_bytes())?;
    }
    Ok(EXIT_OK)
}

/// The row of one source.
fn row_of(
    source: &str,
    docs: &SharedDocuments,
    targets: &[ManagedTarget],
    now: i64,
    args: &StatusArgs,
    (sts, iam_endpoint): &(Option<CustomEndpoint>, Option<IamEndpoint>),
) -> Result<KeyRow, Error> {
    let name = ProfileName::new(source)?;
    let profile = source_profile(&docs.profiles_of(&[source])?, &name)?;
    let keys = match &profile.keys {
        // A key going on to the next line (the source profile refuses any other character no
        // request can carry): the SDK's signer would panic on it.
        SourceKeys::Stored(keys) if keys.unsendable().is_some() => {
            let key = keys.unsendable().unwrap_or_default();
            return Err(crate::profile::SourceError::Unsendable(source.to_owned(), key).into());
        }
        SourceKeys::Stored(keys) => keys.clone(),
        SourceKeys::Process(command) => super::process_keys::keys_from_process(&KeysRequest {
            source: &name,
            command,
        })?,
    };
    let region = call_region(None, &name, &profile)?;
    let plain: Vec<&ManagedTarget> = targets
        .iter()
        .filter(|t| t.source == source && t.role_arn.is_none())
        .collect();
    let session: Option<SessionCredentials> = plain
        .iter()
        .filter(|t| t.expires_at.is_some_and(|at| at - now > SESSION_MARGIN))
        .find_map(|t| {
            let name = ProfileName::new(&t.name).ok()?;
            stored_session(&docs.credentials, &name).ok()
        });
    let (target, refresh) = match plain.first() {
        Some(t) => (t.name.clone(), format!("mfa-profile -t {}", t.name)),
        None => (
            crate::profile::default_target(&name)?.to_string(),
            format!("mfa-profile -s {source}"),
        ),
    };
    let options = super::sdk_variables().with_profile(&profile.sdk);
    let iam = super::iam::client(
        &region,
        sts.as_ref().map(|e| &e.url),
        iam_endpoint.as_ref(),
        options,
    )?;
    Ok(key_row(
        &iam,
        &KeyQuery {
            source,
            keys: &keys,
            session: session.as_ref(),
            target: &target,
            refresh: &refresh,
            now,
            max_age_days: args.max_key_age,
        },
    ))
}

fn json_row(row: &KeyRow, now: i64) -> serde_json::Value {
    serde_json::json!({
        "source": row.source,
        "access_key_id": row.key_id,
        "user": row.user,
        "created": row.created.map(time::rfc3339),
        "age_days": row.age_days,
        "last_used": row.last_used.as_ref().and_then(|u| u.when).map(time::rfc3339),
        "last_used_service": row.last_used.as_ref().map(|u| u.service.clone()),
        "last_used_shown": row.last_used.as_ref().map(|u| last_used_shown(u, now)),
        "state": row.state.as_str(),
        "note": row.note,
    })
}

/// The table: a header row, then a row per source; the state coloured on a terminal.
fn table(rows: &[KeyRow], now: i64) -> String {
    let rows: Vec<([String; 6], Colour)> = rows
        .iter()
        .map(|r| {
            let colour = match r.state {
                KeyState::Ok => Colour::Green,
                KeyState::Old => Colour::Yellow,
                KeyState::Inactive | KeyState::Unknown => Colour::Red,
            };
            let cells = [
                printable(&r.source).into_owned(),
                printable(&r.key_id).into_owned(),
                printable(r.user.as_deref().unwrap_or("-")).into_owned(),
                r.created.map_or("-".into(), |c| human_age(now - c)),
                r.last_used.as_ref().map_or("-".into(), |u| {
                    printable(&last_used_shown(u, now)).into_owned()
                }),
                r.state.as_str().to_owned(),
            ];
            (cells, colour)
        })
        .collect();
    super::terminal::table::table(
        ["SOURCE", "ACCESS KEY", "USER", "AGE", "LAST USED", "STATE"],
        &rows,
    )
}
