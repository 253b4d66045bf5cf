//! `mfa-profile prune [TARGET...]`: clears the expired sessions of the managed targets, or
//! removes the targets named.

use super::{locate, notice, now};
use crate::cli::PruneArgs;
use crate::commands::prune::{clear_sessions, expired_targets, targets_to_forget, Pruning};
use crate::error::{Error, EXIT_OK};
use crate::ini::{Document, SectionId};
use crate::profile::{edit_locked, read_document, FileKind};
use crate::text::notice::Notice;
use crate::text::shown::Shown;
use crate::text::time;
use std::path::Path;

pub(super) fn run(args: &PruneArgs) -> Result<u8, Error> {
    let files = locate(&args.files)?;
    let path = &files.credentials;
    if !args.targets.is_empty() {
        return forget(args, path, &files.config);
    }
    let now = now();
    let pruning = if args.dry_run {
        expired_targets(&read_document(path)?, now)
    } else {
        // Chosen under the lock, from a fresh read: what is cleared is what is there now.
        edit_locked(path, |doc| {
            let pruning = expired_targets(doc, now);
            clear_sessions(doc, &pruning.clear);
            let changed = !pruning.clear.is_empty();
            Ok::<_, Error>((pruning, changed))
        })?
    };
    report(&pruning, path, now, !args.dry_run);
    Ok(EXIT_OK)
}

fn report(pruning: &Pruning, path: &Path, now: i64, written: bool) {
    for (name, why) in &pruning.kept {
        notice(Notice::Warning(format!(
            "[{name}] has expired but is left in {}: {why}",
            Shown(path)
        )));
    }
    if pruning.clear.is_empty() {
        notice(Notice::Info(format!(
            "nothing to prune: no session mfa-profile wrote in {} has expired",
            Shown(path)
        )));
        return;
    }
    let verb = if written { "cleared" } else { "would clear" };
    for expired in &pruning.clear {
        super::terminal::say(&format!(
            "{verb} the session of [{}] in {} (expired on {}, {} ago)",
            expired.name,
            Shown(path),
            time::human(expired.expired_at),
            time::human_span(now - expired.expired_at)
        ));
    }
    let names: Vec<&str> = pruning.clear.iter().map(|e| e.name.as_str()).collect();
    super::terminal::say(&format!(
        "what each records stays, so `mfa-profile refresh --all` renews {}; `mfa-profile prune {}` removes {} for good",
        if names.len() == 1 { "it" } else { "them" },
        names.join(" "),
        if names.len() == 1 { "it" } else { "them" },
    ));
}

/// `prune TARGET...`: the named targets removed whole, with the comment right above each.
fn forget(args: &PruneArgs, path: &Path, config: &Path) -> Result<u8, Error> {
    let refused = |why: Vec<String>| Error::Prune(why.join("; "));
    let names: Vec<String> = args.targets.iter().map(ToString::to_string).collect();
    if args.dry_run {
        targets_to_forget(&read_document(path)?, &args.targets).map_err(refused)?;
    } else {
        edit_locked(path, |doc| {
            let ids = targets_to_forget(doc, &args.targets).map_err(refused)?;
            *doc = without(doc, &ids)?;
            Ok::<_, Error>(((), true))
        })?;
    }
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    for name in &names {
        super::terminal::say(&format!("{verb} [{name}] from {}", Shown(path)));
    }
    // The region a refresh added to the config file may sit beside the user's own settings:
    // it stays, and is said.
    if let Ok(config_doc) = read_document(config) {
        for name in &names {
            let found = config_doc
                .sections()
                .any(|s| FileKind::Config.sdk_profile(&s) == Some(name.as_str()));
            if found {
                notice(Notice::Info(format!(
                    "[profile {name}] in {} is left as it is (it may hold settings of yours)",
                    Shown(config)
                )));
            }
        }
    }
    Ok(EXIT_OK)
}

/// `doc` without the sections `ids`.
fn without(doc: &Document, ids: &[SectionId]) -> Result<Document, Error> {
    let kept = zeroize::Zeroizing::new(doc.render_without(ids));
    Document::parse(kept.as_bytes()).map_err(|error| Error::Prune(error.to_string()))
}
