//! IAM in moto for the end-to-end tests: users with keys and virtual MFA devices made with
//! boto3, their keys listed, and what a crash left judged against them.

use crate::support::*;
use mfa_profile::profile::SharedFiles;

const SCRIPT: &str = r#"
import boto3, json, sys
url, command, user = sys.argv[1], sys.argv[2], sys.argv[3]
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="AKIAADMINEXAMPLE0000", aws_secret_access_key="admin")
if command == "create":
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    for name in sys.argv[4:]:
        device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
        iam.enable_mfa_device(UserName=user, SerialNumber=device["SerialNumber"],
                              AuthenticationCode1="123456", AuthenticationCode2="654321")
    print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
elif command == "add-inactive-key":
    key = iam.create_access_key(UserName=user)["AccessKey"]
    iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
elif command == "keys":
    keys = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    print(json.dumps([[k["AccessKeyId"], k["Status"] == "Active"] for k in keys]))
"#;

fn boto(moto: &Moto, args: &[&str]) -> Option<serde_json::Value> {
    if !require("python3") {
        return None;
    }
    let env = TestEnv::new();
    let out = run(env
        .command("python3")
        .args(["-c", SCRIPT, &moto.url()])
        .args(args));
    assert_eq!(out.code, 0, "boto3 against moto\n{out}");
    Some(serde_json::from_str(out.stdout.trim()).unwrap())
}

/// Creates IAM user `user` with one access key and a virtual MFA device per name in
/// `devices`; its key id and secret.
pub fn create_user(moto: &Moto, user: &str, devices: &[&str]) -> Option<(String, String)> {
    let mut args = vec!["create", user];
    args.extend_from_slice(devices);
    let value = boto(moto, &args)?;
    Some((
        value[0].as_str().unwrap().to_owned(),
        value[1].as_str().unwrap().to_owned(),
    ))
}

/// Gives `user` a second, inactive key; its id.
pub fn add_inactive_key(moto: &Moto, user: &str) -> String {
    let value = boto(moto, &["add-inactive-key", user]).expect("python3");
    value[0].as_str().unwrap().to_owned()
}

/// `user`'s keys as (id, active), in IAM's order.
pub fn keys(moto: &Moto, user: &str) -> Vec<(String, bool)> {
    let value = boto(moto, &["keys", user]).expect("python3");
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k[0].as_str().unwrap().to_owned(), k[1].as_bool().unwrap()))
        .collect()
}

/// Checks that the files use a key IAM holds active and that every active key is one the
/// files use or record; says what the files record.
pub fn judge_files(env: &TestEnv, moto: &Moto, user: &str) -> String {
    let text = env.read_credentials_text();
    let profiles = SharedFiles {
        credentials: text.clone(),
        config: String::new(),
    }
    .profiles()
    .expect("the SDK parses the file");
    let default = profiles.get_profile("default").expect("[default]");
    let used = default.get("aws_access_key_id").unwrap().to_owned();
    let pending = default.get("mfa_new_access_key_id").map(str::to_owned);
    let started = default.get("mfa_rotation_started").is_some();
    let old = default.get("mfa_old_access_key_id").map(str::to_owned);
    let keys = keys(moto, user);
    assert!(
        keys.iter().any(|(id, active)| *id == used && *active),
        "the file uses {used}, which is not active in IAM: {keys:?}\n{text}"
    );
    for (id, active) in &keys {
        let known = *id == used
            || pending.as_deref() == Some(id)
            || old.as_deref() == Some(id)
            || started
            || !active;
        assert!(
            known,
            "{id} is active in IAM and the file does not record it\n{text}"
        );
    }
    let mut said = Vec::new();
    if started {
        said.push("start recorded");
    }
    if pending.is_some() {
        said.push("new key saved, old in use");
    } else if old.is_some() {
        said.push("new key in use, old to retire");
    }
    if said.is_empty() {
        said.push("no rotation under way");
    }
    said.join(", ")
}
