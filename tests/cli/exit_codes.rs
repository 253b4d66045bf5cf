//! The exit codes README's "Exit codes" section states, each brought about and checked against
//! the binary (issue 20: README said `credential-process` exits 1 where it exits 4).

use crate::support::*;

/// `[default]` with an expired `[mfa]` from it.
fn expired_mfa() -> String {
    format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2001-01-01T00:00:00Z")
    )
}

#[test]
fn readme_exit_codes_are_the_binarys() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("## Exit codes").expect("README has Exit codes")..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 3)];
    // As a reader reads it: line breaks are spaces.
    let section = section.split_whitespace().collect::<Vec<_>>().join(" ");
    // (what README says, the command, the exit code it gives)
    let cases: [(&str, &[&str], i32); 7] = [
        ("`export` exits 1 when the session has expired", &["export", "mfa"], 1),
        ("`credential-process`, `exec` and `export --refresh` refresh a stale session and exit 4", &["credential-process", "mfa"], 4),
        ("exit 4 when that needs a code", &["exec", "-t", "mfa", "--", "true"], 4),
        ("exit 4 when that needs a code", &["export", "--refresh", "mfa"], 4),
        ("all three exit 2 when the target does not exist", &["credential-process", "nope"], 2),
        ("all three exit 2 when the target does not exist", &["export", "nope"], 2),
        ("all three exit 2 when the target does not exist", &["exec", "-t", "nope", "--", "true"], 2),
    ];
    for (said, args, code) in cases {
        assert!(section.contains(said), "README no longer says {said:?}");
        // Shown with the failure, if the exit code is not README's.
        eprintln!("{said}: {args:?}");
        Test::new()
            .credentials(expired_mfa())
            .detached()
            .args(args)
            .env("AWS_ENDPOINT_URL_STS", CLOSED)
            .status(code)
            .run();
    }
    let valid = format!(
        "{}{}",
        default_source(),
        managed("mfa", "default", "2099-01-01T00:00:00Z")
    );
    let env = TestEnv::with_credentials(&valid);
    assert!(section.contains("127 (not found) / 126 (cannot run)"));
    Test::on(&env)
        .args(["exec", "--", "no-such-command-x"])
        .status(127)
        .run();
    let not_executable = env.home().join("not-executable");
    std::fs::write(&not_executable, "#!/bin/sh\n").unwrap();
    Test::on(&env)
        .arg("exec")
        .arg("--")
        .arg(&not_executable)
        .status(126)
        .run();
    assert!(section.contains("`doctor` exits 1 when it found a problem"));
    Test::on(&env)
        .arg("doctor")
        .env("AWS_SESSION_TOKEN", "stale")
        .status(1)
        .run();
}
