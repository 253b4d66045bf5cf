//! The one edit mfa-profile makes to the config file: the source's region, added to the
//! target's profile so `aws --profile TARGET` works without `--region`.
//!
//! Invariant: adds one `region` line (and the target's section when it is missing) and nothing
//! else; never changes a region that is there; refuses where botocore and the SDKs would not
//! agree on which section is the target's.

use super::find::{find_section, FileKind};
use super::{ProfileName, Refusal};
use crate::ini::Document;
use crate::input::Region;

/// Adds `region` to profile `target` of a config file when it has none. Returns the header of
/// the section it went into, or `None` when the profile has a region already.
pub fn add_region(
    doc: &mut Document,
    target: &ProfileName,
    region: &Region,
) -> Result<Option<String>, Refusal> {
    let at = find_section(doc, FileKind::Config, target)?;
    if at.is_some_and(|id| doc.section(id).get("region").is_some()) {
        return Ok(None);
    }
    let id = at.unwrap_or_else(|| doc.append_section(&FileKind::Config.header_for(target)));
    doc.section_mut(id).set("region", region.as_str());
    Ok(Some(doc.section(id).header().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_region_once_and_keeps_everything_else() {
        let original = "# mine\r\n[profile work-mfa]\r\noutput=json\r\n\r\n[profile other]\r\nregion = us-west-2\r\n";
        let mut doc = Document::parse(original.as_bytes()).unwrap();
        let target = ProfileName::new("work-mfa").unwrap();
        let region: Region = "eu-west-1".parse().unwrap();
        assert_eq!(
            add_region(&mut doc, &target, &region).unwrap().as_deref(),
            Some("[profile work-mfa]")
        );
        let text = doc.render();
        assert_eq!(
            text,
            "# mine\r\n[profile work-mfa]\r\noutput=json\r\nregion=eu-west-1\r\n\r\n[profile other]\r\nregion = us-west-2\r\n"
        );
        let other: Region = "us-east-2".parse().unwrap();
        assert_eq!(add_region(&mut doc, &target, &other).unwrap(), None);
        assert_eq!(doc.render(), text, "a region is never changed");
        let new = ProfileName::new("new-mfa").unwrap();
        add_region(&mut doc, &new, &region).unwrap();
        assert!(doc
            .render()
            .ends_with("region = us-west-2\r\n\r\n[profile new-mfa]\r\nregion = eu-west-1\r\n"));
    }
}
