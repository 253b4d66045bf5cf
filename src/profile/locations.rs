//! Where the shared credentials and config files are, following the SDKs' file-location rules.
//!
//! Invariant: resolution reads only the variables it is given (never the process environment
//! directly), so it is testable against the cross-SDK file-location suite. Every path in a
//! message goes through [`Shown`] (`text::shown`), the one place the home directory becomes `~`.

use crate::text::shown::Shown;
use std::path::{Path, PathBuf};

/// The two shared files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLocations {
    /// `~/.aws/credentials`, or its override.
    pub credentials: PathBuf,
    /// `~/.aws/config`, or its override.
    pub config: PathBuf,
}

/// Why the files could not be located.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot find the home directory (HOME is not set); set HOME, or give --credentials-file and --config-file")]
pub struct NoHome;

/// Resolves the files: the command-line paths, else `AWS_SHARED_CREDENTIALS_FILE` /
/// `AWS_CONFIG_FILE`, else `~/.aws/credentials` / `~/.aws/config`. A leading `~/` expands.
pub fn resolve(
    var: impl Fn(&str) -> Option<String>,
    credentials_flag: Option<&Path>,
    config_flag: Option<&Path>,
) -> Result<FileLocations, NoHome> {
    let var = |name: &str| var(name).filter(|v| !v.is_empty());
    let home = home_dir(&var);
    let pick = |flag: Option<&Path>, env: &str, default: &str| -> Result<PathBuf, NoHome> {
        let given = flag
            .map(Path::to_path_buf)
            .or_else(|| var(env).map(PathBuf::from));
        match given {
            Some(path) => expand_tilde(&path, home.as_deref()),
            None => Ok(home.as_ref().ok_or(NoHome)?.join(".aws").join(default)),
        }
    };
    Ok(FileLocations {
        credentials: pick(
            credentials_flag,
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
        )?,
        config: pick(config_flag, "AWS_CONFIG_FILE", "config")?,
    })
}

/// `HOME`, then (as the SDKs do on Windows) `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`.
pub fn home_dir(var: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    var("HOME")
        .or_else(|| cfg!(windows).then(|| var("USERPROFILE")).flatten())
        .or_else(|| {
            cfg!(windows)
                .then(|| Some(var("HOMEDRIVE")? + &var("HOMEPATH")?))
                .flatten()
        })
        .map(PathBuf::from)
}

fn expand_tilde(path: &Path, home: Option<&Path>) -> Result<PathBuf, NoHome> {
    match path.strip_prefix("~") {
        Ok(rest) => Ok(home.ok_or(NoHome)?.join(rest)),
        Err(_) => Ok(path.to_path_buf()),
    }
}

/// What to say of directory `dir` (permission bits `mode`) that users other than its owner may
/// write to: they can replace `file` in it.
pub fn writable_dir_warning(dir: &Path, mode: u32, file: &Path) -> String {
    format!(
        "{shown} is writable by other users (mode {mode:o}): they can replace {file}; run `chmod go-w {shown}` or keep the file in a private directory",
        shown = Shown(dir),
        file = Shown(file)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    /// The cross-SDK file-location suite, for the platform we run on.
    #[test]
    fn cross_sdk_file_location_suite() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/conformance/file-location-tests.json"
        );
        let suite: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let platform = if cfg!(windows) { "windows" } else { "linux" };
        let mut ran = 0;
        for test in suite["tests"].as_array().unwrap() {
            if test["platform"] != platform {
                continue;
            }
            let vars: Vec<(String, String)> = test["environment"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            let pairs: Vec<(&str, &str)> =
                vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let found = resolve(env(&pairs), None, None).unwrap();
            assert_eq!(
                found.config,
                PathBuf::from(test["configLocation"].as_str().unwrap()),
                "{}",
                test["name"]
            );
            assert_eq!(
                found.credentials,
                PathBuf::from(test["credentialsLocation"].as_str().unwrap()),
                "{}",
                test["name"]
            );
            ran += 1;
        }
        assert!(ran >= 4, "ran {ran} location tests");
    }

    #[test]
    fn flags_win_and_tilde_expands() {
        let vars = env(&[("HOME", "/h"), ("AWS_SHARED_CREDENTIALS_FILE", "~/c")]);
        let found = resolve(&vars, None, Some(Path::new("/x/config"))).unwrap();
        assert_eq!(found.credentials, PathBuf::from("/h/c"));
        assert_eq!(found.config, PathBuf::from("/x/config"));
        let found = resolve(&vars, Some(Path::new("~/flag")), None).unwrap();
        assert_eq!(found.credentials, PathBuf::from("/h/flag"));
    }

    #[test]
    fn no_home_is_an_error_unless_both_files_are_given() {
        assert_eq!(resolve(env(&[]), None, None), Err(NoHome));
        assert!(resolve(env(&[]), Some(Path::new("/a")), Some(Path::new("/b"))).is_ok());
    }
}
