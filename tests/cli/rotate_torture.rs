//! The credentials file's torture applied to the sections a rotation rewrites: odd but valid
//! layouts are rotated byte for byte and read alike by the three readers; lines the readers
//! would read differently are refused before anything is asked of IAM.

use crate::fake_aws::*;
use crate::rotate::{session, OLD, OLD_SECRET};
use crate::support::key_readers::{readings, substituted};
use crate::support::*;

const S: &str = OLD_SECRET;

/// Credentials files holding the old key, each with the key-name spellings a rotation turns
/// to lower case.
fn accepted() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        ("plain", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
        ("no final newline", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}"), vec![]),
        ("crlf", format!("[default]\r\naws_access_key_id = {OLD}\r\naws_secret_access_key = {S}\r\n"), vec![]),
        ("mixed endings", format!("# a\r\n[default]\naws_access_key_id = {OLD}\r\naws_secret_access_key = {S}\n[b]\r\nk = v\n"), vec![]),
        ("no spaces and tabs", format!("[default]\naws_access_key_id={OLD}\naws_secret_access_key\t=\t{S}\n"), vec![]),
        ("mixed-case keys", format!("[default]\nAws_Access_Key_Id = {OLD}\nAWS_SECRET_ACCESS_KEY = {S}\n"), vec!["Aws_Access_Key_Id", "AWS_SECRET_ACCESS_KEY"]),
        ("comments and blanks between", format!("[default] # main\n; the key\naws_access_key_id = {OLD}\n\n# its secret\naws_secret_access_key = {S}\n\n"), vec![]),
        ("continuation under another key", format!("[default]\ns3 =\n  max_concurrent_requests = 20\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\nregion = eu-west-1\n"), vec![]),
        ("a DEFAULT section", format!("[DEFAULT]\nregion = eu-west-1\n\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
        ("unicode around", format!("# clé d'Émilie ✓\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\nnote = café\n"), vec![]),
        ("three sections", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n[copy]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n[old-laptop]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
        ("the last of repeated sections' keys", format!("[other]\naws_access_key_id = AKIAOTHERKEYEXAMPLE0\naws_secret_access_key = x\n[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n"), vec![]),
    ]
}

fn expected(text: &str, spellings: &[&str]) -> String {
    let mut out = text.to_owned();
    for spelling in spellings {
        out = out.replace(spelling, &spelling.to_ascii_lowercase());
    }
    out.replace(OLD, NEW_KEYS[0].0).replace(S, NEW_KEYS[0].1)
}

#[test]
fn odd_but_valid_layouts_are_rotated_byte_for_byte_and_read_alike() {
    for (name, text, spellings) in accepted() {
        let aws = crate::rotate::start();
        let original = format!("{}{text}", session());
        let env = TestEnv::with_credentials(&original);
        env.write_config(&format!(
            "[profile ci]\nAWS_ACCESS_KEY_ID = {OLD}\naws_secret_access_key = {S}\n"
        ));
        let before = readings(&env);
        let mut cmd = env.mfa();
        let out = run(cmd.arg("rotate").args(aws.endpoints()));
        assert_eq!(out.code, 0, "{name}\n{out}");
        assert_eq!(
            env.read_credentials_text(),
            expected(&original, &spellings),
            "{name}"
        );
        assert_eq!(
            env.read_config_text(),
            format!(
                "[profile ci]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
                NEW_KEYS[0].0, NEW_KEYS[0].1
            ),
            "{name}"
        );
        let (Some(before), Some(after)) = (before, readings(&env)) else {
            continue;
        };
        assert_eq!(
            after,
            substituted(&before, &[(OLD, NEW_KEYS[0].0), (S, NEW_KEYS[0].1)]),
            "{name}: the readers read the new key wherever they read the old one"
        );
    }
}

#[test]
fn lines_the_readers_would_read_differently_stop_the_rotation_before_iam_is_asked() {
    for (name, text, says) in [
        ("inline comment", format!("[default]\naws_access_key_id = {OLD} # main\naws_secret_access_key = {S}\n"), "line 2: `aws_access_key_id` has an inline comment"),
        ("indented comment", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n  # rotated in May\n"), "line 4: an indented comment under `aws_secret_access_key`"),
        ("repeated key", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = x\naws_secret_access_key = {S}\n"), "line 4: `aws_secret_access_key` appears twice in [default]"),
        ("secret elsewhere", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n[copy]\naws_access_key_id = {OLD}\n"), "line 4: [copy] holds access key AKIAOLDKEYEXAMPLE000 but no aws_secret_access_key beside it"),
        ("invisible space", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n\u{a0}region = x\n"), "line 4: the line starts with an invisible space (U+00A0)"),
        ("a header only the JavaScript SDK sees", format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {S}\n  [other]\n"), "line 4: `  [other]` is read as a section header by the AWS SDK for JavaScript"),
    ] {
        let aws = crate::rotate::start();
        let original = format!("{text}{}", session());
        let env = TestEnv::with_credentials(&original);
        let mut cmd = env.mfa();
        let out = run(cmd.arg("rotate").args(aws.endpoints()));
        assert_eq!(out.code, 2, "{name}\n{out}");
        out.assert_stderr_has(says);
        assert_eq!(env.read_credentials_text(), original, "{name}: byte-identical");
        assert!(aws.actions().is_empty(), "{name}: IAM was asked {:?}", aws.actions());
    }
}
