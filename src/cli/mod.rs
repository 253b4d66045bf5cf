//! The command line: the flags as clap derives them, each already a typed input, and the
//! generated completions and man page.
//!
//! Invariant: clap's builder API (the `Command`, completions, man pages) stays in this module;
//! `app` reads the derived structs only to turn them into settings at once. Every value but
//! the MFA code is parsed by its type here; the code is parsed in `app`, so a malformed one is
//! never echoed back (it may have been a pasted secret).

use crate::commands::export::Format;
use crate::commands::handout::SHADOWING_VARIABLES;
use crate::commands::schedule::Kind;
use crate::input::{
    EndpointUrl, ExternalId, MfaSerial, PromptKind, Region, RoleArn, RoleSessionName,
    SessionDuration, Span,
};
use crate::profile::ProfileName;
use clap::builder::TypedValueParser;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::path::PathBuf;

mod generate;
mod serve;
pub use generate::{completions, man_pages};
pub use serve::{ConsoleArgs, ServeArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  failure: STS refused for another reason, network, or file system
  2  bad usage or bad input (arguments, MFA code format, profile names, the files' contents)
  3  STS rejected the MFA code (wrong, expired or reused), or the code given is of a 30 s
     window the device already used: get a new code and run again
  4  a new session needs an MFA code and nobody could be asked (--no-input, or no terminal
     and no code command): the message says what to run

Files: AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE are honoured, else ~/.aws/credentials
and ~/.aws/config. The source's keys always come from the files, never from AWS_ACCESS_KEY_ID.";

/// Refresh an MFA-protected AWS session into a named profile of ~/.aws/credentials.
///
/// Reads the long-term keys of the source profile, calls STS GetSessionToken with your MFA
/// device and a code, and rewrites the target profile in place: every other byte of the file
/// stays as it was. Then `aws --profile mfa ...` and `AWS_PROFILE=mfa` work.
#[derive(Debug, Parser)]
#[command(name = "mfa-profile", version, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: refresh).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Refresh options, when no command is named.
    #[command(flatten)]
    pub refresh: RefreshArgs,
}

/// The commands.
// Built once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get a new session and write it into the target profile (the default command).
    #[command(after_help = EXIT_CODES)]
    Refresh(RefreshArgs),
    /// List the targets mfa-profile manages and how long each is valid (no network).
    Status(StatusArgs),
    /// Run a command (else your shell) with the target's session: AWS_PROFILE=TARGET,
    /// refreshing it first only when needed (asking for a code on the terminal).
    #[command(after_help = exec_after_help())]
    Exec(ExecArgs),
    /// Print the target's session as shell variables: eval "$(mfa-profile export)".
    Export(ExportArgs),
    /// Print the target's session as credential_process JSON, for a config profile with
    /// `credential_process = mfa-profile credential-process TARGET`.
    CredentialProcess(CredentialProcessArgs),
    /// Serve the target's session to programs on this machine (or in a container) the way
    /// ECS serves a task's: print AWS_CONTAINER_CREDENTIALS_FULL_URI and
    /// AWS_CONTAINER_AUTHORIZATION_TOKEN, then answer until stopped, refreshing as needed.
    #[command(after_help = serve::SERVE_AFTER_HELP)]
    Serve(ServeArgs),
    /// Open the AWS console in the browser, signed in with a role target's session (or print
    /// the sign-in URL).
    Console(ConsoleArgs),
    /// Explain what the AWS tools will do with your files and environment: which credentials
    /// win for each profile, the managed targets, files a tool cannot read, loose permissions,
    /// keys in the wrong file, each source's MFA device. No network. Exit 1 when something is
    /// wrong.
    Doctor(DoctorArgs),
    /// Clear the expired sessions of the targets mfa-profile manages (what each records stays,
    /// so `refresh --all` renews it); `prune TARGET...` removes those targets whole. Never
    /// long-term keys; every other byte of the file stays.
    Prune(PruneArgs),
    /// Replace a source's long-term access key with a new one, in IAM and in every section of
    /// both files that holds it; finishes a rotation that stopped.
    #[command(after_help = ROTATE_AFTER_HELP)]
    Rotate(RotateArgs),
    /// First run for a new IAM user: paste the access key and secret, find the MFA device,
    /// write the source profile, and refresh once to prove it.
    Setup(SetupArgs),
    /// Print the long-term keys `setup --keychain` stored in the OS keychain, as
    /// credential_process JSON: what the source profile's credential_process runs.
    SourceKeys(SourceKeysArgs),
    /// Keep the sessions fresh in the background: a per-user job (a systemd user timer, a
    /// crontab line, a LaunchAgent, a Task Scheduler task) that runs `refresh --all
    /// --background` every --every.
    Schedule(ScheduleArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    Man(ManArgs),
}

const ROTATE_AFTER_HELP: &str = "\
Order: ListAccessKeys (at IAM's limit of two keys, an inactive other key is deleted with --yes
or when you agree on the terminal) -> CreateAccessKey -> the new key saved in the source's
section (mfa_new_access_key_id) -> checked with GetCallerIdentity until it works -> written
into every section of both files holding the old key -> the old key made Inactive (deleted
with --delete) -> the record removed. A rotation that stopped says what state IAM and the files
are in; running rotate again finishes it. The IAM calls use an MFA session of the source
(a managed target's, refreshed with a code when needed).";

/// The shared files, when not where `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` or the
/// home directory put them: every command that reads them takes these two flags.
#[derive(Debug, Args, Clone, Default)]
pub struct FilesArgs {
    /// Credentials file [default: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials].
    #[arg(long, value_name = "PATH")]
    pub credentials_file: Option<PathBuf>,
    /// Config file [default: AWS_CONFIG_FILE, else ~/.aws/config].
    #[arg(long, value_name = "PATH")]
    pub config_file: Option<PathBuf>,
}

/// Options shared by the commands that call IAM.
#[derive(Debug, Args, Clone)]
pub struct IamArgs {
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
    /// Region of the calls [default: region of the source profile, else us-east-1].
    #[arg(long, value_name = "REGION")]
    pub region: Option<Region>,
    /// STS endpoint URL (GetSessionToken, GetCallerIdentity) [default: AWS_ENDPOINT_URL_STS,
    /// else STS's own]. Plain http:// only to this machine unless --allow-insecure-endpoint.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<EndpointUrl>,
    /// IAM endpoint URL [default: AWS_ENDPOINT_URL_IAM, else IAM's own; the general
    /// AWS_ENDPOINT_URL is not used]. Plain http:// only to this machine unless
    /// --allow-insecure-endpoint.
    #[arg(long, value_name = "URL")]
    pub iam_endpoint_url: Option<EndpointUrl>,
    /// Allow plain http:// STS and IAM endpoints on another machine: sessions and keys then
    /// cross the network in clear text.
    #[arg(long)]
    pub allow_insecure_endpoint: bool,
    /// Command printing the MFA code, when a session must be refreshed [default: mfa_process
    /// of the source profile, else ask on the terminal].
    #[arg(long, value_name = "COMMAND")]
    pub code_command: Option<String>,
}

/// Options of `rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The source profile whose key is rotated.
    #[arg(short, long, value_name = "PROFILE", default_value = "default")]
    pub source: ProfileName,
    /// The target whose MFA session signs the IAM calls [default: a target managed from the
    /// source, else mfa for default, SOURCE-mfa otherwise].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<ProfileName>,
    /// Delete the old key once it is inactive (instead of leaving it inactive).
    #[arg(long)]
    pub delete: bool,
    /// Delete the inactive keys of the source's IAM user (the old key a rotation left
    /// inactive); rotate nothing.
    #[arg(long, conflicts_with = "delete")]
    pub cleanup: bool,
    /// At IAM's limit of two keys, delete the other key without asking when it is inactive.
    #[arg(short, long)]
    pub yes: bool,
    /// How long to wait for the new key to work (new keys take seconds to reach every AWS
    /// endpoint).
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub wait: Span,
    /// Shared options.
    #[command(flatten)]
    pub iam: IamArgs,
}

/// Options of `setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The source profile to create.
    #[arg(short, long, value_name = "PROFILE", default_value = "default")]
    pub source: ProfileName,
    /// The target of the first refresh [default: mfa for default, SOURCE-mfa otherwise].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<ProfileName>,
    /// MFA device: ARN or hardware serial [default: found in IAM].
    #[arg(long, value_name = "SERIAL")]
    pub serial_number: Option<MfaSerial>,
    /// Answer yes: migrate an aws-mfa layout when one is found.
    #[arg(short, long)]
    pub yes: bool,
    /// Keep the long-term keys in the OS keychain (Linux: the Secret Service, through
    /// secret-tool; Windows: the Credential Manager) instead of the credentials file; the
    /// source profile then gets `credential_process = mfa-profile source-keys SOURCE`. Run
    /// again to store the keys again.
    #[arg(long)]
    pub keychain: bool,
    /// Shared options.
    #[command(flatten)]
    pub iam: IamArgs,
}

/// What `exec --help` says after the options: the variables it removes.
fn exec_after_help() -> String {
    let mut lines = vec![
        "The command gets AWS_PROFILE=TARGET, and these variables removed (each would make an SDK use"
            .to_owned(),
        "another identity than the profile):".to_owned(),
    ];
    for names in SHADOWING_VARIABLES.chunks(4) {
        lines.push(format!("  {}", names.join(" ")));
    }
    lines.push(
        "mfa-profile exits with the command's exit code (127: not found, 126: not executable)."
            .to_owned(),
    );
    lines.push(String::new());
    lines.push(EXEC_SERVER_HELP.to_owned());
    lines.join("\n")
}

/// What `exec --help` says of `--server`: what the command sees.
const EXEC_SERVER_HELP: &str = "\
With --server the command gets, instead of AWS_PROFILE: AWS_CONTAINER_CREDENTIALS_FULL_URI and
AWS_CONTAINER_AUTHORIZATION_TOKEN, an endpoint mfa-profile serves on 127.0.0.1 while the command
runs (serve --help says how), where the SDKs and the AWS CLI get a fresh session
whenever theirs is about to expire; AWS_SHARED_CREDENTIALS_FILE naming an empty file of its own,
since the SDKs read [default]'s keys before the endpoint; AWS_CONFIG_FILE naming the config file
(a copy without the credential settings of its [default], when it has any); AWS_REGION and
AWS_DEFAULT_REGION from [profile TARGET] unless set; no AWS_PROFILE, AWS_DEFAULT_PROFILE or the
variables above. Ctrl-C reaches the command alone; SIGTERM and SIGHUP sent to mfa-profile are
passed on to it.";

/// Options shared by the commands that use a target's session and refresh it when needed.
#[derive(Debug, Args, Clone)]
pub struct SessionArgs {
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
    /// Refresh first when the target is valid for less than this (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "15m")]
    pub min_remaining: Span,
    /// Command printing the MFA code, e.g. 'ykman oath accounts code -s aws' [default:
    /// mfa_process of the source profile, else ask on the terminal]. Its stderr is shown as it
    /// comes; it is stopped after 120 s or 64 KiB of output.
    #[arg(long, value_name = "COMMAND")]
    pub code_command: Option<String>,
    /// Where to ask for the MFA code when one is needed: terminal, or gui (a desktop dialog:
    /// zenity or kdialog, osascript on macOS, PowerShell on Windows) [default: mfa_prompt of the
    /// source profile, else terminal].
    #[arg(long, value_name = "WHERE", value_parser = prompt_kind())]
    pub prompt: Option<PromptKind>,
    /// Never ask for a code: when one is needed and neither the argument nor a code command
    /// gives it, exit 4 with the command to run.
    #[arg(long)]
    pub no_input: bool,
    /// Leave the config file alone: do not add the source's region to [profile TARGET].
    #[arg(long)]
    pub no_config: bool,
    /// Allow a plain http:// AWS_ENDPOINT_URL_STS on another machine when refreshing: the
    /// MFA code and the session then cross the network in clear text.
    #[arg(long)]
    pub allow_insecure_endpoint: bool,
}

/// Options of `exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The target profile [default: AWS_PROFILE when it names a managed target (or the target
    /// of the source it names), else mfa].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<ProfileName>,
    /// Hand the session to the command through a credentials endpoint served while it runs,
    /// refreshed whenever the command's SDK asks, instead of AWS_PROFILE (see below).
    #[arg(long)]
    pub server: bool,
    /// Shared options.
    #[command(flatten)]
    pub session: SessionArgs,
    /// The command and its arguments (everything from the first word that is not an option of
    /// exec on, or after `--`) [default: your shell, $SHELL (%COMSPEC% on Windows)].
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<std::ffi::OsString>,
}

/// `--format`: one of [`Format::NAMED`], listed for `--help` and shell completions.
fn export_format() -> impl TypedValueParser<Value = Format> {
    clap::builder::PossibleValuesParser::new(Format::NAMED.map(|(name, _)| name))
        .map(|name: String| Format::named(&name).expect("a listed name"))
}

/// `--prompt`: one of [`PromptKind::NAMES`], listed for `--help` and shell completions.
fn prompt_kind() -> impl TypedValueParser<Value = PromptKind> {
    clap::builder::PossibleValuesParser::new(PromptKind::NAMES)
        .map(|name: String| name.parse().expect("a listed name"))
}

/// The default of `export --format`: the shell a terminal of this platform runs.
pub const DEFAULT_EXPORT_FORMAT: &str = if cfg!(windows) { "powershell" } else { "env" };

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The target profile [default: AWS_PROFILE when it names a managed target, else mfa].
    #[arg(value_name = "TARGET")]
    pub target: Option<ProfileName>,
    /// Output format: env is `export NAME='v'`, powershell `$Env:NAME='v'`, process the
    /// credential_process JSON [default on Windows: powershell].
    #[arg(long, value_name = "FORMAT", default_value = DEFAULT_EXPORT_FORMAT, value_parser = export_format())]
    pub format: Format,
    /// Refresh the target first when it is expired or about to be (asking for a code on the
    /// terminal), instead of refusing.
    #[arg(long)]
    pub refresh: bool,
    /// Shared options.
    #[command(flatten)]
    pub session: SessionArgs,
}

/// Options of `credential-process`.
#[derive(Debug, Args)]
pub struct CredentialProcessArgs {
    /// The target profile holding the session.
    #[arg(value_name = "TARGET")]
    pub target: ProfileName,
    /// Shared options.
    #[command(flatten)]
    pub session: SessionArgs,
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Only this profile (and the environment and files).
    #[arg(value_name = "PROFILE")]
    pub profile: Option<ProfileName>,
    /// Print a JSON array of {level, subject, message}.
    #[arg(long)]
    pub json: bool,
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
}

/// Options of `prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove these managed targets whole (their section and the comment right above it),
    /// expired or not, instead of clearing expired sessions.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<ProfileName>,
    /// Say what would be cleared or removed, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
}

/// `schedule`'s commands.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ScheduleCommand,
}

/// The commands of `schedule`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Install the job (again: it replaces the one installed), for the files in force now.
    Install(ScheduleInstallArgs),
    /// Remove the job; your crontab's other lines stay byte for byte.
    Remove(ScheduleRemoveArgs),
    /// Whether a job is installed, for which files, its next run (where the system tells) and
    /// the last run's outcome.
    Status(ScheduleStatusArgs),
}

/// `--using`: one of [`Kind::NAMES`].
fn schedule_kind() -> impl TypedValueParser<Value = Kind> {
    clap::builder::PossibleValuesParser::new(Kind::NAMES)
        .map(|name: String| name.parse().expect("a listed name"))
}

/// Options of `schedule install`.
#[derive(Debug, Args)]
pub struct ScheduleInstallArgs {
    /// How often the job runs (whole minutes, 1m to 24h; with cron, a step that divides an
    /// hour or a day).
    #[arg(long, value_name = "DURATION", default_value = "10m")]
    pub every: Span,
    /// Refresh what expires within this (at least --every; a derived target lasts at most
    /// 1h, so with 1h or more every run derives it again).
    #[arg(long, value_name = "DURATION", default_value = "30m")]
    pub ahead: Span,
    /// How the job is kept [default: systemd when `systemctl --user` answers, else cron; on
    /// macOS launchd, on Windows task-scheduler].
    #[arg(long, value_name = "KIND", value_parser = schedule_kind())]
    pub using: Option<Kind>,
    /// Print exactly what would be installed (unit files, crontab lines, plist, task XML) and
    /// change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
}

/// Options of `schedule remove`.
#[derive(Debug, Args)]
pub struct ScheduleRemoveArgs {
    /// The kind of job to remove [default: the one installed].
    #[arg(long, value_name = "KIND", value_parser = schedule_kind())]
    pub using: Option<Kind>,
    /// Say what would be removed, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `schedule status`.
#[derive(Debug, Args)]
pub struct ScheduleStatusArgs {
    /// The kind of job to look for [default: the one installed].
    #[arg(long, value_name = "KIND", value_parser = schedule_kind())]
    pub using: Option<Kind>,
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write mfa-profile.1 and a page per command (mfa-profile-exec.1, ...) into DIR instead
    /// of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Options of `source-keys`.
#[derive(Debug, Args)]
pub struct SourceKeysArgs {
    /// The source profile whose keys the keychain holds.
    #[arg(value_name = "PROFILE")]
    pub profile: ProfileName,
}

/// Options of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only this target.
    #[arg(value_name = "TARGET")]
    pub target: Option<ProfileName>,
    /// Print a JSON array instead of a table.
    #[arg(long, conflicts_with = "prompt")]
    pub json: bool,
    /// Print one short line for a shell prompt: `mfa 7h12m` (or `mfa expired`) for TARGET,
    /// else for AWS_PROFILE when it names a managed target, else for every managed target;
    /// nothing when there is none. Reads the credentials file only.
    #[arg(long)]
    pub prompt: bool,
    /// Print only the managed targets' names, one per line (what the completion scripts offer
    /// after -t). Reads the credentials file only.
    #[arg(long, conflicts_with_all = ["json", "prompt", "target", "keys"])]
    pub names: bool,
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
    /// List each source's long-term access key instead: its age, its last use and whether it
    /// is due for rotation (asks IAM; uses a valid session of the source when there is one).
    #[arg(long, conflicts_with_all = ["prompt", "target"])]
    pub keys: bool,
    /// With --keys: keys older than this many days are due for rotation.
    #[arg(long, value_name = "DAYS", default_value_t = 90, requires = "keys")]
    pub max_key_age: u32,
    /// With --keys: STS endpoint URL [default: AWS_ENDPOINT_URL_STS, else STS's own].
    #[arg(long, value_name = "URL", requires = "keys")]
    pub endpoint_url: Option<EndpointUrl>,
    /// With --keys: IAM endpoint URL [default: AWS_ENDPOINT_URL_IAM, else IAM's own].
    #[arg(long, value_name = "URL", requires = "keys")]
    pub iam_endpoint_url: Option<EndpointUrl>,
    /// With --keys: allow plain http:// endpoints on another machine.
    #[arg(long, requires = "keys")]
    pub allow_insecure_endpoint: bool,
}

/// Options of a refresh.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// The six-digit MFA code; read from standard input, or asked for on the terminal, when
    /// absent.
    #[arg(value_name = "CODE")]
    pub code: Option<TypedCode>,
    /// Profile holding the long-term keys [default: the source recorded in the target; a new
    /// target other than mfa needs -s (mfa gets default)].
    #[arg(short, long, value_name = "PROFILE")]
    pub source: Option<ProfileName>,
    /// Profile to write the session into [default: mfa for source default, else SOURCE-mfa].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<ProfileName>,
    /// MFA device: ARN (arn:aws:iam::ACCOUNT:mfa/NAME) or hardware serial [default: mfa_serial
    /// of the source profile].
    #[arg(long, value_name = "SERIAL")]
    pub serial_number: Option<MfaSerial>,
    /// Session length: seconds, or like 15m, 12h, 36h (900 to 129600 s) [default:
    /// duration_seconds of the source profile, else 12h].
    #[arg(short, long, value_name = "DURATION")]
    pub duration: Option<SessionDuration>,
    /// Region whose STS endpoint is called [default: region of the source profile, else
    /// us-east-1].
    #[arg(long, value_name = "REGION")]
    pub region: Option<Region>,
    /// STS endpoint URL [default: AWS_ENDPOINT_URL_STS, else https://sts.REGION.amazonaws.com;
    /// the general AWS_ENDPOINT_URL is not used for STS]. Plain http:// only to this machine
    /// (localhost, 127.0.0.0/8, ::1) unless --allow-insecure-endpoint.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<EndpointUrl>,
    /// Allow a plain http:// STS endpoint on another machine: the MFA code and the session
    /// then cross the network in clear text.
    #[arg(long)]
    pub allow_insecure_endpoint: bool,
    /// The shared files.
    #[command(flatten)]
    pub files: FilesArgs,
    /// Print one JSON object describing the result on standard output.
    #[arg(long)]
    pub json: bool,
    /// Leave a target alone while it is valid for longer than this (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "15m")]
    pub min_remaining: Span,
    /// Refresh even when the target is still valid.
    #[arg(short, long)]
    pub force: bool,
    /// Refresh every managed target that needs it: sessions first, then the targets derived
    /// from them (which take no code).
    #[arg(long, conflicts_with_all = ["code", "source", "target", "serial_number", "role_arn", "duration", "via"])]
    pub all: bool,
    /// Assume this role with MFA instead of getting a plain session [default: the role
    /// recorded in the target].
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<RoleArn>,
    /// Role session name, shown in CloudTrail [default: mfa-profile-SOURCE].
    #[arg(long, value_name = "NAME")]
    pub role_session_name: Option<RoleSessionName>,
    /// External ID the role's trust policy asks for.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<ExternalId>,
    /// Assume the role with the session of BASE, a target refreshed with MFA (e.g. mfa),
    /// instead of the long-term keys and a code: no code is asked unless BASE itself needs a
    /// refresh. Recorded in the target (mfa_via) [default: the base the target records].
    #[arg(long, value_name = "BASE", requires = "target", conflicts_with_all = ["source", "serial_number"])]
    pub via: Option<ProfileName>,
    /// Command printing the MFA code, e.g. 'ykman oath accounts code -s aws' [default:
    /// mfa_process of the source profile]. Its stderr is shown as it comes; it is stopped
    /// after 120 s or 64 KiB of output.
    #[arg(long, value_name = "COMMAND")]
    pub code_command: Option<String>,
    /// Where to ask for the MFA code when one is needed: terminal, or gui (a desktop dialog:
    /// zenity or kdialog, osascript on macOS, PowerShell on Windows) [default: mfa_prompt of the
    /// source profile, else terminal].
    #[arg(long, value_name = "WHERE", value_parser = prompt_kind())]
    pub prompt: Option<PromptKind>,
    /// Never ask for a code: when one is needed and neither the argument nor a code command
    /// gives it, exit 4 with the command to run.
    #[arg(long)]
    pub no_input: bool,
    /// Leave the config file alone: do not add the source's region to [profile TARGET].
    #[arg(long)]
    pub no_config: bool,
    /// With --all, run as the scheduled job does (`schedule install`): never read standard
    /// input or a terminal; a code comes from the code command, else a desktop dialog, else a
    /// desktop notification says what to run; one line per target in the log of the state
    /// directory (~/.local/state/mfa-profile/background.log).
    #[arg(long, requires = "all", conflicts_with_all = ["json", "prompt", "no_input"])]
    pub background: bool,
    /// With --background: how often the job runs; a device whose dialog was cancelled or not
    /// answered is not asked again before the next run.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10m",
        requires = "background"
    )]
    pub every: Span,
}

/// The MFA code argument as typed: parsed in `app`, so that a malformed one is never echoed,
/// and never shown by `Debug` (it may have been a pasted secret).
#[derive(Clone)]
pub struct TypedCode(pub String);

impl std::str::FromStr for TypedCode {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(TypedCode(text.to_owned()))
    }
}

impl std::fmt::Debug for TypedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedCode(***)")
    }
}

/// The names of the commands (`status`, `export`, ...).
pub fn command_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}
