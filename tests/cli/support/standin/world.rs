//! What the stand-in's AWS account holds: IAM users with their access keys and MFA devices,
//! the root user's keys, roles, and the sessions STS issued; and who a signing key is.
//!
//! Invariant: every credential the stand-in accepts is in here: a long-term key of a user (or
//! of root) that is active, or a session it issued, which names the principal it speaks for,
//! whether MFA was presented to get it, and when it expires.

use super::answer::AwsError;
use super::mfa::{Codes, Device};
use std::collections::{HashMap, VecDeque};

/// The account of the default world (the harness's `SERIAL` names it).
pub const ACCOUNT: &str = "123456789012";

/// Where and when a key was last used (GetAccessKeyLastUsed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastUsed {
    pub at: i64,
    pub service: String,
    pub region: String,
}

/// A long-term access key.
#[derive(Clone, Debug)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    pub active: bool,
    /// Epoch seconds.
    pub created: i64,
    pub last_used: Option<LastUsed>,
}

/// An IAM user.
#[derive(Debug)]
pub struct User {
    pub name: String,
    /// `AIDA...`, what GetCallerIdentity answers as `UserId`.
    pub id: String,
    pub keys: Vec<AccessKey>,
    pub devices: Vec<Device>,
    /// The user's policy denies GetSessionToken without MFA (a per-user flag standing for such
    /// a policy; "Configuring MFA-protected API access",
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html>).
    pub mfa_required: bool,
}

/// A role.
#[derive(Clone, Debug)]
pub struct Role {
    pub name: String,
    /// `AROA...`.
    pub id: String,
    /// MaxSessionDuration, 3600 to 43200 s (IAM API reference, CreateRole: "This setting can
    /// have a value from 1 hour to 12 hours"; default one hour).
    pub max_session_secs: i64,
    /// The trust policy allows sts:AssumeRole only with `"Bool": {"aws:MultiFactorAuthPresent":
    /// "true"}` ("Configuring MFA-protected API access", "Scenario: MFA protection for
    /// cross-account delegation").
    pub mfa_required: bool,
    /// The ExternalId the trust policy requires (`sts:ExternalId`), if any.
    pub external_id: Option<String>,
}

/// Who a credential speaks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    User(String),
    Root,
    AssumedRole { role: String, session: String },
}

/// A session STS issued.
#[derive(Clone, Debug)]
pub struct Session {
    pub key_id: String,
    pub secret: String,
    pub token: String,
    pub expires: i64,
    pub principal: Principal,
    /// MFA was presented to get it (or to get the session that got it): the session's
    /// `aws:MultiFactorAuthPresent`.
    pub mfa: bool,
    /// From GetSessionToken (not AssumeRole).
    pub from_get_session_token: bool,
}

/// The identity a request was signed as.
#[derive(Clone, Debug)]
pub struct Caller {
    pub principal: Principal,
    /// Signed with temporary credentials (a session), not a long-term key.
    pub temporary: bool,
    pub mfa: bool,
    pub from_get_session_token: bool,
}

/// What a key id resolves to, for the signature check.
pub struct Credential {
    pub secret: String,
    /// The session token that must come with the key; `None` for a long-term key.
    pub token: Option<String>,
    pub expires: Option<i64>,
    pub caller: Caller,
}

/// The account.
#[derive(Debug)]
pub struct World {
    pub account: String,
    pub users: Vec<User>,
    pub root_keys: Vec<AccessKey>,
    pub roles: Vec<Role>,
    pub sessions: Vec<Session>,
    pub codes: Codes,
    /// The only region STS accepts in a credential scope, if the test pins one.
    pub sts_region: Option<String>,
    /// Keys' last use changes only as the test sets it (a test hook, not AWS).
    pub last_use_frozen: bool,
    /// Keys CreateAccessKey gives next, before generated ones.
    pub next_keys: VecDeque<(String, String)>,
    /// A key created by CreateAccessKey is not known to STS/IAM for this many uses.
    pub propagation_uses: usize,
    /// Every session issued expires then (a test hook for byte-exact files, not AWS).
    pub fixed_expiration: Option<i64>,
    /// Every session issued lasts this long, whatever was asked (a test hook for a consumer's
    /// refresh within minutes, not AWS).
    pub session_life: Option<i64>,
    /// The sign-in tokens the federation endpoint gave.
    pub signin_tokens: Vec<super::federation::SigninToken>,
    not_yet_known: HashMap<String, usize>,
    issued: u64,
}

impl World {
    pub fn new(account: &str) -> World {
        World {
            account: account.to_owned(),
            users: Vec::new(),
            root_keys: Vec::new(),
            roles: Vec::new(),
            sessions: Vec::new(),
            codes: Codes::AnySixDigits,
            sts_region: None,
            last_use_frozen: false,
            next_keys: VecDeque::new(),
            propagation_uses: 0,
            fixed_expiration: None,
            session_life: None,
            signin_tokens: Vec::new(),
            not_yet_known: HashMap::new(),
            issued: 0,
        }
    }

    /// A number never given before, for ids, keys and secrets.
    pub fn next_serial(&mut self) -> u64 {
        self.issued += 1;
        self.issued
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    pub fn user_mut(&mut self, name: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.name == name)
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        self.roles.iter().find(|r| self.role_arn(r) == arn)
    }

    pub fn user_arn(&self, name: &str) -> String {
        format!("arn:aws:iam::{}:user/{name}", self.account)
    }

    pub fn role_arn(&self, role: &Role) -> String {
        format!("arn:aws:iam::{}:role/{}", self.account, role.name)
    }

    /// The ARN GetCallerIdentity answers, and access-denied messages name.
    pub fn principal_arn(&self, principal: &Principal) -> String {
        match principal {
            Principal::User(name) => self.user_arn(name),
            Principal::Root => format!("arn:aws:iam::{}:root", self.account),
            Principal::AssumedRole { role, session } => {
                format!(
                    "arn:aws:sts::{}:assumed-role/{role}/{session}",
                    self.account
                )
            }
        }
    }

    /// GetCallerIdentity's `UserId`.
    pub fn principal_id(&self, principal: &Principal) -> String {
        match principal {
            Principal::User(name) => self.user(name).map(|u| u.id.clone()).unwrap_or_default(),
            Principal::Root => self.account.clone(),
            Principal::AssumedRole { role, session } => {
                let id = self
                    .roles
                    .iter()
                    .find(|r| &r.name == role)
                    .map(|r| r.id.clone())
                    .unwrap_or_default();
                format!("{id}:{session}")
            }
        }
    }

    /// Makes a key created now unknown for the next `propagation_uses` uses.
    pub fn note_new_key(&mut self, key_id: &str) {
        if self.propagation_uses > 0 {
            self.not_yet_known
                .insert(key_id.to_owned(), self.propagation_uses);
        }
    }

    /// Makes `key_id` unknown for its next `uses` uses.
    pub fn unknown_for(&mut self, key_id: &str, uses: usize) {
        self.not_yet_known.insert(key_id.to_owned(), uses);
    }

    /// The credential `key_id` names, as STS and IAM see it now: an active long-term key of a
    /// user or of root, or a session STS issued (expired ones included: the caller refuses
    /// those with ExpiredToken after checking the signature). `None`: InvalidClientTokenId.
    pub fn credential(&mut self, key_id: &str) -> Option<Credential> {
        if let Some(left) = self.not_yet_known.get_mut(key_id).filter(|n| **n > 0) {
            *left -= 1;
            return None;
        }
        for user in &self.users {
            if let Some(key) = user.keys.iter().find(|k| k.id == key_id && k.active) {
                return Some(long_term(key, Principal::User(user.name.clone())));
            }
        }
        if let Some(key) = self.root_keys.iter().find(|k| k.id == key_id && k.active) {
            return Some(long_term(key, Principal::Root));
        }
        let session = self.sessions.iter().find(|s| s.key_id == key_id)?;
        Some(Credential {
            secret: session.secret.clone(),
            token: Some(session.token.clone()),
            expires: Some(session.expires),
            caller: Caller {
                principal: session.principal.clone(),
                temporary: true,
                mfa: session.mfa,
                from_get_session_token: session.from_get_session_token,
            },
        })
    }

    /// Records that `key_id` signed an accepted request (for GetAccessKeyLastUsed).
    pub fn note_use(&mut self, key_id: &str, at: i64, service: &str, region: &str) {
        if self.last_use_frozen {
            return;
        }
        let keys = self
            .users
            .iter_mut()
            .flat_map(|u| u.keys.iter_mut())
            .chain(self.root_keys.iter_mut());
        for key in keys.filter(|k| k.id == key_id) {
            key.last_used = Some(LastUsed {
                at,
                service: service.to_owned(),
                region: region.to_owned(),
            });
        }
    }

    /// A new session for `principal`, valid for `secs` from `now`, its keys
    /// [`session_keys`] of the next number.
    pub fn issue_session(
        &mut self,
        principal: Principal,
        mfa: bool,
        from_get_session_token: bool,
        now: i64,
        secs: i64,
    ) -> Session {
        let n = self.next_serial();
        let (key_id, secret, token) = session_keys(n);
        let session = Session {
            key_id,
            secret,
            token,
            expires: self
                .fixed_expiration
                .unwrap_or(now + self.session_life.unwrap_or(secs)),
            principal,
            mfa,
            from_get_session_token,
        };
        self.sessions.push(session.clone());
        session
    }

    /// The next key pair CreateAccessKey gives.
    pub fn new_key_pair(&mut self) -> (String, String) {
        if let Some(pair) = self.next_keys.pop_front() {
            return pair;
        }
        let n = self.next_serial();
        (
            format!("AKIASTANDINNEW{n:06}"),
            format!("standinLongTermSecret/{n:018}"),
        )
    }
}

fn long_term(key: &AccessKey, principal: Principal) -> Credential {
    Credential {
        secret: key.secret.clone(),
        token: None,
        expires: None,
        caller: Caller {
            principal,
            temporary: false,
            mfa: false,
            from_get_session_token: false,
        },
    }
}

/// Collects the violations of the documented constraints of an action's parameters, and
/// answers them as AWS does: `N validation error(s) detected: Value 'V' at 'field' failed to
/// satisfy constraint: Member must ...; ...` (ValidationError, HTTP 400; e.g. aws/aws-cdk's
/// and configure-aws-credentials' reports of `roleSessionName`, goldstack#425 of
/// `durationSeconds`).
#[derive(Default)]
pub struct Violations(Vec<String>);

impl Violations {
    fn add(&mut self, value: &str, field: &str, constraint: &str) {
        self.0.push(format!(
            "Value '{value}' at '{field}' failed to satisfy constraint: Member must {constraint}"
        ));
    }

    /// "Length Constraints: Minimum length of MIN. Maximum length of MAX."
    pub fn length(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let length = value.chars().count();
        if length < min {
            self.add(
                value,
                field,
                &format!("have length greater than or equal to {min}"),
            );
        } else if length > max {
            self.add(
                value,
                field,
                &format!("have length less than or equal to {max}"),
            );
        }
    }

    /// "Pattern: PATTERN", where `allowed` says which characters the pattern's class admits.
    pub fn pattern(&mut self, field: &str, value: &str, pattern: &str, allowed: fn(char) -> bool) {
        if !value.chars().all(allowed) {
            self.add(
                value,
                field,
                &format!("satisfy regular expression pattern: {pattern}"),
            );
        }
    }

    /// "Valid Range: Minimum value of MIN. Maximum value of MAX."
    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if value < min {
            self.add(
                &value.to_string(),
                field,
                &format!("have value greater than or equal to {min}"),
            );
        } else if value > max {
            self.add(
                &value.to_string(),
                field,
                &format!("have value less than or equal to {max}"),
            );
        }
    }

    /// A required parameter that is missing: `Value null at 'field' ... must not be null`.
    pub fn required(&mut self, field: &str, value: Option<&String>) {
        if value.is_none() {
            self.0.push(format!(
                "Value null at '{field}' failed to satisfy constraint: Member must not be null"
            ));
        }
    }

    /// A parameter that is not an integer.
    pub fn integer(&mut self, field: &str, value: Option<&String>) -> Option<i64> {
        let value = value?;
        match value.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                self.add(value, field, "be an integer");
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), AwsError> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(AwsError::validation(format!(
                "1 validation error detected: {}",
                self.0[0]
            ))),
            n => Err(AwsError::validation(format!(
                "{n} validation errors detected: {}",
                self.0.join("; ")
            ))),
        }
    }
}

/// `\w` of AWS's patterns: ASCII letters, digits, `_`.
pub fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The key id, secret and token of the session numbered `n` (the `n`th number the account gave:
/// sessions, and the users and roles a test added, share the count).
pub fn session_keys(n: u64) -> (String, String, String) {
    (
        format!("ASIASTANDIN{n:09}"),
        format!("standinSessionSecret/{n:019}"),
        format!("IQoJb3JpZ2luX2VjEStandInSessionToken/{n:012}+EXAMPLE/TOKEN=="),
    )
}
