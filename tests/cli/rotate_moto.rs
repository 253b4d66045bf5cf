//! `rotate` end to end against moto's IAM and STS: a user at IAM's limit of two keys with a
//! virtual MFA device and no `mfa_serial` in the files; the rotated key read back by the AWS
//! CLI.

use crate::support::*;

#[test]
fn rotate_against_moto_at_the_two_key_limit_from_a_source_without_a_serial() {
    let Some(moto) = Moto::start() else { return };
    let Some((key, secret)) = crate::support::moto_iam::create_user(&moto, "gina", &["gina"])
    else {
        return;
    };
    let inactive = crate::support::moto_iam::add_inactive_key(&moto, "gina");
    let original = format!(
        "# gina's keys\n[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\nregion = us-east-1\n"
    );
    let url = moto.url();
    let ran = Test::new()
        .credentials(&original)
        .args([
            "rotate",
            "--yes",
            "--delete",
            "--code-command",
            "echo 123456",
        ])
        .args(["--endpoint-url", &url, "--iam-endpoint-url", &url])
        .stderr_has("found MFA device arn:aws:iam::123456789012:mfa/gina in IAM and recorded it")
        .stderr_has(&format!(
            "deleted the inactive access key {inactive} of IAM user gina"
        ))
        .stderr_has("which is deleted")
        .run();
    ran.out.assert_silent_about(&secret);
    let text = ran.env.read_credentials_text();
    let new = sdk_value(&text, "default", "aws_access_key_id").unwrap();
    let new_secret = sdk_value(&text, "default", "aws_secret_access_key").unwrap();
    assert_ne!(new, key);
    ran.out.assert_silent_about(&new_secret);
    assert!(
        text.starts_with(&format!(
            "# gina's keys\n[default]\naws_access_key_id = {new}\naws_secret_access_key = {new_secret}\nregion = us-east-1\n\n[mfa]\n"
        )),
        "{text}"
    );
    assert_eq!(
        crate::support::moto_iam::keys(&moto, "gina"),
        [(new.clone(), true)]
    );
    assert_eq!(
        ran.env.read_config_text(),
        "[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/gina\n\n[profile mfa]\nregion = us-east-1\n"
    );
    if !require("aws") {
        return;
    }
    let identity = caller_identity(ran.env.command("aws").args(["--profile", "default"]), &moto);
    identity
        .assert_code(0)
        .assert_stdout_has("arn:aws:iam::123456789012:user/gina");
}
