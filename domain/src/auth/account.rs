//! A person's own account: choosing their password (at first login, when someone else chose a
//! one-time password, and whenever they like), and seeing and ending their sessions.
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::login::{self, LoginGuard};
use super::passwords;
use super::strength::{self, Known};
use crate::audit::{self, AuditEvent};
use crate::db::Db;
use crate::entities::{session, user};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Channel;
use crate::sessions::keys;
use crate::tenancy::{shared, Runner};

/// The fields of the change-password form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

/// Replaces the signed-in account's password: the current one is required (checked like a
/// login: a few at a time off the runtime, wrong ones counted and paused as failed logins), the new one must pass `strength::check` and be typed
/// twice. The account's other sessions end; `current_session` (this device) stays signed in.
pub async fn change_password(
    db: &Db,
    guard: &LoginGuard,
    user_id: Uuid,
    current_session: Option<&str>,
    ip: Option<IpAddr>,
    change: &PasswordChange,
) -> DomainResult<()> {
    for (field, value) in [
        ("current_password", &change.current_password),
        ("new_password", &change.new_password),
        ("confirm_password", &change.confirm_password),
    ] {
        if value.is_empty() {
            return Err(DomainError::invalid(field, "required"));
        }
        if value.chars().count() > passwords::MAX_LEN {
            return Err(DomainError::invalid(field, "too_long"));
        }
    }
    let account = active_account(db, user_id).await?;
    // Wrong current passwords count as failed logins: the same pause, per account and address.
    let address = ip.map_or_else(String::new, |ip| login::address_key(ip).to_string());
    let now = Utc::now();
    login::take_attempt(db, user_id, &address, now).await?;
    if !guard
        .verify(
            Some(account.password_hash.clone()),
            &change.current_password,
        )
        .await?
    {
        return Err(DomainError::invalid("current_password", "wrong_password"));
    }
    login::forget_failures(db, user_id, &address).await?;
    if change.new_password != change.confirm_password {
        return Err(DomainError::invalid("confirm_password", "passwords_differ"));
    }
    if change.new_password == change.current_password {
        return Err(DomainError::invalid("new_password", "same_as_current"));
    }
    let hash = checked_hash(&account, &change.new_password).await?;
    let _forget = (
        super::authz::Principal::forget_after(db, user_id),
        crate::sessions::forget_all_after(db),
    );
    let tx = db.begin_shared().await?;
    shared::update_many::<user::Entity>()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .col_expr(user::Column::PasswordChangedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(&tx)
        .await?;
    end_sessions(&tx, user_id, current_session).await?;
    audit::record(
        &tx,
        AuditEvent::new("password_changed", account.login_name).actor(Some(user_id)),
    )
    .await?;
    tx.commit().await
}

/// The strength check and the hash, on a blocking thread (both are CPU work).
async fn checked_hash(account: &user::Model, password: &str) -> DomainResult<String> {
    let (login, name, phone, password) = (
        account.login_name.clone(),
        account.display_name.clone(),
        account.phone.clone(),
        password.to_owned(),
    );
    tokio::task::spawn_blocking(move || {
        let known = Known {
            login_name: &login,
            display_name: &name,
            phone: phone.as_deref(),
        };
        strength::check("new_password", &password, &known)?;
        passwords::hash(&password)
    })
    .await
    .map_err(|_| DomainError::Internal)?
}

async fn active_account(db: &Db, user_id: Uuid) -> DomainResult<user::Model> {
    shared::find_by_id::<user::Entity>(user_id)
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(DomainError::Unauthenticated)
}

/// Ends the account's sessions, all of them or all but `keep`.
pub(crate) async fn end_sessions(
    on: &impl Runner,
    user_id: Uuid,
    keep: Option<&str>,
) -> DomainResult<u64> {
    let mut delete =
        shared::delete_many::<session::Entity>().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::Id.ne(keep));
    }
    Ok(delete.exec(on).await?.rows_affected)
}

/// One of a person's sessions as their account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The session's public name (its id is a secret and never leaves the server).
    pub handle: Uuid,
    pub signed_in_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    /// The browser, as it named itself at sign-in (shortened).
    pub agent: Option<String>,
    pub ip: Option<String>,
    /// The session this request came with.
    pub current: bool,
}

/// The account's live sessions, the current one first, then the most recently seen.
pub async fn my_sessions(
    db: &Db,
    user_id: Uuid,
    current_session: Option<&str>,
) -> DomainResult<Vec<SessionInfo>> {
    let rows = shared::find::<session::Entity>()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiryDate.gt(Utc::now()))
        .filter(session::Column::Handle.is_not_null())
        .all(db)
        .await?;
    let mut sessions: Vec<SessionInfo> = rows
        .into_iter()
        .filter_map(|row| {
            let data: serde_json::Value = serde_json::from_str(&row.data).ok()?;
            let time = |key: &str| {
                data.get(key)
                    .and_then(serde_json::Value::as_i64)
                    .and_then(|s| DateTime::from_timestamp(s, 0))
            };
            let text = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            Some(SessionInfo {
                handle: row.handle?,
                signed_in_at: time(keys::SIGNED_IN_AT),
                last_seen_at: time(keys::TOUCHED_AT).or_else(|| time(keys::SIGNED_IN_AT)),
                agent: text(keys::AGENT),
                ip: text(keys::ADDRESS),
                current: Some(row.id.as_str()) == current_session,
            })
        })
        .collect();
    sessions.sort_by(|a, b| {
        b.current
            .cmp(&a.current)
            .then(b.last_seen_at.cmp(&a.last_seen_at))
    });
    Ok(sessions)
}

/// Ends one of the account's own sessions by its handle (another account's handle ends
/// nothing: `NotFound`). Ending the current one is what logging out is for, so it is refused.
pub async fn end_session(
    db: &Db,
    user_id: Uuid,
    current_session: Option<&str>,
    handle: Uuid,
) -> DomainResult<()> {
    let mut delete = shared::delete_many::<session::Entity>()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Handle.eq(handle));
    if let Some(current) = current_session {
        delete = delete.filter(session::Column::Id.ne(current));
    }
    let forget = crate::sessions::forget_all_after(db);
    if delete.exec(db).await?.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    drop(forget);
    audit::record(
        db,
        AuditEvent::new("session_ended", handle.to_string()).actor(Some(user_id)),
    )
    .await
}

/// Ends every session of the account but the current one.
pub async fn end_other_sessions(
    db: &Db,
    user_id: Uuid,
    current_session: Option<&str>,
) -> DomainResult<u64> {
    let forget = crate::sessions::forget_all_after(db);
    let ended = end_sessions(db, user_id, current_session).await?;
    drop(forget);
    audit::record(
        db,
        AuditEvent::new("sessions_ended", user_id.to_string())
            .actor(Some(user_id))
            .detail(serde_json::json!({ "sessions": ended })),
    )
    .await?;
    Ok(ended)
}

/// Longest e-mail address kept (the SMTP limit).
const EMAIL_MAX: usize = 254;

/// The address the account's messages are e-mailed to, if it gave one.
pub async fn my_email(db: &Db, user_id: Uuid) -> DomainResult<Option<String>> {
    Ok(shared::find_by_id::<user::Entity>(user_id)
        .one(db)
        .await?
        .and_then(|u| u.email))
}

/// Sets (or, empty, removes) the address the account's messages are e-mailed to: one `@`
/// between a name and a domain with a dot, nothing blank or odd in it. Refused where this
/// deployment sends no e-mail (removing one still works). Sets it as the person's own: the
/// account page sets one only once its code came back (`contact::confirm`).
pub async fn set_email(db: &Db, user_id: Uuid, typed: &str) -> DomainResult<()> {
    let typed = typed.trim();
    let email = if typed.is_empty() {
        None
    } else {
        if !db.outbound().email {
            return Err(DomainError::invalid("email", "channel_off"));
        }
        Some(checked_email(typed)?)
    };
    save_contact(db, user_id, Channel::Email, email).await
}

/// The mobile number a few kinds of the account's messages are texted to, if it gave one.
pub async fn my_sms_phone(db: &Db, user_id: Uuid) -> DomainResult<Option<String>> {
    Ok(shared::find_by_id::<user::Entity>(user_id)
        .one(db)
        .await?
        .and_then(|u| u.sms_phone))
}

/// Sets (or, empty, removes) the mainland mobile number the account's most pressing messages
/// are texted to (`MessageKind::by_text`): the person's own consent, given and taken back
/// here. Refused where this deployment sends no text (removing one still works). Sets it as
/// the person's own: the account page sets one only once its code came back
/// (`contact::confirm`).
pub async fn set_sms_phone(db: &Db, user_id: Uuid, typed: &str) -> DomainResult<()> {
    let typed = typed.trim();
    let phone = if typed.is_empty() {
        None
    } else {
        if !db.outbound().sms {
            return Err(DomainError::invalid("sms_phone", "channel_off"));
        }
        let checked = crate::validate::check_phone(typed)
            .map_err(|_| DomainError::invalid("sms_phone", "bad_phone"))?;
        Some(checked)
    };
    save_contact(db, user_id, Channel::Sms, phone).await
}

/// Writes the account's checked address for `channel` (none: removed), audited.
pub(crate) async fn save_contact(
    on: &impl Runner,
    user_id: Uuid,
    channel: Channel,
    address: Option<String>,
) -> DomainResult<()> {
    let (column, action) = match channel {
        Channel::Email => (user::Column::Email, "email_set"),
        Channel::Sms => (user::Column::SmsPhone, "sms_phone_set"),
        Channel::Robot => return Err(DomainError::Forbidden),
    };
    let given = address.is_some();
    shared::update_many::<user::Entity>()
        .col_expr(column, Expr::value(address))
        .filter(user::Column::Id.eq(user_id))
        .exec(on)
        .await?;
    audit::record(
        on,
        AuditEvent::new(action, user_id.to_string())
            .actor(Some(user_id))
            .detail(serde_json::json!({ "given": given })),
    )
    .await
}

/// An address as mail servers take it (RFC 5321's dot-atom): a name of letters, digits and
/// `.!#$%&'*+/=?^_`{|}~-` without a leading, trailing or doubled dot; a domain of two or more
/// labels of letters, digits and inner hyphens. Checked here so a bad one is refused when typed,
/// not retried for a day by the mailer.
pub(crate) fn checked_email(typed: &str) -> DomainResult<String> {
    if typed.chars().count() > EMAIL_MAX {
        return Err(DomainError::invalid("email", "too_long"));
    }
    let dotted = |part: &str, ok: &dyn Fn(&str) -> bool| {
        !part.is_empty() && part.split('.').all(|piece| !piece.is_empty() && ok(piece))
    };
    let name_ok = |piece: &str| {
        piece
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
    };
    let label_ok = |label: &str| {
        label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let well_formed = match typed.split_once('@') {
        Some((name, domain)) => {
            dotted(name, &name_ok) && dotted(domain, &label_ok) && domain.contains('.')
        }
        None => false,
    };
    if !well_formed {
        return Err(DomainError::invalid("email", "bad_email"));
    }
    Ok(typed.to_owned())
}

#[cfg(test)]
mod email_tests {
    use super::*;

    #[test]
    fn an_address_needs_a_name_a_domain_and_nothing_odd() {
        assert_eq!(
            checked_email("zhang.lihua@changjiang.cn"),
            Ok("zhang.lihua@changjiang.cn".to_owned())
        );
        for bad in [
            "zhang",
            "@changjiang.cn",
            "zhang@cn",
            "zhang@@changjiang.cn",
            "zhang li@changjiang.cn",
            "zhang@changjiang..cn",
            ".zhang@changjiang.cn",
            "zhang.@changjiang.cn",
            "zhang..li@changjiang.cn",
            "zhang@changjiang.cn/!#",
            "zhang@-changjiang.cn",
            "zhang@changjiang.cn.",
            "\"x\"@changjiang.cn",
            "zhang@changjiang.cn\r\nBcc: all@x.cn",
        ] {
            assert_eq!(
                checked_email(bad),
                Err(DomainError::invalid("email", "bad_email")),
                "{bad}"
            );
        }
        assert_eq!(
            checked_email(&format!("{}@x.cn", "a".repeat(250))),
            Err(DomainError::invalid("email", "too_long"))
        );
    }
}
