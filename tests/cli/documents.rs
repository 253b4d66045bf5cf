//! The documents hold together: README stays a page for users (at most 250 lines, opening with
//! the two commands CI runs), and every relative link of README.md, CONTRIBUTING.md and
//! docs/*.md reaches a file that exists, and a heading of it when the link names one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// README, CONTRIBUTING and every page of docs/.
fn documents() -> Vec<PathBuf> {
    let root = Path::new(ROOT);
    let mut paths = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    paths.extend(pages);
    paths
}

/// The lines of `text` outside fenced code blocks, with their numbers.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            lines.push((index + 1, line));
        }
    }
    lines
}

/// `line` without its inline code spans (`` `...` ``), where `](` is no link.
fn without_code_spans(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// The targets of the inline links `[text](target)` of `line`.
fn link_targets(line: &str) -> Vec<String> {
    let line = without_code_spans(line);
    let mut targets = Vec::new();
    let mut rest = line.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let end = after.find([')', ' ']).unwrap_or(after.len());
        targets.push(after[..end].to_owned());
        rest = &after[end..];
    }
    targets
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of the headings of the Markdown file at `path` (a repeated heading's second
/// anchor gets `-1`, as on GitHub).
fn anchors(path: &Path) -> HashSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut anchors = HashSet::new();
    for (_, line) in prose_lines(&text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let base = slug(&line[hashes..]);
            let mut anchor = base.clone();
            let mut n = 0;
            while !anchors.insert(anchor.clone()) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
        }
    }
    anchors
}

#[test]
fn every_relative_link_of_the_documents_reaches_a_file_and_heading_that_exist() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap();
        let dir = document.parent().unwrap();
        for (number, line) in prose_lines(&text) {
            for target in link_targets(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
                let path = if file.is_empty() {
                    document.clone()
                } else {
                    dir.join(file)
                };
                let name = document.strip_prefix(ROOT).unwrap().display().to_string();
                if !path.exists() {
                    broken.push(format!("{name}:{number}: {target}: no such file"));
                } else if !fragment.is_empty()
                    && path.extension().is_some_and(|ext| ext == "md")
                    && !anchors(&path).contains(fragment)
                {
                    broken.push(format!("{name}:{number}: {target}: no such heading"));
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: is the parser still right?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn readme_is_a_page_for_users_that_opens_with_the_commands_ci_runs() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 250,
        "README.md has {lines} lines; the limit is 250 (move the rest to docs/)"
    );
    let opening: Vec<&str> = readme.lines().take(6).collect();
    assert_eq!(opening[2], "```sh");
    assert!(
        opening[3].starts_with("bash scripts/demo.sh   # "),
        "{opening:?}"
    );
    assert!(
        opening[4].starts_with("bash scripts/test.sh   # "),
        "{opening:?}"
    );
    assert_eq!(opening[5], "```");
}

#[test]
fn the_link_checker_sees_links_and_headings_as_github_does() {
    assert_eq!(
        link_targets("see [a](docs/a.md#x) and `[b](no)` or [c](c.md)"),
        ["docs/a.md#x", "c.md"]
    );
    assert_eq!(
        slug("The source's keys and the network: endpoints, proxies, retries"),
        "the-sources-keys-and-the-network-endpoints-proxies-retries"
    );
    assert_eq!(
        slug("Refresh (the default command)"),
        "refresh-the-default-command"
    );
    assert_eq!(slug("`src/app/`"), "srcapp");
}

/// Every `.rs` file under `dir`, as paths from the project's root.
fn sources_under(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources_under(root, &path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap();
            found.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Issue 23: README's architecture table named `src/cli.rs` (a folder by then) and left out
/// nine modules. docs/architecture.md has one row per module, and this keeps it so: every
/// module under src/ has its row, and every row names a module that exists.
#[test]
fn the_architecture_page_lists_every_module_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let listed: Vec<String> = page
        .lines()
        .filter_map(|line| line.strip_prefix("| `src/"))
        .filter_map(|rest| rest.split_once("` |"))
        .map(|(path, _)| format!("src/{path}"))
        .filter(|path| path.ends_with(".rs"))
        .collect();
    let mut sources = Vec::new();
    sources_under(root, &root.join("src"), &mut sources);
    let missing: Vec<&String> = sources.iter().filter(|s| !listed.contains(s)).collect();
    let gone: Vec<&String> = listed.iter().filter(|l| !sources.contains(l)).collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "docs/architecture.md is stale: modules with no row {missing:?}, rows with no module {gone:?}"
    );
    // Every layer folder has its row in the layers table.
    for entry in std::fs::read_dir(root.join("src")).unwrap().flatten() {
        if entry.path().is_dir() {
            let folder = format!("| `src/{}/` |", entry.file_name().to_string_lossy());
            assert!(page.contains(&folder), "no row for layer {folder}");
        }
    }
}
