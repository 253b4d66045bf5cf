//! IAM's access-key and MFA-device actions the tool calls, for the users of the account.
//!
//! Invariant: the answers are those of the IAM API reference for the account's state, and the
//! state changes only as the action's page says (a user holds at most two access keys).
//!
//! Sources: IAM API reference, ListAccessKeys, CreateAccessKey, UpdateAccessKey,
//! DeleteAccessKey, GetAccessKeyLastUsed, ListMFADevices, GetUser
//! (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_ACTION.html>); "IAM and AWS STS
//! quotas" <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>
//! ("Access keys assigned to an IAM user: 2").

use super::answer::{element, timestamp, AwsError};
use super::sts::Params;
use super::world::{word, AccessKey, Caller, Principal, Violations, World};

/// The actions this module answers.
pub const ACTIONS: [&str; 7] = [
    "ListAccessKeys",
    "CreateAccessKey",
    "UpdateAccessKey",
    "DeleteAccessKey",
    "GetAccessKeyLastUsed",
    "ListMFADevices",
    "GetUser",
];

/// "Access keys assigned to an IAM user: 2" (IAM quotas); CreateAccessKey beyond it is
/// LimitExceeded, HTTP 409 (CreateAccessKey, Errors: "The request was rejected because it
/// attempted to create resources beyond the current AWS account limits"), in IAM's words.
const KEYS_PER_USER: usize = 2;

/// Whose keys: `UserName` when given (length 1 to 128, `[\w+=,.@-]+`), else the signing
/// user ("If you do not specify a user name, IAM determines the user name implicitly based on
/// the AWS access key ID signing the request"). `None`: the root user's own keys. A role
/// session must name the user (IAM answers ValidationError "Must specify userName when calling
/// with non-User credentials").
fn whose(world: &World, caller: &Caller, params: &Params) -> Result<Option<String>, AwsError> {
    if let Some(name) = params.get("UserName") {
        let mut violations = Violations::default();
        violations.length("userName", name, 1, 128);
        violations.pattern("userName", name, r"[\w+=,.@-]+", |c| {
            word(c) || "+=,.@-".contains(c)
        });
        violations.into_result()?;
        if world.user(name).is_none() {
            return Err(no_such_user(name));
        }
        return Ok(Some(name.clone()));
    }
    match &caller.principal {
        Principal::User(name) => Ok(Some(name.clone())),
        Principal::Root => Ok(None),
        Principal::AssumedRole { .. } => Err(AwsError::validation(
            "Must specify userName when calling with non-User credentials",
        )),
    }
}

/// NoSuchEntity, HTTP 404, in IAM's words.
fn no_such_user(name: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchEntity",
        format!("The user with name {name} cannot be found."),
    )
}

fn no_such_key(id: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchEntity",
        format!("The Access Key with id {id} cannot be found."),
    )
}

fn keys_of<'w>(world: &'w mut World, user: &Option<String>) -> &'w mut Vec<AccessKey> {
    match user {
        Some(name) => &mut world.user_mut(name).expect("checked by whose").keys,
        None => &mut world.root_keys,
    }
}

/// `AccessKeyId`: required, length 16 to 128, `[\w]+`.
fn key_id_param(params: &Params) -> Result<String, AwsError> {
    let mut violations = Violations::default();
    violations.required("accessKeyId", params.get("AccessKeyId"));
    if let Some(id) = params.get("AccessKeyId") {
        violations.length("accessKeyId", id, 16, 128);
        violations.pattern("accessKeyId", id, r"[\w]+", word);
    }
    violations.into_result()?;
    Ok(params["AccessKeyId"].clone())
}

fn user_name_element(user: &Option<String>) -> String {
    user.as_deref()
        .map(|name| element("UserName", name))
        .unwrap_or_default()
}

/// Answers IAM action `action`; `Ok(None)` for the actions whose answer has no result.
pub fn answer(
    world: &mut World,
    caller: &Caller,
    action: &str,
    params: &Params,
    now: i64,
) -> Result<Option<String>, AwsError> {
    let user = whose(world, caller, params)?;
    let name = user_name_element(&user);
    match action {
        "ListAccessKeys" => {
            let members: String = keys_of(world, &user)
                .iter()
                .map(|k| {
                    format!(
                        "\n      <member>{name}{}{}{}</member>",
                        element("AccessKeyId", &k.id),
                        element("Status", if k.active { "Active" } else { "Inactive" }),
                        element("CreateDate", &timestamp(k.created))
                    )
                })
                .collect();
            Ok(Some(format!(
                "    {name}\n    <AccessKeyMetadata>{members}\n    </AccessKeyMetadata>\n    <IsTruncated>false</IsTruncated>"
            )))
        }
        "CreateAccessKey" => create_access_key(world, &user, &name, now).map(Some),
        "UpdateAccessKey" => {
            let id = key_id_param(params)?;
            let status = params.get("Status").cloned().unwrap_or_default();
            if status != "Active" && status != "Inactive" {
                return Err(AwsError::validation(format!(
                    "1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"
                )));
            }
            let key = keys_of(world, &user).iter_mut().find(|k| k.id == id);
            key.ok_or_else(|| no_such_key(&id))?.active = status == "Active";
            Ok(None)
        }
        "DeleteAccessKey" => {
            let id = key_id_param(params)?;
            let keys = keys_of(world, &user);
            let before = keys.len();
            keys.retain(|k| k.id != id);
            if keys.len() == before {
                return Err(no_such_key(&id));
            }
            Ok(None)
        }
        "GetAccessKeyLastUsed" => last_used(world, params).map(Some),
        "ListMFADevices" => {
            let devices = match &user {
                Some(name) => world
                    .user(name)
                    .map(|u| u.devices.clone())
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            let members: String = devices
                .iter()
                .map(|d| {
                    format!(
                        "\n      <member>{name}{}{}</member>",
                        element("SerialNumber", &d.serial),
                        element("EnableDate", &timestamp(d.enabled))
                    )
                })
                .collect();
            Ok(Some(format!(
                "    <MFADevices>{members}\n    </MFADevices>\n    <IsTruncated>false</IsTruncated>"
            )))
        }
        "GetUser" => {
            let principal = match &user {
                Some(name) => Principal::User(name.clone()),
                None => Principal::Root,
            };
            Ok(Some(format!(
                "    <User>\n      <Path>/</Path>\n      {}{}\n      {}\n      {}\n    </User>",
                name,
                element("UserId", &world.principal_id(&principal)),
                element("Arn", &world.principal_arn(&principal)),
                element("CreateDate", &timestamp(0))
            )))
        }
        other => unreachable!("{other} is not an IAM action of this module"),
    }
}

fn create_access_key(
    world: &mut World,
    user: &Option<String>,
    name: &str,
    now: i64,
) -> Result<String, AwsError> {
    if keys_of(world, user).len() >= KEYS_PER_USER {
        return Err(AwsError::new(
            409,
            "LimitExceeded",
            format!("Cannot exceed quota for AccessKeysPerUser: {KEYS_PER_USER}"),
        ));
    }
    let (id, secret) = world.new_key_pair();
    world.note_new_key(&id);
    keys_of(world, user).push(AccessKey {
        id: id.clone(),
        secret: secret.clone(),
        active: true,
        created: now,
        last_used: None,
    });
    Ok(format!(
        "    <AccessKey>\n      {name}{}{}{}{}\n    </AccessKey>",
        element("AccessKeyId", &id),
        element("Status", "Active"),
        element("SecretAccessKey", &secret),
        element("CreateDate", &timestamp(now))
    ))
}

/// GetAccessKeyLastUsed: the key's user and where it was last used; a key never used answers
/// `ServiceName` and `Region` "N/A" and no `LastUsedDate` (API reference, AccessKeyLastUsed).
fn last_used(world: &World, params: &Params) -> Result<String, AwsError> {
    let id = key_id_param(params)?;
    let owner = world
        .users
        .iter()
        .find_map(|u| {
            u.keys
                .iter()
                .find(|k| k.id == id)
                .map(|k| (Some(&u.name), k))
        })
        .or_else(|| {
            world
                .root_keys
                .iter()
                .find(|k| k.id == id)
                .map(|k| (None, k))
        });
    let Some((user, key)) = owner else {
        return Err(no_such_key(&id));
    };
    let used = match &key.last_used {
        Some(used) => format!(
            "{}{}{}",
            element("LastUsedDate", &timestamp(used.at)),
            element("ServiceName", &used.service),
            element("Region", &used.region)
        ),
        None => format!(
            "{}{}",
            element("ServiceName", "N/A"),
            element("Region", "N/A")
        ),
    };
    Ok(format!(
        "    {}\n    <AccessKeyLastUsed>{used}</AccessKeyLastUsed>",
        user.map(|name| element("UserName", name))
            .unwrap_or_default()
    ))
}
