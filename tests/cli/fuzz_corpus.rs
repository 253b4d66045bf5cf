//! The fuzz corpora (fuzz/corpus/, grown by `cargo +nightly fuzz run TARGET`) replayed on
//! stable through the same functions the fuzz targets call: every input found once keeps
//! being checked, without a nightly toolchain or cargo-fuzz.

use std::path::Path;

fn replay(target: &str, property: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "{}: too few inputs", dir.display());
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        let outcome = std::panic::catch_unwind(|| property(&data));
        assert!(outcome.is_ok(), "{} fails", input.display());
    }
}

#[test]
fn the_editor_fuzz_corpus_replays_clean() {
    replay("editor", mfa_profile::fuzzing::editor);
}

#[test]
fn the_sts_answer_fuzz_corpus_replays_clean() {
    replay("sts_answer", mfa_profile::fuzzing::sts_answer);
}
