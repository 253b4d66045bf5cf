//! STS's three actions the tool calls, with the rules the API reference and the IAM User Guide
//! state: GetSessionToken, AssumeRole, GetCallerIdentity.
//!
//! Invariant: an action answers a result only when every rule cited beside it holds for the
//! (already authenticated) caller and the parameters; otherwise it answers the error, code and
//! message AWS documents (or, where the documentation gives no wording, STS's observed one,
//! with the report that shows it).
//!
//! Sources: GetSessionToken
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html>, AssumeRole
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>,
//! GetCallerIdentity
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>; IAM User
//! Guide "Roles terms and concepts" (role chaining)
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html#iam-term-role-chaining>,
//! "Configuring MFA-protected API access"
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html>,
//! "Compare AWS STS credentials"
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html>.

use super::answer::{element, timestamp, AwsError};
use super::mfa;
use super::world::{word, Caller, Principal, Session, Violations, World};
use std::collections::BTreeMap;

pub type Params = BTreeMap<String, String>;

/// The actions this module answers.
pub const ACTIONS: [&str; 3] = ["GetSessionToken", "AssumeRole", "GetCallerIdentity"];

/// GetSessionToken's durations (API reference, DurationSeconds): IAM users 900 to 129,600 s,
/// default 43,200; the root user's sessions "are restricted to a maximum of 3,600 seconds (one
/// hour). If the duration is longer than one hour, the session for AWS account owners defaults
/// to one hour."
const SESSION_MIN: i64 = 900;
const SESSION_MAX: i64 = 129_600;
const SESSION_DEFAULT: i64 = 43_200;
const ROOT_SESSION_MAX: i64 = 3_600;

/// AssumeRole's durations (API reference, DurationSeconds): 900 to 43,200 s, default 3,600.
const ROLE_MIN: i64 = 900;
const ROLE_MAX: i64 = 43_200;
const ROLE_DEFAULT: i64 = 3_600;
/// Role chaining ("Roles terms and concepts", Role chaining: "Role chaining limits your AWS
/// CLI or AWS API role session to a maximum of one hour"; AssumeRole API reference,
/// DurationSeconds: "if you assume a role using role chaining and provide a DurationSeconds
/// parameter value greater than one hour, the operation fails"). AssumeRole signed with any
/// temporary credentials counts, a GetSessionToken session included (AWS re:Post knowledge
/// center "iam-role-chaining-limit": "Users that use MFA with the AWS CLI use temporary
/// credentials to assume another role ... limited to 1 hour").
const CHAINED_MAX: i64 = 3_600;

/// `[\w+=/:,.@-]*`: SerialNumber's pattern (both actions).
fn serial_char(c: char) -> bool {
    word(c) || "+=/:,.@-".contains(c)
}

/// `[\w+=,.@-]*`: RoleSessionName's pattern.
fn session_name_char(c: char) -> bool {
    word(c) || "+=,.@-".contains(c)
}

/// `[\w+=,.@:\/-]*`: ExternalId's pattern.
fn external_id_char(c: char) -> bool {
    word(c) || "+=,.@:/-".contains(c)
}

/// SerialNumber (length 9 to 256, `[\w+=/:,.@-]*`) and TokenCode (length 6, `[\d]*`), as both
/// actions constrain them.
fn check_mfa_params(violations: &mut Violations, params: &Params) {
    if let Some(serial) = params.get("SerialNumber") {
        violations.length("serialNumber", serial, 9, 256);
        violations.pattern("serialNumber", serial, r"[\w+=/:,.@-]*", serial_char);
    }
    if let Some(code) = params.get("TokenCode") {
        violations.length("tokenCode", code, 6, 6);
        violations.pattern("tokenCode", code, r"[\d]*", |c| c.is_ascii_digit());
    }
}

/// The user a caller's MFA device belongs to: an IAM user signing with their long-term keys or
/// a session of theirs. Root and role sessions have no IAM devices here.
fn mfa_user(caller: &Caller) -> Option<&str> {
    match &caller.principal {
        Principal::User(name) => Some(name),
        _ => None,
    }
}

/// Checks SerialNumber and TokenCode when given; `Ok(true)`: MFA was presented and accepted.
/// A serial without a code (or a code without a serial) is a failed MFA: the documentation
/// names no wording for it, so the stand-in answers the invalid-code refusal.
fn presented_mfa(
    world: &mut World,
    caller: &Caller,
    params: &Params,
    now: i64,
) -> Result<bool, AwsError> {
    let (serial, code) = (params.get("SerialNumber"), params.get("TokenCode"));
    if serial.is_none() && code.is_none() {
        return Ok(false);
    }
    let (Some(serial), Some(code)) = (serial, code) else {
        return Err(mfa::invalid_code());
    };
    let codes = world.codes;
    let user = mfa_user(caller).map(str::to_owned);
    let Some(user) = user.and_then(|name| world.user_mut(&name)) else {
        return Err(mfa::not_the_users_device());
    };
    mfa::accept(&mut user.devices, serial, code, codes, now)?;
    Ok(true)
}

fn credentials_xml(session: &Session) -> String {
    format!(
        "    <Credentials>\n      {}\n      {}\n      {}\n      {}\n    </Credentials>",
        element("AccessKeyId", &session.key_id),
        element("SecretAccessKey", &session.secret),
        element("SessionToken", &session.token),
        element("Expiration", &timestamp(session.expires)),
    )
}

/// The access-denied message of a policy that does not allow `action` ("Troubleshoot access
/// denied error messages",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>: "User:
/// ARN is not authorized to perform: ACTION on resource: ARN", and "... with an explicit deny
/// in an identity-based policy").
fn not_authorized(world: &World, caller: &Caller, action: &str, tail: &str) -> AwsError {
    AwsError::access_denied(format!(
        "User: {} is not authorized to perform: {action}{tail}",
        world.principal_arn(&caller.principal)
    ))
}

/// GetSessionToken.
pub fn get_session_token(
    world: &mut World,
    caller: &Caller,
    params: &Params,
    now: i64,
) -> Result<String, AwsError> {
    let mut violations = Violations::default();
    let duration = violations.integer("durationSeconds", params.get("DurationSeconds"));
    if let Some(duration) = duration {
        violations.range("durationSeconds", duration, SESSION_MIN, SESSION_MAX);
    }
    check_mfa_params(&mut violations, params);
    violations.into_result()?;
    // "The GetSessionToken operation must be called by using the long-term AWS security
    // credentials of an IAM user" (API reference, Session Duration); with a session STS
    // answers AccessDenied "Cannot call GetSessionToken with session credentials" (HTTP 403;
    // aws/aws-sdk-net#1704, apache/hadoop#6538).
    if caller.temporary {
        return Err(AwsError::access_denied(
            "Cannot call GetSessionToken with session credentials",
        ));
    }
    let mfa = presented_mfa(world, caller, params, now)?;
    let required = match &caller.principal {
        Principal::User(name) => world.user(name).is_some_and(|u| u.mfa_required),
        _ => false,
    };
    if required && !mfa {
        return Err(not_authorized(
            world,
            caller,
            "sts:GetSessionToken",
            " with an explicit deny in an identity-based policy",
        ));
    }
    let secs = match caller.principal {
        Principal::Root => duration.unwrap_or(ROOT_SESSION_MAX).min(ROOT_SESSION_MAX),
        _ => duration.unwrap_or(SESSION_DEFAULT),
    };
    let session = world.issue_session(caller.principal.clone(), mfa, true, now, secs);
    Ok(credentials_xml(&session))
}

/// AssumeRole's parameter constraints (API reference, Request Parameters).
fn check_assume_role_params(params: &Params) -> Result<Option<i64>, AwsError> {
    let mut violations = Violations::default();
    violations.required("roleArn", params.get("RoleArn"));
    violations.required("roleSessionName", params.get("RoleSessionName"));
    if let Some(arn) = params.get("RoleArn") {
        violations.length("roleArn", arn, 20, 2048);
    }
    if let Some(name) = params.get("RoleSessionName") {
        violations.length("roleSessionName", name, 2, 64);
        violations.pattern("roleSessionName", name, r"[\w+=,.@-]*", session_name_char);
    }
    if let Some(id) = params.get("ExternalId") {
        violations.length("externalId", id, 2, 1224);
        violations.pattern("externalId", id, r"[\w+=,.@:\/-]*", external_id_char);
    }
    let duration = violations.integer("durationSeconds", params.get("DurationSeconds"));
    if let Some(duration) = duration {
        violations.range("durationSeconds", duration, ROLE_MIN, ROLE_MAX);
    }
    check_mfa_params(&mut violations, params);
    violations.into_result()?;
    Ok(duration)
}

/// AssumeRole.
pub fn assume_role(
    world: &mut World,
    caller: &Caller,
    params: &Params,
    now: i64,
) -> Result<String, AwsError> {
    let duration = check_assume_role_params(params)?;
    let (role_arn, session_name) = (&params["RoleArn"], &params["RoleSessionName"]);
    // The root user cannot assume a role. The API reference states no such rule; STS answers
    // it with AccessDenied "Roles may not be assumed by root accounts." (kubeflow/testing#961).
    if caller.principal == Principal::Root {
        return Err(AwsError::access_denied(
            "Roles may not be assumed by root accounts.",
        ));
    }
    let denied = AwsError::access_denied(format!(
        "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
        world.principal_arn(&caller.principal)
    ));
    // A role that does not exist is AccessDenied, like one whose trust policy does not allow
    // the caller (STS does not say which; AssumeRole API reference, Errors, lists no
    // NoSuchEntity).
    let Some(role) = world.role_by_arn(role_arn).cloned() else {
        return Err(denied);
    };
    // An ExternalId the trust policy requires (`sts:ExternalId` condition): missing or
    // different, access is denied (AssumeRole API reference, ExternalId; IAM User Guide "Access
    // to AWS accounts owned by third parties").
    if role.external_id.is_some() && role.external_id.as_ref() != params.get("ExternalId") {
        return Err(denied);
    }
    let presented = presented_mfa(world, caller, params, now)?;
    // "If the role being assumed requires MFA and if the TokenCode value is missing or expired,
    // the AssumeRole call returns an 'access denied' error" (API reference, TokenCode). A
    // session that MFA was presented for carries `aws:MultiFactorAuthPresent` ("Configuring
    // MFA-protected API access": temporary credentials from GetSessionToken with MFA "can be
    // used to call ... AssumeRole" on a role whose trust policy requires MFA); one without MFA
    // does not.
    let mfa = presented || (caller.temporary && caller.mfa);
    if role.mfa_required && !mfa {
        return Err(denied);
    }
    let secs = duration.unwrap_or(ROLE_DEFAULT);
    if caller.temporary && secs > CHAINED_MAX {
        return Err(AwsError::validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ));
    }
    // "If you specify a value higher than this setting or the administrator setting (whichever
    // is lower), the operation fails" (API reference, DurationSeconds); STS's words: "The
    // requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    // (ValidationError, HTTP 400; kreuzwerker/awsu#27).
    if secs > role.max_session_secs {
        return Err(AwsError::validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    let principal = Principal::AssumedRole {
        role: role.name.clone(),
        session: session_name.clone(),
    };
    let arn = world.principal_arn(&principal);
    let id = world.principal_id(&principal);
    let session = world.issue_session(principal, mfa, false, now, secs);
    Ok(format!(
        "    <AssumedRoleUser>\n      {}\n      {}\n    </AssumedRoleUser>\n{}",
        element("AssumedRoleId", &id),
        element("Arn", &arn),
        credentials_xml(&session)
    ))
}

/// GetCallerIdentity: "No permissions are required to perform this operation" (API
/// reference): any credentials that pass authentication, a session without MFA included; it
/// answers the user's ARN, or the assumed role's `arn:aws:sts::ACCOUNT:assumed-role/ROLE/
/// SESSION`.
pub fn get_caller_identity(world: &World, caller: &Caller) -> String {
    format!(
        "    {}\n    {}\n    {}",
        element("Arn", &world.principal_arn(&caller.principal)),
        element("UserId", &world.principal_id(&caller.principal)),
        element("Account", &world.account)
    )
}
