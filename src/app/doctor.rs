//! `mfa-profile doctor [PROFILE]`: the findings of [`crate::commands::doctor`], one line each.

use super::terminal::colour::Colour;
use super::{locate, now, print, var};
use crate::cli::DoctorArgs;
use crate::commands::doctor::{examine, Examined, Level, OnDisk};
use crate::error::{Error, EXIT_FAILURE, EXIT_OK};
use crate::fsio;
use crate::profile::read_document;

pub(super) fn run(args: &DoctorArgs) -> Result<u8, Error> {
    let files = locate(&args.files)?;
    let credentials = read_document(&files.credentials);
    let config = read_document(&files.config);
    let schedule = super::schedule::seen();
    let findings = examine(&Examined {
        files: &files,
        credentials: credentials.as_ref().map_err(ToString::to_string),
        config: config.as_ref().map_err(ToString::to_string),
        on_disk: (on_disk(&files.credentials), on_disk(&files.config)),
        var: &var,
        now: now(),
        profile: args.profile.as_ref().map(|p| p.as_str()),
        schedule: schedule.as_ref(),
    });
    if args.json {
        let rows: Vec<serde_json::Value> = findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "level": f.level.as_str(),
                    "subject": f.subject,
                    "message": f.message,
                })
            })
            .collect();
        print(format!("{}\n", serde_json::Value::Array(rows)).as_bytes())?;
    } else {
        let mut out = String::new();
        for f in &findings {
            let colour = match f.level {
                Level::Ok => Colour::Green,
                Level::Note => Colour::Yellow,
                Level::Problem => Colour::Red,
            };
            let level = super::terminal::colour::paint(
                f.level.as_str(),
                colour,
                super::terminal::colour::Stream::Stdout,
            );
            let line = format!("{} {}: {}", f.level.as_str(), f.subject, f.message);
            let line = super::terminal::printable(&line);
            // The level word, padded, in colour; the rest as escaped for the terminal.
            let rest = &line[f.level.as_str().len()..];
            out.push_str(&level);
            out.push_str(rest);
            out.push('\n');
        }
        print(out.as_bytes())?;
    }
    let wrong = findings.iter().any(|f| f.level == Level::Problem);
    Ok(if wrong { EXIT_FAILURE } else { EXIT_OK })
}

/// What the file system says of a shared file.
fn on_disk(path: &std::path::Path) -> OnDisk {
    OnDisk {
        exists: path.exists(),
        mode: fsio::mode(path),
        dir_writable_by_others: fsio::dir_writable_by_others(path),
    }
}
