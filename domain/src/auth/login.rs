//! Login with two brakes: a per-IP rate limit (in memory, governor) and a per-account limit on
//! recent failures (counted from the audit log, so it holds across restarts and servers).
use std::net::IpAddr;
use std::num::NonZeroU32;

use chrono::{Duration, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::{passwords, users};
use crate::db::Db;
use crate::entities::audit_log;
use crate::error::{DomainError, DomainResult};

/// Failed logins allowed per account inside `ACCOUNT_WINDOW_MINUTES` before it is paused.
pub const ACCOUNT_MAX_FAILURES: u64 = 5;
pub const ACCOUNT_WINDOW_MINUTES: i64 = 15;

pub struct LoginGuard {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginGuard {
    /// `attempts_per_minute` login attempts per client address.
    pub fn new(attempts_per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(attempts_per_minute).unwrap_or(NonZeroU32::MIN);
        LoginGuard {
            per_ip: RateLimiter::keyed(Quota::per_minute(per_minute)),
        }
    }

    fn allow(&self, ip: Option<IpAddr>) -> bool {
        ip.is_none_or(|ip| self.per_ip.check_key(&ip).is_ok())
    }

    /// Forgets addresses whose limit has fully recovered (call periodically).
    pub fn housekeeping(&self) {
        self.per_ip.retain_recent();
    }
}

/// Checks a login name (or phone) and password; returns the user id. Every outcome is audited.
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
    let ip_text = ip.map(|ip| ip.to_string());
    if !guard.allow(ip) {
        audit::record(
            db.conn(),
            AuditEvent::new("login_rate_limited", login.to_lowercase()).ip(ip_text),
        )
        .await?;
        return Err(DomainError::RateLimited);
    }
    let account = users::find_by_login(db, login).await?;
    let subject = account
        .as_ref()
        .map(|u| u.login_name.clone())
        .unwrap_or_else(|| login.to_lowercase());
    if recent_failures(db, &subject).await? >= ACCOUNT_MAX_FAILURES {
        audit::record(
            db.conn(),
            AuditEvent::new("login_rate_limited", subject).ip(ip_text),
        )
        .await?;
        return Err(DomainError::RateLimited);
    }
    let verified = match &account {
        Some(user) => passwords::verify(&user.password_hash, password),
        None => {
            passwords::verify_dummy(password);
            false
        }
    };
    match account {
        Some(user) if verified => {
            audit::record(
                db.conn(),
                AuditEvent::new("login_ok", subject)
                    .actor(Some(user.id))
                    .ip(ip_text),
            )
            .await?;
            Ok(user.id)
        }
        _ => {
            audit::record(
                db.conn(),
                AuditEvent::new("login_failed", subject).ip(ip_text),
            )
            .await?;
            Err(DomainError::BadCredentials)
        }
    }
}

pub async fn logout(db: &Db, user_id: Uuid, ip: Option<IpAddr>) -> DomainResult<()> {
    audit::record(
        db.conn(),
        AuditEvent::new("logout", user_id.to_string())
            .actor(Some(user_id))
            .ip(ip.map(|ip| ip.to_string())),
    )
    .await
}

async fn recent_failures(db: &Db, subject: &str) -> DomainResult<u64> {
    let since = Utc::now() - Duration::minutes(ACCOUNT_WINDOW_MINUTES);
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("login_failed"))
        .filter(audit_log::Column::Subject.eq(subject))
        .filter(audit_log::Column::At.gt(since))
        .count(db.conn())
        .await?)
}
