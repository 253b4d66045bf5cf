//! A network namespace of the test's own (`unshare -n`: loopback only, nothing can leave the
//! machine), for the tests that must show where a call goes, or that none is made.

use super::harness::{in_ci, require, skipped};

/// The unshare flags that give this user a network namespace: `-n` as root, `-rn` (a user
/// namespace mapping us to root) otherwise. `None` when neither works.
fn unshare_flags() -> Option<&'static str> {
    ["-n", "-rn"].into_iter().find(|flags| {
        std::process::Command::new("unshare")
            .args([flags, "true"])
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The unshare flags of a network namespace, when `unshare`, `ip` and `python3` are here and
/// namespaces work; otherwise the test is skipped loudly (under `CI=true`, it fails).
pub fn namespace_flags() -> Option<&'static str> {
    if !["unshare", "ip", "python3"].into_iter().all(require) {
        return None;
    }
    let flags = unshare_flags();
    assert!(
        flags.is_some() || !in_ci(),
        "unshare -n (or -rn) does not work on this machine; the private-network tests need it"
    );
    if flags.is_none() {
        skipped(
            &super::harness::current_test(),
            "unshare -n (or -rn) does not work here",
        );
    }
    flags
}
