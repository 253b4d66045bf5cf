//! The writers' lock is a private file beside the credentials file (issue 11: a lock on the
//! `~/.aws` directory could be taken, and held, by any local user allowed to list it).

use crate::support::*;
use std::os::unix::fs::MetadataExt;

#[test]
fn the_lock_file_is_created_0600_beside_the_credentials_file_and_stays() {
    let Some(moto) = Moto::start() else { return };
    let env = TestEnv::with_credentials(&default_source());
    let elsewhere = env.home().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::rename(env.credentials(), elsewhere.join("credentials")).unwrap();
    let out = run(env
        .mfa()
        .env("AWS_SHARED_CREDENTIALS_FILE", elsewhere.join("credentials"))
        .args(["123456", "--endpoint-url", &moto.url()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lock = elsewhere.join(".mfa-profile.lock");
    let meta = std::fs::metadata(&lock).expect("the lock file beside the credentials file");
    assert!(meta.is_file());
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert_eq!(meta.len(), 0, "nothing is written into it");
}
