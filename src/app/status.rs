//! `mfa-profile status`: the managed targets, read with no network.

use super::terminal::colour::{paint, Colour, Stream};
use super::terminal::printable;
use super::{locate, non_empty_var, notice, now, print};
use crate::cli::StatusArgs;
use crate::error::{Error, EXIT_OK};
use crate::notice::Notice;
use crate::profile::{
    read_document, sections_for_profiles, unreadable, ProfileSet, SharedFiles, Shown,
};
use crate::status::{target_statuses, State, TargetStatus};
use crate::time;

/// The refresh margin `status` uses for "expiring": the refresh default.
const STATUS_MARGIN: i64 = 15 * 60;

/// Variables that override every profile.
const SHADOWING: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

pub(super) fn run(args: &StatusArgs) -> Result<u8, Error> {
    if args.keys {
        return super::key_status::run(args);
    }
    let files = locate(
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let doc = read_document(&files.credentials)?;
    for problem in unreadable(&doc) {
        notice(Notice::Warning(problem.warning(&files.credentials, None)));
    }
    let targets = target_statuses(&doc, now(), STATUS_MARGIN);
    // The serial lives in the source profile, in either file.
    let profiles = if targets.is_empty() {
        None
    } else {
        let sources: Vec<&str> = targets.iter().map(|t| t.target.source.as_str()).collect();
        let config = match read_document(&files.config) {
            Ok(config) => {
                for problem in unreadable(&config) {
                    notice(Notice::Warning(problem.warning(&files.config, None)));
                }
                sections_for_profiles(&config, &sources)
            }
            Err(error) => {
                notice(Notice::Warning(format!(
                    "{error}; the serials it holds are not shown"
                )));
                String::new()
            }
        };
        SharedFiles {
            credentials: sections_for_profiles(&doc, &sources),
            config,
        }
        .profiles()
        .ok()
    };
    for var in SHADOWING {
        if non_empty_var(var).is_some() {
            notice(Notice::Warning(format!(
                "{var} is set in this shell; it overrides every profile, AWS_PROFILE included (unset it)"
            )));
        }
    }
    let serial = |source: &str| serial_of(profiles.as_ref(), source);
    if args.json {
        let rows: Vec<serde_json::Value> = targets
            .iter()
            .map(|t| {
                serde_json::json!({
                    "target": t.target.name,
                    "source": t.target.source,
                    "serial": serial(&t.target.source),
                    "expiration": t.target.expires_at.map(time::rfc3339),
                    "remaining": t.remaining,
                    "state": t.state.as_str(),
                })
            })
            .collect();
        print(format!("{}\n", serde_json::Value::Array(rows)).as_bytes())?;
        return Ok(EXIT_OK);
    }
    if targets.is_empty() {
        super::terminal::say(&format!(
            "no profile in {} is managed by mfa-profile yet; run `mfa-profile CODE` to create [mfa]",
            Shown(&files.credentials)
        ));
        return Ok(EXIT_OK);
    }
    print(table(&targets, serial).as_bytes())?;
    Ok(EXIT_OK)
}

fn serial_of(profiles: Option<&ProfileSet>, source: &str) -> String {
    profiles
        .and_then(|p| p.get_profile(source))
        .and_then(|p| p.get("mfa_serial"))
        .unwrap_or("-")
        .to_owned()
}

/// The table: a header row, then a row per target, columns padded; the state coloured; what
/// the files hold made [`printable`] (a name could hold escape sequences).
fn table(targets: &[TargetStatus], serial: impl Fn(&str) -> String) -> String {
    let rows: Vec<[String; 6]> = targets
        .iter()
        .map(|t| {
            [
                printable(&t.target.name).into_owned(),
                printable(&t.target.source).into_owned(),
                printable(&serial(&t.target.source)).into_owned(),
                t.target.expires_at.map_or("-".into(), local_time),
                match (t.state, t.remaining) {
                    (State::Expired, _) | (_, None) => "-".into(),
                    (_, Some(r)) => time::human_span(r),
                },
                t.state.as_str().into(),
            ]
        })
        .collect();
    let header = [
        "TARGET",
        "SOURCE",
        "SERIAL",
        "EXPIRES",
        "REMAINING",
        "STATE",
    ]
    .map(String::from);
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let states = [None]
        .into_iter()
        .chain(targets.iter().map(|t| Some(t.state)));
    let mut out = String::new();
    for (row, state) in [&header].into_iter().chain(&rows).zip(states) {
        let mut cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        // The state is the last column: coloured after padding, so widths stay right.
        if let (Some(state), Some(last)) = (state, cells.last_mut()) {
            let colour = match state {
                State::Valid => Colour::Green,
                State::Expiring => Colour::Yellow,
                State::Expired => Colour::Red,
            };
            *last = paint(state.as_str(), colour, Stream::Stdout);
        }
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// `2026-11-23 03:00 CET`, in the system's time zone.
fn local_time(epoch: i64) -> String {
    match jiff::Timestamp::from_second(epoch) {
        Ok(ts) => ts
            .to_zoned(jiff::tz::TimeZone::system())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => time::rfc3339(epoch),
    }
}
