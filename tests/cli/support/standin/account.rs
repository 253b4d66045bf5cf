//! What a test changes in the stand-in's account: users, keys, devices, roles, MFA rules,
//! sessions issued without a call; and what it reads back.
//!
//! Invariant: these only edit the account as IAM could have left it (a user's keys, devices
//! and policy flag, a role's settings); the rules that judge requests stay in `sts.rs`, `iam.rs`
//! and `mfa.rs`.

use super::mfa::{self, Codes, Device};
use super::world::{AccessKey, LastUsed, Principal, Role, User, World};
use super::{answer, Issued, StandIn};

/// Epoch seconds of an RFC 3339 time.
fn epoch(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("{rfc3339:?}: {e}"))
        .as_second()
}

impl StandIn {
    // MFA.

    pub fn set_codes(&self, codes: Codes) {
        self.world().codes = codes;
    }

    /// The code device `serial` shows now under [`Codes::Totp`].
    pub fn code_now(&self, serial: &str) -> String {
        mfa::totp(serial, mfa::window_of(self.now()))
    }

    /// Whether `user`'s policy denies calls made without MFA (GetSessionToken included).
    pub fn set_mfa_required(&self, user: &str, required: bool) {
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .mfa_required = required;
    }

    // The account.

    /// Adds IAM user `name` with one active key, no device, MFA not required.
    pub fn add_user(&self, name: &str, key_id: &str, secret: &str) {
        let mut world = self.world();
        let n = world.next_serial();
        let now = self.shared.now();
        world.users.push(User {
            name: name.to_owned(),
            id: format!("AIDASTANDINUSER{n:05}"),
            keys: vec![AccessKey {
                id: key_id.to_owned(),
                secret: secret.to_owned(),
                active: true,
                created: now,
                last_used: None,
            }],
            devices: Vec::new(),
            mfa_required: false,
        });
    }

    /// Adds a key to `user`'s (at most two: this does not check IAM's quota).
    pub fn add_key(&self, user: &str, key_id: &str, secret: &str, active: bool) {
        let now = self.now();
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .keys
            .push(AccessKey {
                id: key_id.to_owned(),
                secret: secret.to_owned(),
                active,
                created: now,
                last_used: None,
            });
    }

    /// Gives `user` the MFA device `serial`.
    pub fn add_device(&self, user: &str, serial: &str) {
        let now = self.now();
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .devices
            .push(Device::new(serial, now));
    }

    /// `user`'s MFA devices become exactly `serials` (virtual, hardware or FIDO alike), in
    /// that order.
    pub fn set_devices(&self, user: &str, serials: &[&str]) {
        let now = self.now();
        self.world()
            .user_mut(user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .devices = serials.iter().map(|s| Device::new(s, now)).collect();
    }

    /// Gives the account's root user an access key.
    pub fn add_root_key(&self, key_id: &str, secret: &str) {
        let now = self.now();
        self.world().root_keys.push(AccessKey {
            id: key_id.to_owned(),
            secret: secret.to_owned(),
            active: true,
            created: now,
            last_used: None,
        });
    }

    /// Adds role `name`; its ARN.
    pub fn add_role(&self, name: &str, max_session_secs: i64, mfa_required: bool) -> String {
        let mut world = self.world();
        let n = world.next_serial();
        let role = Role {
            name: name.to_owned(),
            id: format!("AROASTANDINROLE{n:05}"),
            max_session_secs,
            mfa_required,
            external_id: None,
        };
        let arn = world.role_arn(&role);
        world.roles.push(role);
        arn
    }

    /// Makes role `name`'s trust policy require ExternalId `id`.
    pub fn require_external_id(&self, name: &str, id: &str) {
        let mut world = self.world();
        let role = world.roles.iter_mut().find(|r| r.name == name);
        role.unwrap_or_else(|| panic!("no role {name}")).external_id = Some(id.to_owned());
    }

    /// Only credential scopes of `region` reach STS (a regional endpoint's rule).
    pub fn pin_sts_region(&self, region: &str) {
        self.world().sts_region = Some(region.to_owned());
    }

    fn with_key(&self, key_id: &str, change: impl FnOnce(&mut AccessKey)) {
        let mut world = self.world();
        let World {
            users, root_keys, ..
        } = &mut *world;
        let key = users
            .iter_mut()
            .flat_map(|u| u.keys.iter_mut())
            .chain(root_keys.iter_mut())
            .find(|k| k.id == key_id);
        change(key.unwrap_or_else(|| panic!("no key {key_id}")));
    }

    /// When `key_id` was created (RFC 3339).
    pub fn set_key_created(&self, key_id: &str, rfc3339: &str) {
        let at = epoch(rfc3339);
        self.with_key(key_id, |key| key.created = at);
    }

    /// Where and when `key_id` was last used, as GetAccessKeyLastUsed answers it (each request
    /// the key signs here sets it too).
    pub fn set_last_used(&self, key_id: &str, rfc3339: &str, service: &str, region: &str) {
        let used = LastUsed {
            at: epoch(rfc3339),
            service: service.to_owned(),
            region: region.to_owned(),
        };
        self.with_key(key_id, |key| key.last_used = Some(used));
    }

    /// Keys' last use (GetAccessKeyLastUsed) changes only through [`StandIn::set_last_used`]
    /// from now on, not with each request a key signs: a test hook (not AWS) for key reports
    /// compared with a fixed date.
    pub fn freeze_last_use(&self) {
        self.world().last_use_frozen = true;
    }

    /// Every session issued from now on expires at `rfc3339`, whatever its duration: a test
    /// hook (not an AWS rule) for credentials files compared byte for byte.
    pub fn fix_expirations(&self, rfc3339: &str) {
        self.world().fixed_expiration = Some(epoch(rfc3339));
    }

    /// Every session issued from now on lasts `secs`, whatever its duration: a test hook (not
    /// an AWS rule) for sessions that expire within a consumer's refresh window.
    pub fn sessions_last(&self, secs: i64) {
        self.world().session_life = Some(secs);
    }

    /// The sign-in tokens the federation endpoint gave, in order.
    pub fn signin_tokens(&self) -> Vec<super::federation::SigninToken> {
        self.world().signin_tokens.clone()
    }

    /// The keys CreateAccessKey gives next, in order (then generated ones).
    pub fn queue_new_keys(&self, keys: &[(&str, &str)]) {
        self.world().next_keys.extend(
            keys.iter()
                .map(|(id, secret)| (id.to_string(), secret.to_string())),
        );
    }

    /// A key CreateAccessKey makes is refused (InvalidClientTokenId) for its first `uses`
    /// uses: IAM's changes take time to reach every endpoint ("Changes that I make are not
    /// always immediately visible", IAM User Guide, Troubleshooting).
    pub fn new_keys_known_after(&self, uses: usize) {
        self.world().propagation_uses = uses;
    }

    /// `key_id` is refused (InvalidClientTokenId) for its next `uses` uses.
    pub fn unknown_for(&self, key_id: &str, uses: usize) {
        self.world().unknown_for(key_id, uses);
    }

    /// A session of `user` as GetSessionToken would issue it (with MFA or not), valid for
    /// `secs` from the stand-in's clock (negative: already expired).
    pub fn issue_session(&self, user: &str, mfa: bool, secs: i64) -> Issued {
        let now = self.now();
        let session =
            self.world()
                .issue_session(Principal::User(user.to_owned()), mfa, true, now, secs);
        Issued {
            key_id: session.key_id,
            secret: session.secret,
            token: session.token,
            expiration: answer::timestamp(session.expires),
        }
    }

    /// The key ids of the sessions issued so far (by calls or by [`StandIn::issue_session`]),
    /// in order.
    pub fn issued_keys(&self) -> Vec<String> {
        self.world()
            .sessions
            .iter()
            .map(|s| s.key_id.clone())
            .collect()
    }

    /// `user`'s keys as (id, active), in IAM's order.
    pub fn keys(&self, user: &str) -> Vec<(String, bool)> {
        self.world()
            .user(user)
            .map(|u| u.keys.iter().map(|k| (k.id.clone(), k.active)).collect())
            .unwrap_or_default()
    }

    /// The secret of `user`'s key `key_id` (a key CreateAccessKey made, say).
    pub fn secret_of(&self, user: &str, key_id: &str) -> Option<String> {
        let world = self.world();
        let key = world.user(user)?.keys.iter().find(|k| k.id == key_id)?;
        Some(key.secret.clone())
    }
}
