//! Carrying the source profile's region over to the target's profile in the config file, so
//! that `aws --profile TARGET` and the SDKs work without `--region`.
//!
//! Invariant: adds one `region` line (and the `[profile TARGET]` section when it is missing)
//! and nothing else; never changes a region that is there; leaves the file alone wherever
//! botocore and the SDKs would not agree on which section is the target's.

use crate::error::Error;
use crate::fsio;
use crate::ini::dialect::botocore_section;
use crate::ini::Document;
use crate::paths;
use crate::profile::{
    header_name, section_values, upsert_section_headed, ProfileName, Refusal, SectionAt,
};
use std::path::Path;

/// The profile a config-file header names for the SDKs: `[default]`, `[profile NAME]`.
/// (A bare `[NAME]` other than default is ignored by the SDKs and by botocore.)
fn sdk_config_name(inner: &str) -> Option<&str> {
    match inner.split_once([' ', '\t']) {
        Some(("profile", rest)) => Some(rest.trim_matches([' ', '\t'])),
        None if inner == "default" => Some("default"),
        _ => None,
    }
}

/// The same for botocore, which splits `profile NAME` on any whitespace.
fn botocore_config_name(line: &str) -> Option<&str> {
    let section = botocore_section(line)?;
    let mut parts = section.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some("profile"), Some(name), None) => Some(name),
        (Some("default"), None, None) if section == "default" => Some("default"),
        _ => None,
    }
}

/// Finds the config-file section of profile `name`, refusing when the readers disagree on a
/// header or when two sections are that profile (`[default]` and `[profile default]`).
pub fn find_config_section(
    doc: &Document,
    name: &ProfileName,
) -> Result<Option<SectionAt>, Refusal> {
    let name = name.as_str();
    let mut found = None;
    for index in 0..doc.len() {
        let Some(inner) = header_name(doc, index) else {
            continue;
        };
        let sdk = sdk_config_name(inner) == Some(name);
        let boto = botocore_config_name(doc.text(index)) == Some(name);
        let line = doc.line_number(index);
        if sdk != boto {
            return Err(Refusal {
                line,
                reason: format!(
                    "the header `{}` is read as profile `{name}` by only one of the AWS CLI and the SDKs",
                    doc.text(index).escape_debug()
                ),
            });
        }
        if !sdk {
            continue;
        }
        if let Some(first) = found {
            return Err(Refusal {
                line,
                reason: format!(
                    "profile `{name}` has two sections (lines {} and {line})",
                    doc.line_number(first)
                ),
            });
        }
        found = Some(index);
    }
    Ok(found.map(|header| SectionAt { header }))
}

/// Adds `region` to profile `target` in the config file at `path` when it has none. Returns the
/// section header it was added under, or `None` when the profile already has a region.
pub fn carry_region(
    path: &Path,
    home: Option<&Path>,
    target: &ProfileName,
    region: &str,
) -> Result<Option<String>, Error> {
    let shown = paths::display(path, home);
    let real = fsio::real_path(path)?;
    let lock = fsio::lock_dir_of(&real, |_| {})?;
    let bytes = fsio::read_optional(path)?.unwrap_or_default();
    let mut doc = Document::parse_owned(bytes).map_err(|error| Error::Parse {
        path: shown.clone(),
        error,
    })?;
    let at = find_config_section(&doc, target).map_err(|refusal| Error::Refused {
        path: shown,
        refusal,
    })?;
    if let Some(at) = at {
        if section_values(&doc, at)
            .iter()
            .any(|(key, _)| key == "region")
        {
            return Ok(None);
        }
    }
    let header = match at {
        Some(at) => doc.text(at.header).to_owned(),
        None if target.as_str() == "default" => "[default]".to_owned(),
        None => format!("[profile {target}]"),
    };
    upsert_section_headed(&mut doc, at, &header, &[("region", region)]);
    fsio::replace(path, doc.render().as_bytes(), &lock)?;
    Ok(Some(header))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, name: &str) -> Result<Option<usize>, Refusal> {
        let doc = Document::parse(text.as_bytes()).unwrap();
        find_config_section(&doc, &ProfileName::new(name).unwrap()).map(|at| at.map(|at| at.header))
    }

    #[test]
    fn config_headers_as_both_readers_see_them() {
        assert_eq!(find("[profile a]\n[a]\n", "a"), Ok(Some(0)));
        assert_eq!(find("[a]\n", "a"), Ok(None), "a bare [a] is not profile a");
        assert_eq!(find("[profile  a ]\n", "a"), Ok(Some(0)));
        assert_eq!(find("[default]\n", "default"), Ok(Some(0)));
        assert_eq!(find("[profile default]\n", "default"), Ok(Some(0)));
        assert!(find("[default]\n[profile default]\n", "default").is_err());
        assert!(find("[profile a]\n[profile a]\n", "a").is_err());
        assert_eq!(find("[profile b]\n", "a"), Ok(None));
    }

    #[test]
    fn adds_a_region_once_and_keeps_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let original = "# mine\r\n[profile work-mfa]\r\noutput=json\r\n\r\n[profile other]\r\nregion = us-west-2\r\n";
        std::fs::write(&path, original).unwrap();
        let target = ProfileName::new("work-mfa").unwrap();
        let added = carry_region(&path, None, &target, "eu-west-1").unwrap();
        assert_eq!(added.as_deref(), Some("[profile work-mfa]"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "# mine\r\n[profile work-mfa]\r\noutput=json\r\nregion=eu-west-1\r\n\r\n[profile other]\r\nregion = us-west-2\r\n"
        );
        assert_eq!(
            carry_region(&path, None, &target, "us-east-2").unwrap(),
            None
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "a region is never changed"
        );
        let other = ProfileName::new("new-mfa").unwrap();
        carry_region(&path, None, &other, "eu-west-1").unwrap();
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .ends_with("region = us-west-2\r\n\r\n[profile new-mfa]\r\nregion = eu-west-1\r\n"));
    }
}
