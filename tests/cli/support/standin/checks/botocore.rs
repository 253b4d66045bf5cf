//! botocore (boto3, the AWS CLI's library) against the stand-in: its signer, its parsers.
//! These fail under `CI=true` when python3 or boto3 is missing, and are skipped loudly
//! otherwise.

use super::super::*;
use crate::support::*;
use serde_json::Value;

/// Whether python3 can import boto3; under CI a missing one fails the test.
fn require_boto3() -> bool {
    if !require("python3") {
        return false;
    }
    let found = std::process::Command::new("python3")
        .args(["-c", "import boto3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        skipped(&current_test(), "boto3 missing (python3 cannot import it)");
    }
    found
}

/// Defines `sts(key, secret, token=None)` (a client of the stand-in at `sys.argv[1]`,
/// us-east-1, no retries, `sys.argv[2]` as CA bundle when given) and `call(f, **params)`,
/// which gives `{"ok": result}` or `{"status", "code", "message"}`; `out` is printed as JSON.
const PRELUDE: &str = r#"
import boto3, botocore, json, sys
from botocore.config import Config
url = sys.argv[1]
verify = sys.argv[2] if len(sys.argv) > 2 else None
AKID, SECRET, SERIAL = 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'arn:aws:iam::123456789012:mfa/alice'
def sts(key, secret, token=None):
    return boto3.client('sts', endpoint_url=url, region_name='us-east-1', verify=verify,
        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
        config=Config(retries={'total_max_attempts': 1}))
def call(f, **params):
    try:
        r = f(**params)
        r.pop('ResponseMetadata', None)
        return {'ok': json.loads(json.dumps(r, default=str))}
    except botocore.exceptions.ClientError as e:
        return {'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                'code': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
def keys(answer):
    c = answer['ok']['Credentials']
    return c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken']
out = {}
"#;

/// Runs `body` after [`PRELUDE`] against `aws`; the JSON it printed.
fn botocore(aws: &StandIn, body: &str) -> Value {
    let env = TestEnv::new();
    let script = format!("{PRELUDE}{body}\nprint(json.dumps(out))\n");
    let mut command = env.command("python3");
    command.args(["-c", &script, &aws.url()]);
    if aws.url().starts_with("https") {
        command.arg(aws.ca_file(&env, "ca.pem"));
    }
    let ran = run(&mut command);
    ran.assert_code(0);
    ran.json()
}

fn refused(status: u16, code: &str, message: &str) -> Value {
    serde_json::json!({"status": status, "code": code, "message": message})
}

#[test]
fn botocore_is_accepted_where_aws_accepts() {
    if !require_boto3() {
        return;
    }
    let aws = StandIn::start();
    aws.add_device(USER, "arn:aws:iam::123456789012:mfa/alice-backup");
    aws.next_code_window();
    let seen = botocore(
        &aws,
        "
gst = call(sts(AKID, SECRET).get_session_token, SerialNumber=SERIAL, TokenCode='123456', DurationSeconds=3600)
session = sts(*keys(gst))
out['me'] = call(session.get_caller_identity)
out['derived'] = call(session.assume_role, RoleArn='arn:aws:iam::123456789012:role/admin', RoleSessionName='derived', DurationSeconds=3600)
out['direct'] = call(sts(AKID, SECRET).assume_role, RoleArn='arn:aws:iam::123456789012:role/admin', RoleSessionName='direct',
    SerialNumber='arn:aws:iam::123456789012:mfa/alice-backup', TokenCode='654321', DurationSeconds=43200)
out['role_me'] = call(sts(*keys(out['direct'])).get_caller_identity)
",
    );
    assert_eq!(seen["me"]["ok"]["Arn"], USER_ARN, "{seen}");
    assert_eq!(
        seen["derived"]["ok"]["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::123456789012:assumed-role/admin/derived",
        "{seen}"
    );
    assert_eq!(
        seen["role_me"]["ok"]["Arn"], "arn:aws:sts::123456789012:assumed-role/admin/direct",
        "{seen}"
    );
    assert_eq!(
        seen["role_me"]["ok"]["UserId"],
        "AROASTANDINADMIN0001:direct"
    );
}

#[test]
fn botocore_reports_awss_refusals() {
    if !require_boto3() {
        return;
    }
    let aws = StandIn::start();
    aws.next_code_window();
    let seen = botocore(
        &aws,
        "
gst = call(sts(AKID, SECRET).get_session_token, SerialNumber=SERIAL, TokenCode='123456')
session = sts(*keys(gst))
out['chained'] = call(session.assume_role, RoleArn='arn:aws:iam::123456789012:role/admin', RoleSessionName='derived', DurationSeconds=14400)
out['reused'] = call(sts(AKID, SECRET).get_session_token, SerialNumber=SERIAL, TokenCode='123456')
out['with_session'] = call(session.get_session_token)
out['wrong_secret'] = call(sts(AKID, 'not the secret').get_caller_identity)
out['unknown_key'] = call(sts('AKIAUNKNOWNEXAMPLE00', SECRET).get_caller_identity)
out['bad_name'] = call(sts(AKID, SECRET).assume_role, RoleArn='arn:aws:iam::123456789012:role/open', RoleSessionName='alice smith')
",
    );
    assert_eq!(
        seen["chained"],
        refused(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
        )
    );
    assert_eq!(
        seen["reused"],
        refused(
            403,
            "AccessDenied",
            "MultiFactorAuthentication failed with invalid MFA one time pass code."
        )
    );
    assert_eq!(
        seen["with_session"],
        refused(
            403,
            "AccessDenied",
            "Cannot call GetSessionToken with session credentials"
        )
    );
    assert_eq!(seen["wrong_secret"]["code"], "SignatureDoesNotMatch");
    assert_eq!(
        seen["unknown_key"],
        refused(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid."
        )
    );
    assert_eq!(
        seen["bad_name"],
        refused(
            400,
            "ValidationError",
            r"1 validation error detected: Value 'alice smith' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"
        )
    );
}

#[test]
fn botocore_signing_twenty_minutes_off_is_refused_with_the_signature_expired_message() {
    if !require_boto3() {
        return;
    }
    let aws = StandIn::start();
    aws.set_clock_offset(20 * 60);
    let seen = botocore(
        &aws,
        "out['me'] = call(sts(AKID, SECRET).get_caller_identity)",
    );
    assert_eq!(seen["me"]["code"], "SignatureDoesNotMatch", "{seen}");
    let sent = &aws.calls()[0].signed_at;
    let message = seen["me"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("Signature expired: {sent} is now earlier than "))
            && message.ends_with(" - 15 min.)"),
        "{message}"
    );
    assert_eq!(aws.calls().len(), 1, "botocore does not correct the skew");
}

#[test]
fn botocore_over_https_with_the_ca_bundle() {
    if !require_boto3() {
        return;
    }
    let aws = StandIn::start_https();
    let seen = botocore(
        &aws,
        "out['me'] = call(sts(AKID, SECRET).get_caller_identity)",
    );
    assert_eq!(seen["me"]["ok"]["Arn"], USER_ARN, "{seen}");
}
