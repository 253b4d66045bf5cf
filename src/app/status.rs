//! `mfa-profile status`: the managed targets, read with no network.

use super::style::{paint, Colour, Stream};
use super::{env_var, locate, read_credentials};
use crate::cli::StatusArgs;
use crate::error::{Error, EXIT_OK};
use crate::fsio;
use crate::ini::Document;
use crate::paths;
use crate::profile;
use crate::source::SharedFiles;
use crate::status::{managed_targets, State};
use crate::units::{self, now};
use std::path::Path;

/// The refresh margin `status` uses for "expiring": the refresh default.
const STATUS_MARGIN: i64 = 15 * 60;

pub(super) fn run(args: &StatusArgs) -> Result<u8, Error> {
    let (files, home) = locate(
        args.credentials_file.as_deref(),
        args.config_file.as_deref(),
    )?;
    let shown = |p: &Path| paths::display(p, home.as_deref());
    let doc = read_credentials(&files, home.as_deref())?;
    let now = now();
    let targets = managed_targets(&doc, now, STATUS_MARGIN);
    // The serial lives in the source profile, in either file.
    let profiles = if targets.is_empty() {
        None
    } else {
        let config = fsio::read_optional(&files.config)?.unwrap_or_default();
        let sources: Vec<&str> = targets.iter().map(|t| t.source.as_str()).collect();
        let config_sections = Document::parse(&config)
            .map(|config| profile::sections_for_profiles(&config, &sources))
            .unwrap_or_default();
        SharedFiles {
            credentials: profile::sections_for_profiles(&doc, &sources),
            config: config_sections,
        }
        .profiles()
        .ok()
    };
    let serial = |source: &str| {
        profiles
            .as_ref()
            .and_then(|p| p.get_profile(source))
            .and_then(|p| p.get("mfa_serial"))
            .unwrap_or("-")
            .to_owned()
    };
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        if env_var(var).is_some_and(|v| !v.is_empty()) {
            eprintln!("mfa-profile: warning: {var} is set in this shell; it overrides every profile, AWS_PROFILE included (unset it)");
        }
    }
    if args.json {
        let rows: Vec<serde_json::Value> = targets
            .iter()
            .map(|t| {
                serde_json::json!({
                    "target": t.target,
                    "source": t.source,
                    "serial": serial(&t.source),
                    "expiration": t.expires_at.map(units::rfc3339),
                    "remaining": t.remaining,
                    "state": t.state.as_str(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Ok(EXIT_OK);
    }
    if targets.is_empty() {
        eprintln!(
            "no profile in {} is managed by mfa-profile yet; run `mfa-profile CODE` to create [mfa]",
            shown(&files.credentials)
        );
        return Ok(EXIT_OK);
    }
    let rows: Vec<[String; 6]> = targets
        .iter()
        .map(|t| {
            [
                t.target.clone(),
                t.source.clone(),
                serial(&t.source),
                t.expires_at.map_or("-".into(), local_time),
                match (t.state, t.remaining) {
                    (State::Expired, _) | (_, None) => "-".into(),
                    (_, Some(r)) => units::human_span(r),
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
        println!("{}", cells.join("  ").trim_end());
    }
    Ok(EXIT_OK)
}

/// `2026-11-23 03:00 CET`, in the system's time zone.
fn local_time(epoch: i64) -> String {
    match jiff::Timestamp::from_second(epoch) {
        Ok(ts) => ts
            .to_zoned(jiff::tz::TimeZone::system())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => units::rfc3339(epoch),
    }
}
