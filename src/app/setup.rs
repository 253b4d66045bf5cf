//! `mfa-profile setup`: the first run for a new IAM user: the access key and secret asked for
//! without echo, checked with GetCallerIdentity, the MFA device found in IAM (or given), the
//! source profile written, then one refresh to prove it. An aws-mfa layout is offered for
//! migration first.
//!
//! Invariant: nothing is written before the keys have answered as an IAM user and a device is
//! known; the keys are never echoed or repeated in a message, even when mistyped.

use super::terminal::ask::Answers;
use super::terminal::say;
use super::{endpoint, locate, notice};
use crate::aws::iam::IamEndpoint;
use crate::aws::sts::CustomEndpoint;
use crate::cli::SetupArgs;
use crate::commands::setup::{
    aws_mfa_pairs, check_new_source, keychain_command, write_keychain_source, write_source_keys,
    AwsMfaPair,
};
use crate::error::key_error::KeyError;
use crate::error::{Error, EXIT_OK};
use crate::input::keys::{LongTermKeys, Secret};
use crate::input::{check_secret, AccessKeyId, MfaSerial, Region};
use crate::profile::{FileLocations, ProfileName, SharedDocuments};
use crate::refresh::discover::{find_device_of, record_serial, user_of};
use crate::refresh::Outcome;
use crate::text::notice::Notice;
use crate::text::shown::Shown;

/// The endpoints and answers of one run.
struct Run<'a> {
    args: &'a SetupArgs,
    files: FileLocations,
    sts: Option<CustomEndpoint>,
    iam: Option<IamEndpoint>,
    answers: Answers,
}

pub(super) fn run(args: &SetupArgs) -> Result<u8, Error> {
    let run = Run {
        args,
        files: locate(&args.iam.files)?,
        sts: endpoint(
            args.iam.endpoint_url.as_ref(),
            args.iam.allow_insecure_endpoint,
        )?,
        iam: super::iam::iam_endpoint(
            args.iam.iam_endpoint_url.as_ref(),
            args.iam.allow_insecure_endpoint,
        )?,
        answers: Answers::detect(),
    };
    super::iam::use_for_refreshes(run.iam.clone());
    let docs = SharedDocuments::read(&run.files)?;
    if let Some(pair) = run.migration(&docs)? {
        drop(docs);
        return run.migrate(&pair);
    }
    let source = &args.source;
    check_new_source(&docs, &run.files.credentials, source, args.keychain)?;
    let known_region = docs
        .profiles_of(&[source.as_str()])
        .ok()
        .and_then(|profiles| {
            profiles
                .get_profile(source.as_str())?
                .get("region")
                .map(str::to_owned)
        });
    drop(docs);
    let keys = run.ask_keys()?;
    let region = args.iam.region.clone().unwrap_or_else(Region::us_east_1);
    // A new source: the environment alone says what its calls use.
    let options = super::sdk_variables().with_profile(&crate::aws::ProfileOptions::default());
    let iam = super::iam::client(
        &region,
        run.sts.as_ref().map(|e| &e.url),
        run.iam.as_ref(),
        options,
    )?;
    let user = user_of(&iam, &keys, source)?;
    say(&format!("mfa-profile: the keys are IAM user {user}'s"));
    let serial = match &args.serial_number {
        Some(serial) => serial.clone(),
        None => {
            let mut choose = super::iam::choose_device(source, run.answers == Answers::Terminal);
            find_device_of(&iam, &keys, &user, source, &mut choose)?
        }
    };
    if args.keychain {
        super::keychain::store(source, &keys)?;
        write_keychain_source(&run.files.config, source)?;
        notice(Notice::Info(format!(
            "stored the long-term keys of IAM user {user} in the keychain; [{source}] in {} runs `{}` for them",
            Shown(&run.files.config),
            keychain_command(source)
        )));
    } else {
        write_source_keys(&run.files.credentials, source, &keys)?;
        notice(Notice::Info(format!(
            "wrote the long-term keys of IAM user {user} into [{source}] of {}",
            Shown(&run.files.credentials)
        )));
    }
    run.record_device(source, &serial)?;
    if known_region.is_none() || args.iam.region.is_some() {
        let region = match &args.iam.region {
            Some(region) => region.clone(),
            None => run.ask_region(source)?,
        };
        run.record_region(source, &region)?;
    }
    let target = run.first_refresh(source, args.target.clone())?;
    // rotate refuses keys served by a credential_process, the keychain's included.
    let rotates = if args.keychain {
        String::new()
    } else {
        format!(", `mfa-profile rotate -s {source}` rotates its key")
    };
    say(&format!(
        "mfa-profile: [{source}] is set up; `{}` (or `mfa-profile refresh --all`) refreshes [{target}]{rotates}",
        refresh_command(source, Some(&target))
    ));
    Ok(EXIT_OK)
}

impl Run<'_> {
    /// An aws-mfa pair to take over, when there is one and the user agrees.
    fn migration(&self, docs: &SharedDocuments) -> Result<Option<AwsMfaPair>, Error> {
        let pairs = aws_mfa_pairs(&docs.credentials);
        let Some(pair) = pairs.into_iter().next() else {
            return Ok(None);
        };
        let question = format!(
            "{} holds aws-mfa's layout: [{}] has the long-term keys, [{}] gets the session. Refresh [{}] from [{}] with mfa-profile from now on?",
            Shown(&self.files.credentials),
            pair.source,
            pair.target,
            pair.target,
            pair.source
        );
        let yes = self.args.yes
            || (self.answers == Answers::Terminal && self.answers.confirm(&question)?);
        if !yes {
            notice(Notice::Info(format!(
                "{}; pass --yes to take it over",
                question.trim_end_matches('?')
            )));
        }
        Ok(yes.then_some(pair))
    }

    /// Takes an aws-mfa pair over: its device recorded as `mfa_serial`, then one refresh.
    fn migrate(&self, pair: &AwsMfaPair) -> Result<u8, Error> {
        if let Some(device) = &pair.device {
            let serial: MfaSerial = device.parse().map_err(|error| Error::ProfileValue {
                profile: pair.source.to_string(),
                key: crate::commands::setup::AWS_MFA_DEVICE,
                error,
            })?;
            self.record_device(&pair.source, &serial)?;
        }
        self.first_refresh(&pair.source, Some(pair.target.clone()))?;
        say(&format!(
            "mfa-profile: took over aws-mfa's [{}] -> [{}]; `mfa-profile -t {}` (or `mfa-profile refresh --all`) refreshes it from now on",
            pair.source, pair.target, pair.target
        ));
        Ok(EXIT_OK)
    }

    /// The access key id and secret, asked without echo; never repeated in a message.
    fn ask_keys(&self) -> Result<LongTermKeys, Error> {
        let id = self.ask("AWS access key ID (hidden)", |text| {
            if text.starts_with("ASIA") {
                return Err("that is the key id of a session (ASIA...), not of an IAM user's long-term key (AKIA...)".into());
            }
            text.parse::<AccessKeyId>().map(|_| ()).map_err(|_| {
                "that is not an access key id (AKIA and upper-case letters and digits, 20 today); it is not shown, in case it was the secret".into()
            })
        })?;
        let secret = self.ask("AWS secret access key (hidden)", |text| {
            check_secret(text).map_err(|e| e.to_string())
        })?;
        Ok(LongTermKeys {
            access_key_id: id.expose().to_owned(),
            secret_access_key: secret,
        })
    }

    /// Asks for one hidden value until `check` passes (three tries on a terminal, one from a
    /// pipe).
    fn ask(
        &self,
        question: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<Secret, Error> {
        let tries = if self.answers == Answers::Terminal {
            3
        } else {
            1
        };
        let mut why = String::new();
        for _ in 0..tries {
            let Some(text) = self.answers.secret(question)? else {
                return Err(KeyError::Setup(format!(
                    "no answer to `{question}`; nothing was written"
                ))
                .into());
            };
            match check(&text) {
                Ok(()) => return Ok(Secret::new(text.as_str())),
                Err(problem) => {
                    why = problem;
                    if self.answers == Answers::Terminal {
                        say(&format!("{why}; try again"));
                    }
                }
            }
        }
        Err(KeyError::Setup(format!("{why}; nothing was written")).into())
    }

    fn record_device(&self, source: &ProfileName, serial: &MfaSerial) -> Result<(), Error> {
        let path = &self.files.config;
        if let Some(header) = record_serial(path, source, serial)? {
            notice(Notice::Info(format!(
                "recorded MFA device {serial} as mfa_serial in {header} of {}",
                Shown(path)
            )));
        }
        Ok(())
    }

    fn record_region(&self, source: &ProfileName, region: &Region) -> Result<(), Error> {
        if let Some(header) =
            crate::refresh::add_region_to_config(&self.files.config, source, region)?
        {
            notice(Notice::Info(format!(
                "recorded region {region} in {header} of {} (the AWS tools need one; the session's target gets it too)",
                Shown(&self.files.config)
            )));
        }
        Ok(())
    }

    /// The source's region, asked on a terminal with us-east-1 suggested (Enter takes it);
    /// us-east-1 from a pipe, where the answers are the keys alone.
    fn ask_region(&self, source: &ProfileName) -> Result<Region, Error> {
        if self.answers != Answers::Terminal {
            return Ok(Region::us_east_1());
        }
        for _ in 0..3 {
            let answer = self
                .answers
                .line(&format!("Default region for [{source}] [us-east-1]"))?
                .unwrap_or_default();
            if answer.is_empty() {
                return Ok(Region::us_east_1());
            }
            match answer.parse::<Region>() {
                Ok(region) => return Ok(region),
                Err(error) => say(&format!("{error}; try again (e.g. eu-west-1)")),
            }
        }
        Err(KeyError::Setup("no region was given; nothing more was written".into()).into())
    }

    /// One refresh of `target` (derived from `source` when `None`) to prove the setup; the
    /// target refreshed.
    fn first_refresh(
        &self,
        source: &ProfileName,
        target: Option<ProfileName>,
    ) -> Result<ProfileName, Error> {
        let outcome = super::refresh::OneRefresh {
            files: self.files.clone(),
            source: source.clone(),
            target: target.clone(),
            region: self.args.iam.region.clone(),
            endpoint: self.sts.clone(),
            allow_insecure_endpoint: self.args.iam.allow_insecure_endpoint,
            code_command: self.args.iam.code_command.clone(),
            min_remaining: crate::input::DEFAULT_MIN_REMAINING,
            force: true,
        }
        .run()
        .inspect_err(|_| {
            notice(Notice::Warning(format!(
                "[{source}] is written, but its first refresh failed (below); `{}` tries again",
                refresh_command(source, target.as_ref())
            )))
        })?;
        Ok(match outcome {
            Outcome::Refreshed(done) => done.target,
            Outcome::StillValid { target, .. } => target,
        })
    }
}

/// The command that refreshes `source`'s `target` (its own target when `None`) as a hint
/// names it: `-s SOURCE` alone reaches only the source's own target, and a target no refresh
/// has written yet records no source, so another target names both.
fn refresh_command(source: &ProfileName, target: Option<&ProfileName>) -> String {
    let own = crate::profile::default_target(source).ok();
    match target {
        Some(target) if own.as_ref() != Some(target) => {
            format!("mfa-profile -s {source} -t {target}")
        }
        _ => format!("mfa-profile -s {source}"),
    }
}
