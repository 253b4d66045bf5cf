//! Completion scripts and man pages, generated from the command-line definition so they never
//! drift from it.
//!
//! Invariant: pure (bytes out, nothing written); every page and script covers every command
//! and option clap knows.

use super::Cli;
use clap::CommandFactory;
use std::io::Write;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "mfa-profile", &mut out);
    let script = String::from_utf8_lossy(&out);
    match shell {
        // clap_complete names the case labels of a binary with a hyphen `mfa__subcmd__profile__…`
        // but computes `mfa__profile__…` while reading the words, so nothing below the top
        // level completed: one spelling for both.
        clap_complete::Shell::Bash => {
            bash_targets(&script.replace("mfa__subcmd__profile__", "mfa__profile__")).into_bytes()
        }
        // fish: `-t`/`--target` of every command completes the managed targets (and no file
        // name).
        clap_complete::Shell::Fish => {
            format!("{script}complete -c mfa-profile -s t -l target -x -a '({LIST_TARGETS})'\n")
                .into_bytes()
        }
        clap_complete::Shell::Zsh => zsh_fixed(&script).into_bytes(),
        _ => out,
    }
}

/// What lists the managed targets for a completion script (nothing, quietly, when the files
/// cannot be read).
const LIST_TARGETS: &str = "mfa-profile status --names 2>/dev/null";

/// zsh: the top level's optional CODE argument is left out, so that the first word is the
/// command (clap_complete took `export` for a code, and completed nothing below the top
/// level); after `-t` or `--target`, the managed targets.
fn zsh_fixed(script: &str) -> String {
    let lines: Vec<&str> = script.split_inclusive('\n').collect();
    let mut out = String::with_capacity(script.len());
    let mut top_level_done = false;
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).map_or("", |l| l.trim());
        if line.starts_with("'::code -- ") && next == "\":: :_mfa-profile_commands\" \\" {
            continue;
        }
        if !top_level_done && line.contains("$line[2]") {
            out.push_str(&line.replace("$line[2]", "$line[1]"));
            top_level_done = line.trim_start().starts_with("case ");
            continue;
        }
        let target_option = line.starts_with("'-t+[") || line.starts_with("'--target=[");
        if target_option && line.contains(":PROFILE:_default'") {
            let targets = format!(":PROFILE:{{compadd -- ${{(f)\"$({LIST_TARGETS})\"}}}}'");
            out.push_str(&line.replacen(":PROFILE:_default'", &targets, 1));
            continue;
        }
        out.push_str(line);
    }
    out
}

/// bash: after `-t` or `--target`, the managed targets instead of file names.
fn bash_targets(script: &str) -> String {
    let file_names = "COMPREPLY=($(compgen -f \"${cur}\"))";
    let targets = format!("COMPREPLY=($(compgen -W \"$({LIST_TARGETS})\" -- \"${{cur}}\"))");
    let mut out = String::with_capacity(script.len());
    let mut after_target_option = false;
    for line in script.split_inclusive('\n') {
        if after_target_option && line.trim() == file_names {
            out.push_str(&line.replacen(file_names, &targets, 1));
        } else {
            out.push_str(line);
        }
        after_target_option = matches!(line.trim(), "--target)" | "-t)");
    }
    out
}

/// The man pages: `mfa-profile.1` and one page per command (`mfa-profile-exec.1`, ...), each
/// with its options, as (file name, roff).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let mut pages = vec![("mfa-profile.1".to_owned(), page(&cli)?)];
    // A command's own commands (`schedule install`) get pages too: their options are theirs.
    let mut commands: Vec<&clap::Command> = cli.get_subcommands().collect();
    let mut at = 0;
    while at < commands.len() {
        let command = commands[at];
        at += 1;
        if command.is_hide_set() {
            continue;
        }
        let name = command
            .get_display_name()
            .unwrap_or_else(|| command.get_name());
        pages.push((format!("{name}.1"), page(command)?));
        commands.extend(command.get_subcommands());
    }
    Ok(pages)
}

/// One page: clap_mangen's sections, then the text after `--help` as preformatted sections
/// (an "Exit codes:" paragraph becomes EXIT STATUS), so its columns stay aligned.
fn page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if command.get_subcommands().any(|c| !c.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    if let Some(after) = command.get_after_help() {
        for paragraph in after.to_string().split("\n\n") {
            let (title, body) = match paragraph.strip_prefix("Exit codes:\n") {
                Some(codes) => ("\"EXIT STATUS\"", codes),
                None => ("NOTES", paragraph),
            };
            writeln!(out, ".SH {title}\n.nf")?;
            for line in body.lines() {
                writeln!(out, "{}", roff_line(line))?;
            }
            writeln!(out, ".fi")?;
        }
    }
    if command.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

/// A line of text for roff: backslashes escaped, a leading `.` or `'` made literal.
fn roff_line(line: &str) -> String {
    let escaped = line.replace('\\', "\\e");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_per_command_each_with_its_options() {
        let pages = man_pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "mfa-profile.1",
            "mfa-profile-exec.1",
            "mfa-profile-export.1",
            "mfa-profile-status.1",
            "mfa-profile-credential-process.1",
        ] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        let export = String::from_utf8(
            pages
                .iter()
                .find(|(n, _)| n == "mfa-profile-export.1")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap();
        assert!(export.contains("\\-\\-format"), "{export}");
        let main = String::from_utf8(pages[0].1.clone()).unwrap();
        assert!(
            main.contains(".SH \"EXIT STATUS\"\n.nf\n  0  success\n"),
            "{main}"
        );
    }

    #[test]
    fn bash_case_labels_match_the_names_it_computes() {
        let script = String::from_utf8(completions(clap_complete::Shell::Bash)).unwrap();
        assert!(!script.contains("mfa__subcmd__profile"));
        assert!(script.contains("cmd=\"mfa__profile__subcmd__export\""));
        assert!(script.contains("        mfa__profile__subcmd__export)"));
    }
}
