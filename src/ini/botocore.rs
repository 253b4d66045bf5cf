//! How botocore (Python's `configparser`, which the AWS CLI and boto3 use) reads a line, where
//! that can differ from the SDK view that [`classify`](super::classify) gives.
//!
//! Invariant: these functions only describe; they never decide. Callers compare the two views
//! and refuse input on which the readers disagree.

/// The section name botocore reads from a line: the line stripped of all Unicode whitespace,
/// then `[` up to the *last* `]` (its regex is greedy), untrimmed inside. `None` when botocore
/// does not take the line for a header.
pub fn botocore_section(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// The key botocore reads from an option line: everything before the first `=` *or* `:`,
/// stripped of Unicode whitespace and lower-cased. `None` when there is no delimiter or no key.
pub fn botocore_key(line: &str) -> Option<String> {
    let stripped = line.trim();
    let at = stripped.find(['=', ':'])?;
    let key = stripped[..at].trim_end();
    (!key.is_empty()).then(|| key.to_lowercase())
}

/// True when botocore takes the line for a comment: `#` or `;` after any leading whitespace.
/// The SDKs only do so in column 0; indented, they read it as a continuation.
pub fn is_botocore_comment(line: &str) -> bool {
    line.trim_start().starts_with(['#', ';'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        assert_eq!(botocore_section("[mfa]"), Some("mfa"));
        assert_eq!(botocore_section("  [mfa] # c"), Some("mfa"));
        assert_eq!(botocore_section("[ mfa ]"), Some(" mfa "));
        assert_eq!(botocore_section("[a] x ]"), Some("a] x "));
        assert_eq!(botocore_section("[]"), None);
        assert_eq!(botocore_section("k = [x]"), None);
    }

    #[test]
    fn keys() {
        assert_eq!(
            botocore_key("AWS_Access_Key_Id = x").as_deref(),
            Some("aws_access_key_id")
        );
        assert_eq!(botocore_key("a:b = c").as_deref(), Some("a"));
        assert_eq!(botocore_key("key\u{a0}= v").as_deref(), Some("key"));
        assert_eq!(botocore_key("novalue"), None);
        assert_eq!(botocore_key(" = v"), None);
    }

    #[test]
    fn comments() {
        assert!(is_botocore_comment("  # x"));
        assert!(is_botocore_comment(";x"));
        assert!(!is_botocore_comment("k = #"));
    }
}
