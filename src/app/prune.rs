//! `mfa-profile prune`: removes the managed targets whose session has expired.

use super::{locate, notice, now};
use crate::cli::PruneArgs;
use crate::error::{Error, EXIT_OK};
use crate::fsio;
use crate::ini::SectionId;
use crate::notice::Notice;
use crate::profile::{read_document, Shown};
use crate::prune::{expired_targets, Pruning};
use crate::time;

pub(super) fn run(args: &PruneArgs) -> Result<u8, Error> {
    let files = locate(args.credentials_file.as_deref(), None)?;
    let path = &files.credentials;
    let now = now();
    let (pruning, written) = if args.dry_run {
        (expired_targets(&read_document(path)?, now), false)
    } else {
        let real = fsio::real_path(path)?;
        let lock = fsio::lock_beside(&real, |dir| {
            notice(Notice::Info(format!(
                "waiting for another mfa-profile to finish writing in {}",
                Shown(dir)
            )))
        })?;
        // Read under the lock: what is removed is what is there now.
        let doc = read_document(path)?;
        let pruning = expired_targets(&doc, now);
        if !pruning.remove.is_empty() {
            let ids: Vec<SectionId> = pruning.remove.iter().map(|e| e.id).collect();
            let kept = zeroize::Zeroizing::new(doc.render_without(&ids));
            fsio::replace(path, kept.as_bytes(), &lock)?;
        }
        (pruning, true)
    };
    report(&pruning, path, now, written);
    Ok(EXIT_OK)
}

fn report(pruning: &Pruning, path: &std::path::Path, now: i64, written: bool) {
    for (name, why) in &pruning.kept {
        notice(Notice::Warning(format!(
            "[{name}] has expired but is left in {}: {why}",
            Shown(path)
        )));
    }
    if pruning.remove.is_empty() {
        notice(Notice::Info(format!(
            "nothing to prune: no session mfa-profile wrote in {} has expired",
            Shown(path)
        )));
        return;
    }
    let verb = if written { "removed" } else { "would remove" };
    for expired in &pruning.remove {
        super::terminal::say(&format!(
            "{verb} [{}] from {} (expired on {}, {} ago)",
            expired.name,
            Shown(path),
            time::human_utc(expired.expired_at),
            time::human_span(now - expired.expired_at)
        ));
    }
}
