//! IAM in moto for the end-to-end tests whose real consumer reads the result (the aws CLI
//! reading a rotated key): users with keys and virtual MFA devices made with boto3, and their
//! keys listed.

use crate::support::*;

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
