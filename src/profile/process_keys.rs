//! The long-term keys a source's `credential_process` prints (the way 1Password's `op`,
//! `pass`, a keychain helper or aws-vault serve them): its output read as the SDKs read it,
//! and taken only when it is an IAM user's long-term keys.
//!
//! Invariant: pure; a session (a `SessionToken`, an `ASIA` key id) is refused with the reason,
//! and no message repeats a value the process printed.

use crate::input::keys::{LongTermKeys, Secret};
use crate::input::{check_secret, AccessKeyId};
use zeroize::Zeroize;

/// The credential_process JSON of long-term keys: what [`long_term_keys`] reads.
pub fn long_term_process_json(keys: &LongTermKeys) -> String {
    serde_json::json!({
        "Version": 1,
        "AccessKeyId": keys.access_key_id,
        "SecretAccessKey": keys.secret_access_key.expose(),
    })
    .to_string()
}

/// The long-term keys in a credential process's standard output: the JSON object the SDKs
/// read (`Version` 1, `AccessKeyId`, `SecretAccessKey`, keys matched case-insensitively), with
/// no (or an empty) `SessionToken`. `Err` says what it printed instead, without the values.
pub fn long_term_keys(output: &[u8]) -> Result<LongTermKeys, String> {
    let mut value: serde_json::Value = serde_json::from_slice(output).map_err(|_| {
        "printed no JSON object on its standard output (it should print {\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ...})".to_owned()
    })?;
    let result = keys_of(&value);
    zero(&mut value);
    result
}

fn keys_of(value: &serde_json::Value) -> Result<LongTermKeys, String> {
    let object = value
        .as_object()
        .ok_or("printed JSON that is not an object")?;
    let field = |name: &str| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    };
    match field("Version").and_then(serde_json::Value::as_i64) {
        Some(1) => {}
        Some(other) => return Err(format!("printed Version {other}; only Version 1 exists")),
        None => return Err("printed no \"Version\": 1".into()),
    }
    let text = |name: &'static str| match field(name) {
        Some(serde_json::Value::String(text)) => Ok(text.as_str()),
        Some(_) => Err(format!("printed a {name} that is not a string")),
        None => Err(format!("printed no {name}")),
    };
    let has_token =
        matches!(field("SessionToken"), Some(serde_json::Value::String(t)) if !t.is_empty());
    if has_token {
        return Err("printed a session (it has a SessionToken), not long-term keys: GetSessionToken needs the IAM user's own access key; have it print the long-term keys (aws-vault: `aws-vault export --no-session`; 1Password: the item's access key fields)".into());
    }
    let id: AccessKeyId = text("AccessKeyId")?.parse().map_err(|e| {
        format!("printed an AccessKeyId that is not an IAM user's long-term key id: {e}")
    })?;
    let secret = text("SecretAccessKey")?;
    check_secret(secret).map_err(|e| format!("printed a SecretAccessKey that will not do: {e}"))?;
    Ok(LongTermKeys {
        access_key_id: id.to_string(),
        secret_access_key: Secret::new(secret),
    })
}

/// Zeroes every string of a parsed answer.
fn zero(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => text.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(zero),
        serde_json::Value::Object(map) => map.values_mut().for_each(zero),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn the_json_of_long_term_keys_reads_back() {
        let keys = LongTermKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: crate::input::keys::Secret::new(SECRET),
        };
        let back = long_term_keys(long_term_process_json(&keys).as_bytes()).unwrap();
        assert_eq!(back.access_key_id, keys.access_key_id);
        assert_eq!(back.secret_access_key, keys.secret_access_key);
    }

    #[test]
    fn long_term_keys_are_taken_as_the_sdks_read_them() {
        let keys = long_term_keys(
            format!(r#"{{"version": 1, "accesskeyid": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "{SECRET}", "SessionToken": ""}}"#).as_bytes(),
        )
        .unwrap();
        assert_eq!(keys.access_key_id, "AKIAIOSFODNN7EXAMPLE");
        assert_eq!(keys.secret_access_key.expose(), SECRET);
    }

    #[test]
    fn sessions_and_garbage_are_refused_without_repeating_values() {
        for (output, why) in [
            (format!(r#"{{"Version": 1, "AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "{SECRET}", "SessionToken": "FwoGZXIvYXdzEXAMPLE"}}"#), "a session"),
            (format!(r#"{{"Version": 1, "AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "{SECRET}"}}"#), "session"),
            (format!(r#"{{"Version": 2, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "{SECRET}"}}"#), "Version 2"),
            (r#"{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE"}"#.to_owned(), "no SecretAccessKey"),
            (r#"{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "a b$(id)"}"#.to_owned(), "will not do"),
            ("op: not signed in".to_owned(), "no JSON"),
            ("[1]".to_owned(), "not an object"),
        ] {
            let error = long_term_keys(output.as_bytes()).unwrap_err();
            assert!(error.contains(why), "{output}: {error}");
            assert!(!error.contains(SECRET) && !error.contains("$(id)") && !error.contains("FwoG"), "{error}");
        }
    }
}
