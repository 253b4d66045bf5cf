//! `mfa-profile status`: the managed targets, read with no network.

use super::terminal::colour::Colour;
use super::terminal::printable;
use super::{locate, non_empty_var, notice, now, print};
use crate::cli::StatusArgs;
use crate::commands::status::{target_statuses, State, TargetStatus};
use crate::error::{Error, EXIT_OK};
use crate::ini::Document;
use crate::profile::{
    first_refresh_hint, read_document, sections_for_profiles, unreadable, ManagedTarget,
    ProfileSet, SharedFiles,
};
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use crate::text::time;

/// The refresh margin `status` uses for "expiring": the refresh default.
const STATUS_MARGIN: i64 = crate::input::DEFAULT_MIN_REMAINING.secs() as i64;

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
    let files = locate(&args.files)?;
    let doc = read_document(&files.credentials)?;
    if args.prompt {
        return prompt(args, &doc);
    }
    if args.names {
        return names(&doc);
    }
    for problem in unreadable(&doc) {
        notice(Notice::Warning(problem.warning(&files.credentials, None)));
    }
    let all = target_statuses(&doc, now(), STATUS_MARGIN);
    // A derived target's base is looked up among every target, shown or not.
    let stale_bases = crate::commands::status::stale_bases(&all);
    let mut targets = all;
    if let Some(only) = &args.target {
        targets.retain(|t| t.target.name == only.as_str());
        if targets.is_empty() {
            return Err(Error::NoSession {
                target: only.to_string(),
                path: files.credentials.clone(),
                why: "is not a target mfa-profile manages (it has no mfa_source_profile)".into(),
            });
        }
    }
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
    warn_of_shadowing_variables();
    let serial = |target: &ManagedTarget| serial_of(profiles.as_ref(), target);
    if args.json {
        let rows: Vec<serde_json::Value> = targets
            .iter()
            .map(|t| {
                serde_json::json!({
                    "target": t.target.name,
                    "source": t.target.source,
                    "via": t.target.via,
                    "serial": serial(&t.target),
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
        let config = read_document(&files.config).unwrap_or_else(|_| Document::empty());
        super::terminal::say(&format!(
            "no profile in {} is managed by mfa-profile yet; {}",
            Shown(&files.credentials),
            first_refresh_hint(&doc, &config)
        ));
        return Ok(EXIT_OK);
    }
    print(table(&targets, serial).as_bytes())?;
    if let Some(line) = schedule_line(&files) {
        super::terminal::say(&line);
    }
    for (derived, line) in stale_bases {
        if targets.iter().any(|t| t.target.name == derived) {
            notice(Notice::Info(line));
        }
    }
    Ok(EXIT_OK)
}

/// `status --names`: the managed targets' names, one per line.
fn names(doc: &Document) -> Result<u8, Error> {
    let names: String = crate::profile::managed_targets(doc)
        .iter()
        .map(|t| format!("{}\n", printable(&t.name)))
        .collect();
    print(names.as_bytes())?;
    Ok(EXIT_OK)
}

/// Warns of the variables set in this shell that override every profile.
fn warn_of_shadowing_variables() {
    for var in SHADOWING {
        if non_empty_var(var).is_some() {
            notice(Notice::Warning(format!(
                "{var} is set in this shell; it overrides every profile, AWS_PROFILE included (unset it)"
            )));
        }
    }
}

/// One line on the background schedule, said after the table (on standard error, as the
/// notices: the table alone is on standard output): installed or not, for which file, the
/// last run.
fn schedule_line(files: &crate::profile::FileLocations) -> Option<String> {
    let seen = super::schedule::seen()?;
    let Some(record) = &seen.record else {
        return Some("schedule: none; `mfa-profile schedule install` keeps these targets fresh in the background".into());
    };
    let job = &record.job;
    let mut line = format!(
        "schedule: {} every {}, refreshing what expires within {}",
        record.kind.describe(),
        crate::commands::schedule::span(job.every),
        crate::commands::schedule::span(job.ahead)
    );
    let credentials = std::path::Path::new(&job.credentials);
    line.push_str(&format!(" in {}", Shown(credentials)));
    if credentials != files.credentials {
        line.push_str(" (not this file)");
    }
    match seen.last_run.first() {
        Some(first) => line.push_str(&format!(
            "; last run {} ({} ago): {}",
            time::human(first.run_started),
            time::human_span(now() - first.run_started),
            crate::commands::schedule::log::summary(&seen.last_run)
        )),
        None => line.push_str("; no run yet"),
    }
    Some(line)
}

/// `status --prompt`: one line, no warning, nothing but the credentials file read.
fn prompt(args: &StatusArgs, doc: &Document) -> Result<u8, Error> {
    let statuses = target_statuses(doc, now(), STATUS_MARGIN);
    let from_env =
        non_empty_var("AWS_PROFILE").filter(|name| statuses.iter().any(|s| &s.target.name == name));
    let only = args
        .target
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .or(from_env);
    let line = crate::commands::status::prompt_line(&statuses, only.as_deref());
    if !line.is_empty() {
        print(format!("{}\n", printable(&line)).as_bytes())?;
    }
    Ok(EXIT_OK)
}

/// The MFA device a target's refresh uses: the source's `mfa_serial` (or aws-mfa's
/// `aws_mfa_device`), else the one the target records.
fn serial_of(profiles: Option<&ProfileSet>, target: &ManagedTarget) -> String {
    let source = profiles.and_then(|p| p.get_profile(&target.source));
    source
        .and_then(|p| p.get("mfa_serial").or_else(|| p.get("aws_mfa_device")))
        .or(target.serial_number.as_deref())
        .unwrap_or("-")
        .to_owned()
}

/// The table: a header row, then a row per target, columns padded; the state coloured; what
/// the files hold made [`printable`] (a name could hold escape sequences).
fn table(targets: &[TargetStatus], serial: impl Fn(&ManagedTarget) -> String) -> String {
    let zone = super::local_zone();
    let rows: Vec<([String; 6], Colour)> = targets
        .iter()
        .map(|t| {
            let colour = match t.state {
                State::Valid => Colour::Green,
                State::Expiring => Colour::Yellow,
                State::Expired => Colour::Red,
            };
            let cells = [
                printable(&t.target.name).into_owned(),
                match &t.target.via {
                    Some(base) => format!("via {}", printable(base)),
                    None => printable(&t.target.source).into_owned(),
                },
                printable(&serial(&t.target)).into_owned(),
                t.target
                    .expires_at
                    .map_or("-".into(), |at| time::human_local(at, &zone)),
                match (t.state, t.remaining) {
                    (State::Expired, _) | (_, None) => "-".into(),
                    (_, Some(r)) => time::human_span(r),
                },
                t.state.as_str().into(),
            ];
            (cells, colour)
        })
        .collect();
    super::terminal::table::table(
        [
            "TARGET",
            "SOURCE",
            "SERIAL",
            "EXPIRES",
            "REMAINING",
            "STATE",
        ],
        &rows,
    )
}
