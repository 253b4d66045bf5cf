//! A source with no `mfa_serial`: the refresh finds the device in IAM (ListMFADevices, signed
//! by the long-term key), records it in the config file once, byte for byte, and never looks
//! again; FIDO keys are left out, several devices are offered on a terminal.

use crate::support::pty::on_terminal;
use crate::support::rotation::{OLD, OLD_SECRET};
use crate::support::*;

const DEVICE: &str = SERIAL;
const FIDO: &str = "arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn source() -> String {
    format!("[default]\naws_access_key_id = {OLD}\naws_secret_access_key = {OLD_SECRET}\n")
}

/// The stand-in, alice's MFA devices exactly `serials`.
fn with_devices(serials: &[&str]) -> StandIn {
    let aws = StandIn::start();
    aws.set_devices(USER, serials);
    aws
}

fn refresh(aws: &StandIn) -> Test {
    Test::new()
        .credentials(source())
        .args(["123456", "--endpoint-url", &aws.url()])
        .env("AWS_ENDPOINT_URL_IAM", aws.url())
}

#[test]
fn a_source_without_mfa_serial_gets_its_device_from_iam_recorded_once() {
    let aws = with_devices(&[FIDO, DEVICE]);
    let config =
        "# mine\r\n[profile work]\r\nregion = eu-west-1\r\n\r\n[default]\r\noutput=json\r\n";
    let ran = refresh(&aws)
        .config(config)
        .stderr_has("[default] names no MFA device (mfa_serial); looking for it in IAM")
        .stderr_has(&format!("found MFA device {DEVICE} in IAM and recorded it as mfa_serial in [default] of ~/.aws/config; later runs read it from there"))
        .stderr_has(&format!("wrote [mfa] in ~/.aws/credentials from [default] ({DEVICE})"))
        .run();
    assert_eq!(
        ran.env.read_config_text(),
        format!("# mine\r\n[profile work]\r\nregion = eu-west-1\r\n\r\n[default]\r\noutput=json\r\nmfa_serial={DEVICE}\r\n")
    );
    assert_eq!(
        aws.signers_of("ListMFADevices"),
        [OLD],
        "allowed without MFA by AWS's force-MFA policy: signed by the long-term key"
    );
    aws.next_code_window();
    Test::in_env(ran.env)
        .args(["123456", "--force", "--endpoint-url", &aws.url()])
        .env("AWS_ENDPOINT_URL_IAM", aws.url())
        .run()
        .out
        .assert_stderr_lacks("looking for it in IAM");
    assert_eq!(aws.signers_of("ListMFADevices").len(), 1, "looked for once");
}

#[test]
fn only_fido_keys_are_refused_with_what_to_do() {
    let aws = with_devices(&[FIDO]);
    let ran = refresh(&aws)
        .status(2)
        .stderr_has("no MFA device for [default]: IAM user alice has only 1 FIDO security key or passkey device(s), which sign in a browser and give no code a command line can send; add a virtual (authenticator app) or hardware TOTP device")
        .run();
    assert_eq!(ran.env.read_credentials_text(), source());
    assert!(!ran.env.config().exists());
}

#[test]
fn no_device_at_all_says_where_to_assign_one() {
    let aws = with_devices(&[]);
    refresh(&aws)
        .status(2)
        .stderr_has("IAM user alice has no MFA device; assign one in the IAM console")
        .run();
}

#[test]
fn several_devices_without_a_terminal_are_named() {
    let aws = with_devices(&[DEVICE, "GAHT12345678"]);
    refresh(&aws)
        .status(2)
        .stderr_has(&format!("IAM user alice of [default] has 2 MFA devices ({DEVICE}, GAHT12345678); pass --serial-number with one, or run in a terminal to choose"))
        .run();
}

#[test]
fn several_devices_are_offered_on_a_terminal() {
    let aws = with_devices(&[DEVICE, "GAHT12345678"]);
    let env = TestEnv::with_credentials(&source());
    let url = aws.url();
    let Some(ran) = on_terminal(
        &env,
        &[("AWS_ENDPOINT_URL_IAM", &url)],
        &["--endpoint-url", &url, "--code-command", "echo 123456"],
        &[("number [1-2]: ", "2\r")],
    ) else {
        return;
    };
    assert_eq!(ran.code, 0, "{ran}");
    assert!(
        ran.transcript.contains(&format!("IAM user alice of [default] has 2 MFA devices; which one gives your codes?\r\n  1) {DEVICE}\r\n  2) GAHT12345678\r\n")),
        "{ran}"
    );
    assert_eq!(
        env.read_config_text(),
        "[default]\nmfa_serial = GAHT12345678\n"
    );
}

#[test]
fn an_insecure_iam_endpoint_is_refused_before_anything_is_sent() {
    let aws = with_devices(&[DEVICE]);
    refresh(&aws)
        .env("AWS_ENDPOINT_URL_IAM", "http://10.0.0.1:5000")
        .status(2)
        .stderr_has("refusing to send IAM requests to http://10.0.0.1:5000 (from AWS_ENDPOINT_URL_IAM) over plain http")
        .run();
    assert!(!aws.actions().contains(&"ListMFADevices".to_owned()));
}
