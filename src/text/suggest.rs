//! "Did you mean …?": the closest of a few known names to what was typed.
//!
//! Invariant: pure; suggests only a name close enough to be a typo (at most two edits, and
//! fewer than half the word), never an arbitrary one.

/// The candidate closest to `typed`, when it is close enough to be what was meant.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = 2.min(typed.chars().count().saturating_sub(1) / 2).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(typed, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The candidate exactly one edit from `typed` (a letter added, dropped, changed, or two
/// swapped), when there is one: a name so near is a typo of a known one.
pub fn one_edit_from<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates.into_iter().find(|c| distance(typed, c) == 1)
}

/// Levenshtein distance, adjacent transpositions counting one (`stauts` is one from `status`).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_only_typos() {
        let commands = ["status", "export", "exec", "refresh"];
        assert_eq!(closest("stauts", commands), Some("status"));
        assert_eq!(closest("expot", commands), Some("export"));
        assert_eq!(closest("12345", commands), None);
        assert_eq!(closest("wrk2-mfa", ["mfa", "work-mfa"]), Some("work-mfa"));
        assert_eq!(closest("wrk-mfa", ["mfa", "work-mfa"]), Some("work-mfa"));
        assert_eq!(closest("prod", ["mfa", "work-mfa"]), None);
        assert_eq!(
            one_edit_from("wrk-mfa", ["mfa", "work-mfa"]),
            Some("work-mfa")
        );
        assert_eq!(one_edit_from("wokr-mfa", ["work-mfa"]), Some("work-mfa"));
        assert_eq!(one_edit_from("wrk2-mfa", ["work-mfa"]), None);
        assert_eq!(one_edit_from("work-mfa", ["work-mfa"]), None);
    }
}
