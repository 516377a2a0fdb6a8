//! Login, and the brakes on guessing. The policy (README, security):
//! - per client address (IPv6 per /64): `LoginGuard::allow`, in memory, checked by the HTTP
//!   edge before anything is read or written;
//! - per account **and** address: `PAIR_MAX_FAILURES` failed passwords within
//!   `WINDOW_MINUTES` pause that account from that address only, so a stranger's guesses do
//!   not lock the owner out on their own device;
//! - per account from everywhere: past `ACCOUNT_MAX_FAILURES` in the window (guesses from many
//!   addresses), only addresses the account has signed in from before (`KNOWN_ADDRESS_DAYS`)
//!   may still try.
//!
//! Password hashing runs on blocking threads, a few at a time (`LoginGuard::verify`). Attempts
//! are counted in `login_failures` (one upsert each, before the password is checked, forgotten
//! when it is right; a name matching no account under a keyed hash of it, so that the answers
//! do not tell which names are accounts); the audit log gets the first failure of a window and
//! the pause, per account and address or, for unknown names, per address — never one row per
//! attempt, and never the typed name of an account that does not exist (it is sometimes a
//! password).
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::{Duration, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::sea_query::Expr;
use sea_orm::ColumnTrait;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::{passwords, users};
use crate::db::{statement, Db};
use crate::entities::{audit_log, user as account};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Sql;

/// Failed passwords per account and address inside the window before that pair is paused.
pub const PAIR_MAX_FAILURES: i64 = 5;
/// Failed passwords per account from all addresses before unknown addresses are refused.
pub const ACCOUNT_MAX_FAILURES: i64 = 50;
pub const WINDOW_MINUTES: i64 = 15;
/// An address the account signed in from within this many days counts as the owner's.
pub const KNOWN_ADDRESS_DAYS: i64 = 90;
/// Password checks running at once (argon2id takes ~19 MiB and tens of ms each).
const HASH_SLOTS: usize = 2;

pub struct LoginGuard {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    hash_slots: Arc<Semaphore>,
    /// Keys the ids that failures of names matching no account are counted under (random per
    /// process: a name typed is never stored, not even as a plain hash).
    unknown_key: [u8; 32],
}

impl LoginGuard {
    /// `attempts_per_minute` login attempts per client address.
    pub fn new(attempts_per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(attempts_per_minute).unwrap_or(NonZeroU32::MIN);
        LoginGuard {
            per_address: RateLimiter::keyed(Quota::per_minute(per_minute)),
            hash_slots: Arc::new(Semaphore::new(HASH_SLOTS)),
            unknown_key: rand::random(),
        }
    }

    /// The id a name matching no account is counted under: one per name, as an account's, so
    /// that the answers to a name do not tell whether it is an account's (a count shared by all
    /// unknown names paused them together while real names still got "wrong password").
    fn unknown_name_id(&self, login: &str) -> Uuid {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(self.unknown_key);
        hasher.update(login.trim().to_lowercase().as_bytes());
        // The digest's first 16 of its 32 bytes.
        Uuid::from_slice(&hasher.finalize()[..16]).unwrap_or_default()
    }

    /// Takes one attempt from the address's allowance; false when it is used up.
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        ip.is_none_or(|ip| self.per_address.check_key(&address_key(ip)).is_ok())
    }

    /// Checks a password off the async runtime, waiting for a free slot (a burst of logins
    /// queues here instead of stalling the pages of everyone else).
    pub(crate) async fn verify(
        &self,
        stored_hash: Option<String>,
        password: &str,
    ) -> DomainResult<bool> {
        let _slot = self
            .hash_slots
            .acquire()
            .await
            .map_err(|_| DomainError::Internal)?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || match stored_hash {
            Some(hash) => passwords::verify(&hash, &password),
            None => {
                passwords::verify_dummy(&password);
                false
            }
        })
        .await
        .map_err(|_| DomainError::Internal)
    }

    /// Forgets addresses whose limit has fully recovered (call periodically).
    pub fn housekeeping(&self) {
        self.per_address.retain_recent();
    }
}

/// The key an address is limited by: IPv4 as is, IPv6 by its /64 (one subscriber's prefix).
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
        },
        v4 => v4,
    }
}

/// Checks a login name (or phone) and password; returns the user id.
pub async fn login(
    db: &Db,
    guard: &LoginGuard,
    login: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> DomainResult<Uuid> {
    let login = login.trim();
    if login.is_empty() {
        return Err(DomainError::invalid("login", "required"));
    }
    if password.is_empty() {
        return Err(DomainError::invalid("password", "required"));
    }
    if login.chars().count() > 64 {
        return Err(DomainError::invalid("login", "too_long"));
    }
    if password.chars().count() > passwords::MAX_LEN {
        return Err(DomainError::invalid("password", "too_long"));
    }
    let account = users::find_by_login(db, login).await?;
    // Unknown names are counted per name and address like accounts, under a keyed hash.
    let account_id = account
        .as_ref()
        .map_or_else(|| guard.unknown_name_id(login), |u| u.id);
    let subject = account
        .as_ref()
        .map_or_else(String::new, |u| u.login_name.clone());
    let address = ip.map_or_else(String::new, |ip| address_key(ip).to_string());
    let ip_text = ip.map(|ip| ip.to_string());
    let now = Utc::now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    // Read only: an attempt refused for the guesses from everywhere is not counted against
    // the address (the owner on a new device would stay paused after the attack).
    if account.is_some()
        && failures(db, account_id, None, since).await? >= ACCOUNT_MAX_FAILURES
        && !known_address(db, account_id, ip_text.as_deref()).await?
    {
        return Err(DomainError::RateLimited);
    }
    let count = take_attempt(db, account_id, &address, now).await?;
    let verified = guard
        .verify(account.as_ref().map(|u| u.password_hash.clone()), password)
        .await?;
    match account {
        Some(user) if verified => {
            forget_failures(db, account_id, &address).await?;
            crate::tenancy::shared::update_many::<account::Entity>()
                .col_expr(account::Column::LastLoginAt, Expr::value(now))
                .filter(account::Column::Id.eq(user.id))
                .exec(db)
                .await?;
            audit::record(
                db,
                AuditEvent::new("login_ok", subject)
                    .actor(Some(user.id))
                    .ip(ip_text),
            )
            .await?;
            Ok(user.id)
        }
        _ => {
            // The audit log hears of unknown names per address, not per name typed (each new
            // name would start its own count at one).
            let count = match account {
                Some(_) => count,
                None => count_failure(db, Uuid::nil(), &address, now, since).await?,
            };
            let action = match count {
                1 => Some("login_failed"),
                PAIR_MAX_FAILURES => Some("login_paused"),
                _ => None,
            };
            if let Some(action) = action {
                let detail = serde_json::json!({ "failures": count });
                audit::record(
                    db,
                    AuditEvent::new(action, subject)
                        .actor(account.map(|u| u.id))
                        .detail(detail)
                        .ip(ip_text),
                )
                .await?;
            }
            Err(DomainError::BadCredentials)
        }
    }
}

pub async fn logout(db: &Db, user_id: Uuid, ip: Option<IpAddr>) -> DomainResult<()> {
    audit::record(
        db,
        AuditEvent::new("logout", user_id.to_string())
            .actor(Some(user_id))
            .ip(ip.map(|ip| ip.to_string())),
    )
    .await
}

/// Of `among`, the accounts that failed `PAIR_MAX_FAILURES` passwords or more inside the window
/// (paused from an address at least: the accounts page shows them as locked).
pub(crate) async fn paused_accounts(
    db: &Db,
    among: &[Uuid],
) -> DomainResult<std::collections::HashSet<Uuid>> {
    let since = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    let rows = db
        .query_all_sql(statement(
            db.backend(),
            "SELECT account_id FROM login_failures WHERE window_start > $1 \
             GROUP BY account_id HAVING SUM(failures) >= $2",
            vec![since.into(), PAIR_MAX_FAILURES.into()],
        ))
        .await?;
    let mut paused = std::collections::HashSet::new();
    for row in rows {
        let id: Uuid = row.try_get("", "account_id")?;
        if among.contains(&id) {
            paused.insert(id);
        }
    }
    Ok(paused)
}

/// Counts an attempt as failed *before* its password is checked, and returns the pair's count
/// with it: checked first and counted after, parallel guesses would all pass the limit before
/// any was counted. A right password forgets the pair's count (`forget_failures`).
pub(crate) async fn take_attempt(
    db: &Db,
    account: Uuid,
    address: &str,
    now: chrono::DateTime<Utc>,
) -> DomainResult<i64> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    // A paused pair is refused by a read, without writing on every further guess.
    if failures(db, account, Some(address), since).await? >= PAIR_MAX_FAILURES {
        return Err(DomainError::RateLimited);
    }
    let count = count_failure(db, account, address, now, since).await?;
    if count > PAIR_MAX_FAILURES {
        return Err(DomainError::RateLimited);
    }
    Ok(count)
}

/// Failures inside the window for the account, from one address or from all.
pub(crate) async fn failures(
    db: &Db,
    account: Uuid,
    address: Option<&str>,
    since: chrono::DateTime<Utc>,
) -> DomainResult<i64> {
    let backend = db.backend();
    let (sql, values) = match address {
        Some(address) => (
            "SELECT COALESCE(SUM(failures), 0) AS n FROM login_failures \
             WHERE account_id = $1 AND address = $2 AND window_start > $3",
            vec![account.into(), address.into(), since.into()],
        ),
        None => (
            "SELECT COALESCE(SUM(failures), 0) AS n FROM login_failures \
             WHERE account_id = $1 AND window_start > $2",
            vec![account.into(), since.into()],
        ),
    };
    let row = db.query_one_sql(statement(backend, sql, values)).await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

/// Adds one failure for the pair (a new window when the last one has passed); returns the
/// count in the current window.
pub(crate) async fn count_failure(
    db: &Db,
    account: Uuid,
    address: &str,
    now: chrono::DateTime<Utc>,
    since: chrono::DateTime<Utc>,
) -> DomainResult<i64> {
    let backend = db.backend();
    let row = db
        .query_one_sql(statement(
            backend,
            "INSERT INTO login_failures (account_id, address, window_start, failures) \
             VALUES ($1, $2, $3, 1) \
             ON CONFLICT (account_id, address) DO UPDATE SET \
               failures = CASE WHEN login_failures.window_start > $4 \
                 THEN login_failures.failures + 1 ELSE 1 END, \
               window_start = CASE WHEN login_failures.window_start > $5 \
                 THEN login_failures.window_start ELSE excluded.window_start END \
             RETURNING failures",
            vec![
                account.into(),
                address.into(),
                now.into(),
                since.into(),
                since.into(),
            ],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i32>("", "failures"))
        .transpose()?
        .map_or(1, i64::from))
}

pub(crate) async fn forget_failures(db: &Db, account: Uuid, address: &str) -> DomainResult<()> {
    let backend = db.backend();
    db.execute_sql(statement(
        backend,
        "DELETE FROM login_failures WHERE account_id = $1 AND address = $2",
        vec![account.into(), address.into()],
    ))
    .await?;
    Ok(())
}

/// Whether the account signed in from this address recently.
async fn known_address(db: &Db, account: Uuid, ip: Option<&str>) -> DomainResult<bool> {
    let Some(ip) = ip else {
        return Ok(false);
    };
    let since = Utc::now() - Duration::days(KNOWN_ADDRESS_DAYS);
    Ok(crate::tenancy::shared::find::<audit_log::Entity>()
        .filter(audit_log::Column::ActorUserId.eq(account))
        .filter(audit_log::Column::Action.eq("login_ok"))
        .filter(audit_log::Column::Ip.eq(ip))
        .filter(audit_log::Column::At.gt(since))
        .count(db)
        .await?
        > 0)
}

/// Drops failure counts whose window has passed (call periodically).
pub async fn sweep_failures(db: &Db) -> DomainResult<u64> {
    let backend = db.backend();
    let since = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    let done = db
        .execute_sql(statement(
            backend,
            "DELETE FROM login_failures WHERE window_start <= $1",
            vec![since.into()],
        ))
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::{address_key, LoginGuard};
    use std::net::IpAddr;

    /// A hash that takes a good part of a second to check, so the order below is not a race.
    fn slow_hash(password: &str) -> String {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let params = argon2::Params::new(19 * 1024, 40, 1, None).expect("params");
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        argon
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .expect("hash")
            .to_string()
    }

    /// On a single-threaded runtime (the test's), a burst of password checks in flight must
    /// leave the runtime free: another task runs to its end before any check finishes. Were
    /// argon2 run on the runtime, the first check would hold it until done.
    #[tokio::test]
    async fn a_burst_of_password_checks_leaves_the_runtime_free() {
        let guard = std::sync::Arc::new(LoginGuard::new(60));
        let hash = slow_hash("correct horse");
        let checks: Vec<_> = (0..4)
            .map(|_| {
                let (guard, hash) = (guard.clone(), hash.clone());
                tokio::spawn(async move { guard.verify(Some(hash), "correct horse").await })
            })
            .collect();
        // Let every check start (take a slot or queue for one).
        tokio::task::yield_now().await;
        let other_work = tokio::spawn(async {
            for _ in 0..100 {
                tokio::task::yield_now().await;
            }
        });
        other_work.await.expect("other work");
        assert!(
            checks.iter().all(|c| !c.is_finished()),
            "a password check finished before the other work: it held the runtime"
        );
        for check in checks {
            assert_eq!(check.await.expect("join"), Ok(true));
        }
    }

    #[test]
    fn ipv6_is_limited_per_64_and_mapped_v4_as_v4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().expect("ip");
        assert_eq!(address_key(mapped).to_string(), "10.1.2.3");
    }
}
