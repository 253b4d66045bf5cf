//! Printing a session for another program: shell variable assignments in the formats of
//! `aws configure export-credentials` (plus fish and dotenv), and the `credential_process`
//! JSON.
//!
//! Invariant: every value is quoted for its format so that evaluating the output assigns
//! exactly the value and runs nothing; a value a format cannot carry safely is refused: a
//! control character or non-ASCII in any shell format, anything but `A-Z a-z 0-9 + / = : . _
//! -` in the unquoted ones (dotenv, windows-cmd).

use crate::input::keys::SessionCredentials;
use crate::text::time;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `export NAME='value'` (POSIX shells).
    Env,
    /// `NAME='value'` (POSIX shells, not exported).
    EnvNoExport,
    /// `$Env:NAME='value'` (PowerShell).
    Powershell,
    /// `set "NAME=value"` (cmd.exe).
    WindowsCmd,
    /// The `credential_process` JSON object.
    Process,
    /// `set -gx NAME 'value'` (fish).
    Fish,
    /// `NAME=value` lines for `.env` files.
    Dotenv,
}

impl Format {
    /// Every format, by the name the command line uses (those of `aws configure
    /// export-credentials`, then fish and dotenv).
    pub const NAMED: [(&'static str, Format); 7] = [
        ("env", Format::Env),
        ("env-no-export", Format::EnvNoExport),
        ("powershell", Format::Powershell),
        ("windows-cmd", Format::WindowsCmd),
        ("process", Format::Process),
        ("fish", Format::Fish),
        ("dotenv", Format::Dotenv),
    ];

    /// The format called `name`.
    pub fn named(name: &str) -> Option<Format> {
        Format::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// The variables, in the order the AWS CLI prints them.
fn variables(session: &SessionCredentials) -> [(&'static str, String); 4] {
    [
        ("AWS_ACCESS_KEY_ID", session.access_key_id.clone()),
        (
            "AWS_SECRET_ACCESS_KEY",
            session.secret_access_key.expose().to_owned(),
        ),
        (
            "AWS_SESSION_TOKEN",
            session.session_token.expose().to_owned(),
        ),
        (
            "AWS_CREDENTIAL_EXPIRATION",
            time::rfc3339(session.expires_at),
        ),
    ]
}

/// The `credential_process` answer (Version 1), one line of JSON.
pub fn process_json(session: &SessionCredentials) -> String {
    serde_json::json!({
        "Version": 1,
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key.expose(),
        "SessionToken": session.session_token.expose(),
        "Expiration": time::rfc3339(session.expires_at),
    })
    .to_string()
}

/// The session in `format`, one line per variable, each ending with a newline.
pub fn render(format: Format, session: &SessionCredentials) -> Result<String, String> {
    if format == Format::Process {
        return Ok(process_json(session) + "\n");
    }
    render_variables(format, &variables(session))
}

/// Assignments of `variables` in `format` (any but [`Format::Process`]), one line each, each
/// ending with a newline.
pub fn render_variables(format: Format, variables: &[(&str, String)]) -> Result<String, String> {
    let mut out = String::new();
    for (name, value) in variables {
        let (name, value) = (*name, value.as_str());
        check_value(format, name, value)?;
        let line = match format {
            Format::Env => format!("export {name}={}", posix_quote(value)),
            Format::EnvNoExport => format!("{name}={}", posix_quote(value)),
            Format::Powershell => format!("$Env:{name}='{}'", value.replace('\'', "''")),
            Format::WindowsCmd => format!("set \"{name}={value}\""),
            Format::Fish => format!(
                "set -gx {name} '{}'",
                value.replace('\\', "\\\\").replace('\'', "\\'")
            ),
            Format::Dotenv => format!("{name}={value}"),
            Format::Process => {
                return Err("the process format holds a session, not variables".into())
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// Refuses a value `format` cannot carry safely. Every format: no control character (a line
/// break would end the assignment) and nothing outside ASCII (PowerShell takes the curly
/// quotes U+2018 to U+201B for `'`). The unquoted formats, `.env` files (read by shells,
/// Docker, dotenv libraries, each with its own rules) and cmd.exe, carry only the characters
/// a session can hold: `A-Z a-z 0-9 + / = : . _ -`.
fn check_value(format: Format, name: &str, value: &str) -> Result<(), String> {
    if value.chars().any(char::is_control) {
        return Err(format!(
            "{name} holds a control character; refusing to print it"
        ));
    }
    if !value.is_ascii() {
        return Err(format!(
            "{name} holds a character outside ASCII, which no key has; refusing to print it"
        ));
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"+/=:._-".contains(&b);
    let unquoted = match format {
        Format::Dotenv => Some(".env readers"),
        Format::WindowsCmd => Some("cmd.exe"),
        _ => None,
    };
    match unquoted {
        Some(reader) if !value.bytes().all(plain) => Err(format!(
            "{name} holds a character {reader} could interpret (only A-Z a-z 0-9 + / = : . _ - are printed in this format); use --format env or another quoted format"
        )),
        _ => Ok(()),
    }
}

/// Single-quotes `value` for a POSIX shell: `'` becomes `'\''`.
fn posix_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::keys::Secret;

    fn session(secret: &str) -> SessionCredentials {
        SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new(secret),
            session_token: Secret::new("FwoG/token+="),
            expires_at: 1_893_456_000,
        }
    }

    #[test]
    fn each_format() {
        let s = session("wJalr/K7+x=");
        let first = |f| render(f, &s).unwrap().lines().next().unwrap().to_owned();
        assert_eq!(first(Format::Env), "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'");
        assert_eq!(
            first(Format::EnvNoExport),
            "AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"
        );
        assert_eq!(
            first(Format::Powershell),
            "$Env:AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"
        );
        assert_eq!(
            first(Format::WindowsCmd),
            "set \"AWS_ACCESS_KEY_ID=ASIAEXAMPLE\""
        );
        assert_eq!(
            first(Format::Fish),
            "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'"
        );
        assert_eq!(first(Format::Dotenv), "AWS_ACCESS_KEY_ID=ASIAEXAMPLE");
        let env = render(Format::Env, &s).unwrap();
        assert_eq!(env.lines().count(), 4);
        assert!(env.contains("export AWS_CREDENTIAL_EXPIRATION='2030-01-01T00:00:00Z'\n"));
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Process, &s).unwrap()).unwrap();
        assert_eq!(json["Version"], 1);
        assert_eq!(json["SecretAccessKey"], "wJalr/K7+x=");
        assert_eq!(json["Expiration"], "2030-01-01T00:00:00Z");
    }

    #[test]
    fn hostile_values_are_quoted_or_refused() {
        let s = session("a'b$(touch x)`c`");
        let env = render(Format::Env, &s).unwrap();
        assert!(env.contains(r"export AWS_SECRET_ACCESS_KEY='a'\''b$(touch x)`c`'"));
        let ps = render(Format::Powershell, &s).unwrap();
        assert!(ps.contains("$Env:AWS_SECRET_ACCESS_KEY='a''b$(touch x)`c`'"));
        assert!(render(Format::Dotenv, &s).is_err());
        assert!(render(Format::WindowsCmd, &session("a%PATH%")).is_err());
        assert!(render(Format::Env, &session("a\nb")).is_err());
    }

    #[test]
    fn each_format_refuses_what_it_cannot_carry() {
        // The access key id a fake STS sent: sourced as a .env file, it ran `id`.
        let braces = SessionCredentials {
            access_key_id: "ASIAX;{id,-un}>x".into(),
            ..session("s")
        };
        assert!(render(Format::Dotenv, &braces).is_err());
        assert!(render(Format::WindowsCmd, &braces).is_err());
        assert!(render(Format::Env, &braces)
            .unwrap()
            .contains("export AWS_ACCESS_KEY_ID='ASIAX;{id,-un}>x'"));
        for format in [
            Format::Env,
            Format::EnvNoExport,
            Format::Powershell,
            Format::WindowsCmd,
            Format::Fish,
            Format::Dotenv,
        ] {
            // PowerShell reads U+2019 as a closing quote.
            let why = render(format, &session("a\u{2019};calc;\u{2019}")).unwrap_err();
            assert!(why.contains("outside ASCII"), "{why}");
            assert!(!why.contains("calc"), "{why}");
            assert!(render(format, &session("a\x1b]0;t\x07")).is_err());
            assert!(render(format, &session("wJalr/K7+x=")).is_ok());
        }
        for unsafe_unquoted in [
            "a b", "a;b", "a&b", "a(b)", "a'b", "a\"b", "a%b%", "a!b", "a^b",
        ] {
            assert!(render(Format::Dotenv, &session(unsafe_unquoted)).is_err());
            assert!(render(Format::WindowsCmd, &session(unsafe_unquoted)).is_err());
        }
    }
}
