//! The options of the commands that hand a session to programs that cannot read the file:
//! `serve` (the container credentials endpoint) and `console` (a console sign-in).

use super::{SessionArgs, DEFAULT_EXPORT_FORMAT};
use crate::commands::export::Format;
use crate::commands::serve::ListenAddr;
use crate::input::EndpointUrl;
use crate::profile::ProfileName;
use clap::builder::TypedValueParser;
use clap::Args;

/// `serve --format`: the shell formats of `export` (not `process`: there is no session to
/// print).
fn variable_format() -> impl TypedValueParser<Value = Format> {
    let names: Vec<&'static str> = Format::NAMED
        .iter()
        .filter(|(_, format)| *format != Format::Process)
        .map(|(name, _)| *name)
        .collect();
    clap::builder::PossibleValuesParser::new(names)
        .map(|name: String| Format::named(&name).expect("a listed name"))
}

/// What `serve --help` says after the options.
pub(super) const SERVE_AFTER_HELP: &str = "\
Every answer is the target's session as it is then: refreshed first when it is valid for less
than --min-remaining (a derived target from its base with no code; a session that needs a code
through the code command, this terminal or --prompt gui); an expired session is never handed
out (the program gets an error, and the log here says why). Every request needs the token, a
Host naming the address listened on, and GET; each is logged here without secrets. A program
uses the endpoint only when it finds no credentials before it: no AWS_PROFILE or
AWS_ACCESS_KEY_ID, no keys in [default] of its credentials file (exec --server sets that up).
Stop with Ctrl-C.";

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The target profile [default: AWS_PROFILE when it names a managed target (or the target
    /// of the source it names), else mfa].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<ProfileName>,
    /// Address to listen on, IP[:PORT] [default: 127.0.0.1 and a free port]. Another address
    /// than loopback (a container bridge's) is reachable from elsewhere, and the SDKs take
    /// plain http only from loopback and ECS's and EKS's addresses (169.254.170.2,
    /// 169.254.170.23, fd00:ec2::23).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<ListenAddr>,
    /// How to print AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN
    /// once listening: env is `export NAME='v'`, powershell `$Env:NAME='v'` (the formats of
    /// export) [default on Windows: powershell].
    #[arg(long, value_name = "FORMAT", default_value = DEFAULT_EXPORT_FORMAT, value_parser = variable_format())]
    pub format: Format,
    /// Shared options.
    #[command(flatten)]
    pub session: SessionArgs,
}

/// Options of `console`.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// The target profile: a role or derived target [default: AWS_PROFILE when it names a
    /// managed target, else mfa].
    #[arg(short, long, value_name = "PROFILE")]
    pub target: Option<ProfileName>,
    /// Print the sign-in URL instead of opening the browser. It signs in whoever opens it
    /// within 15 minutes: keep it to yourself.
    #[arg(long)]
    pub print: bool,
    /// The console page to open [default: the console's home, in the target's region].
    #[arg(long, value_name = "URL")]
    pub destination: Option<EndpointUrl>,
    /// The federation endpoint [default: the role's partition's, as
    /// https://signin.aws.amazon.com/federation; signin.amazonaws.cn, signin.amazonaws-us-gov.com].
    /// Plain http:// only to this machine.
    #[arg(long, value_name = "URL")]
    pub signin_endpoint: Option<EndpointUrl>,
    /// Shared options.
    #[command(flatten)]
    pub session: SessionArgs,
}
