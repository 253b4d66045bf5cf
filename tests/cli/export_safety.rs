//! `export` output is sourced by shells: a session holding characters a format cannot carry
//! (written by an older version, or by hand) is refused in that format, and what is printed
//! assigns exactly the value and runs nothing.

use crate::support::*;

/// `{touch,pwned}` is brace expansion: sourced by bash, an unquoted `;{touch,pwned}` runs
/// `touch pwned`. Fake STSs sent keys like it, and dotenv output carried them unquoted.
const HOSTILE_KEY_ID: &str = "ASIAX;{touch,pwned};x";

/// A secret that runs `touch pwned2` and `touch pwned3` if it is not quoted.
const HOSTILE_SECRET: &str = "a'b$(touch pwned2)`touch pwned3`";
const PLAIN_SECRET: &str = "wJalrXUtnFEMI/K7MDENG";

fn stored(access_key_id: &str, secret: &str) -> String {
    format!(
        "{}[mfa]\naws_access_key_id = {access_key_id}\naws_secret_access_key = {secret}\naws_session_token = FwoGZXIvYXdzEXAMPLE\nexpiration = 2099-01-01T00:00:00Z\nmfa_source_profile = default\n",
        default_source()
    )
}

#[test]
fn sourcing_export_output_runs_nothing_whatever_the_stored_session_holds() {
    if !require("bash") {
        return;
    }
    for (key_id, secret) in [
        (HOSTILE_KEY_ID, PLAIN_SECRET),
        (HOSTILE_KEY_ID, HOSTILE_SECRET),
    ] {
        source_each_format(key_id, secret);
    }
}

fn source_each_format(key_id: &str, secret: &str) {
    let env = TestEnv::with_credentials(&stored(key_id, secret));
    for format in ["env", "env-no-export", "dotenv"] {
        let out = run(env.mfa().args(["export", "--format", format]));
        let printed = env.home().join(format!("out.{format}"));
        std::fs::write(&printed, &out.stdout).unwrap();
        let sourced = run(env.command("bash").args([
            "-c",
            "set -a; . \"$1\"; printf '%s\\n%s\\n' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\"",
            "bash",
        ])
        .arg(&printed));
        for marker in ["pwned", "pwned2", "pwned3"] {
            assert!(
                !env.home().join(marker).exists(),
                "{format}: sourcing the output ran `touch {marker}`:\n{}",
                out.stdout
            );
        }
        match format {
            "dotenv" => {
                assert_eq!(out.code, 2, "{}", out.stderr);
                assert_eq!(out.stdout, "", "nothing is printed");
                assert!(
                    out.stderr.contains(
                        "AWS_ACCESS_KEY_ID holds a character .env readers could interpret"
                    ),
                    "{}",
                    out.stderr
                );
            }
            _ => {
                assert_eq!(out.code, 0, "{format}: {}", out.stderr);
                assert_eq!(
                    sourced.stdout,
                    format!("{key_id}\n{secret}\n"),
                    "{format}: quoted, the values arrive exactly"
                );
            }
        }
    }
}

#[test]
fn a_session_a_format_cannot_carry_prints_nothing_in_it() {
    let env = TestEnv::with_credentials(&stored("ASIAIOSFODNN7EXAMPLE", HOSTILE_SECRET));
    for format in ["dotenv", "windows-cmd"] {
        let out = run(env.mfa().args(["export", "--format", format]));
        assert_eq!(out.code, 2, "{format}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{format}");
        assert!(
            out.stderr
                .contains("AWS_SECRET_ACCESS_KEY holds a character"),
            "{format}: {}",
            out.stderr
        );
    }
}
