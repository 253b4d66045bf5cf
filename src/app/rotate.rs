//! `mfa-profile rotate`: the source's key rotated with IAM through the process's MFA session,
//! confirmations from `--yes` or the terminal.

use super::terminal::ask::Answers;
use super::{endpoint, locate, notice, now};
use crate::aws::sts::CustomEndpoint;
use crate::aws::CallOptions;
use crate::cli::{IamArgs, RotateArgs};
use crate::commands::rotate::{cleanup, rotate, RotateHelp, RotateSettings};
use crate::error::key_error::KeyError;
use crate::error::{Error, EXIT_OK};
use crate::input::keys::SessionCredentials;
use crate::input::{Region, Span};
use crate::profile::default_target;
use crate::profile::{
    managed_targets, read_document, stored_session, FileLocations, ProfileName, SharedDocuments,
};
use crate::text::notice::Notice;
use std::time::Duration;

/// A session this close to its end is refreshed first: the rotation's calls take seconds.
const SESSION_MARGIN: u32 = 5 * 60;

pub(super) fn run(args: &RotateArgs) -> Result<u8, Error> {
    let files = locate(&args.iam.files)?;
    let sts_endpoint = endpoint(
        args.iam.endpoint_url.as_ref(),
        args.iam.allow_insecure_endpoint,
    )?;
    let iam_endpoint = super::iam::iam_endpoint(
        args.iam.iam_endpoint_url.as_ref(),
        args.iam.allow_insecure_endpoint,
    )?;
    super::iam::use_for_refreshes(iam_endpoint.clone());
    let (region, options) = region_of(&files, &args.source, &args.iam)?;
    let iam = super::iam::client(
        &region,
        sts_endpoint.as_ref().map(|e| &e.url),
        iam_endpoint.as_ref(),
        options,
    )?;
    let settings = RotateSettings {
        files: files.clone(),
        source: args.source.clone(),
        delete_old: args.delete,
        wait_for_new_key: Duration::from_secs(u64::from(args.wait.secs())),
        now: now(),
    };
    let mut help = ProcessHelp {
        args,
        files,
        region,
        sts_endpoint,
    };
    let source = &args.source;
    if args.cleanup {
        let done = cleanup(&settings, &iam, &mut help, &mut notice)?;
        if done.deleted.is_empty() {
            super::terminal::say(&format!(
                "IAM user {} of [{source}] has no inactive key to delete",
                done.user
            ));
        }
        return Ok(EXIT_OK);
    }
    let done = rotate(&settings, &iam, &mut help, &mut notice)?;
    let old_state = if done.deleted {
        "deleted".to_owned()
    } else {
        format!(
            "inactive; `mfa-profile rotate -s {source} --cleanup` deletes it once you are sure nothing else used it"
        )
    };
    super::terminal::say(&format!(
        "rotated [{source}] (IAM user {}): {} replaces {}, which is {old_state}",
        done.user, done.new, done.old
    ));
    Ok(EXIT_OK)
}

/// `--region`, else the source's region, else us-east-1; and the options of the source's
/// calls (FIPS, dual-stack, the app id: the environment, else the source profile). The source's
/// keys are not looked at here: the rotation checks them, with their lines.
fn region_of(
    files: &FileLocations,
    source: &ProfileName,
    args: &IamArgs,
) -> Result<(Region, CallOptions), Error> {
    let docs = SharedDocuments::read(files)?;
    let (region, profile) =
        crate::profile::source::call_settings(&docs.profiles_of(&[source.as_str()])?, source);
    let options = super::sdk_variables().with_profile(&profile);
    let region = match &args.region {
        Some(region) => region.clone(),
        None => region
            .map(|text| {
                text.parse().map_err(|error| Error::ProfileValue {
                    profile: source.to_string(),
                    key: "region",
                    error,
                })
            })
            .transpose()?
            .unwrap_or_else(Region::us_east_1),
    };
    Ok((region, options))
}

/// What a rotation asks of this process.
struct ProcessHelp<'a> {
    args: &'a RotateArgs,
    files: FileLocations,
    region: Region,
    sts_endpoint: Option<CustomEndpoint>,
}

impl RotateHelp for ProcessHelp<'_> {
    fn session(&mut self, user: &str) -> Result<SessionCredentials, Error> {
        let source = &self.args.source;
        let doc = read_document(&self.files.credentials)?;
        let ours: Vec<_> = managed_targets(&doc)
            .into_iter()
            .filter(|t| t.source == source.as_str())
            .collect();
        let target = match (
            &self.args.target,
            ours.iter().find(|t| t.role_arn.is_none()),
        ) {
            (Some(target), _) => target.clone(),
            (None, Some(managed)) => ProfileName::new(&managed.name)?,
            (None, None) => default_target(source)?,
        };
        if let Some(recorded) = ours.iter().find(|t| t.name == target.as_str()) {
            if recorded.role_arn.is_some() {
                return Err(KeyError::RotateRefused(format!(
                    "[{target}] holds a session of role {}, not of IAM user {user}; pass -t with a target holding a plain session of [{source}]",
                    recorded.role_arn.as_deref().unwrap_or_default()
                ))
                .into());
            }
            let fresh = recorded
                .expires_at
                .is_some_and(|at| at - now() > i64::from(SESSION_MARGIN));
            if fresh {
                if let Ok(session) = stored_session(&doc, &target) {
                    notice(Notice::Info(format!(
                        "using the MFA session in [{target}] for the IAM calls"
                    )));
                    return Ok(session);
                }
            }
        }
        drop(doc);
        notice(Notice::Info(format!(
            "the IAM calls need an MFA session of [{source}]: refreshing [{target}]"
        )));
        let outcome = super::refresh::OneRefresh {
            files: self.files.clone(),
            source: source.clone(),
            target: Some(target.clone()),
            region: Some(self.region.clone()),
            endpoint: self.sts_endpoint.clone(),
            allow_insecure_endpoint: self.args.iam.allow_insecure_endpoint,
            code_command: self.args.iam.code_command.clone(),
            min_remaining: Span::from_secs(SESSION_MARGIN),
            force: false,
        }
        .run()?;
        outcome.into_session()
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        if self.args.yes {
            return Ok(true);
        }
        match Answers::detect() {
            Answers::Terminal => Answers::Terminal.confirm(question),
            Answers::Piped => Ok(false),
        }
    }

    fn wait(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }
}
