//! A new e-mail address or mobile number for messages beyond the app counts only once its
//! owner shows it reaches them: the person types it, a six-digit code is sent to it (`ask`),
//! and the code typed back within `CODE_VALID` (`confirm`; `TRIES_MAX` wrong codes end it)
//! makes it theirs. So nobody has the service mail an address or text a number not theirs.
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, Set};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::account;
use crate::audit::{self, AuditEvent};
use crate::db::Db;
use crate::entities::contact_check;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Channel;
use crate::tenancy::{shared, Runner};

/// How long a code may be typed back.
pub const CODE_VALID: Duration = Duration::minutes(15);
/// A new code goes out at most this often per account and channel (each costs, each is mail).
pub const RESEND_AFTER: Duration = Duration::seconds(60);
/// And at most this many in a day per account and channel: with `TRIES_MAX` each, a day's
/// guesses at someone else's code are 25 in a million, and their phone gets five texts at most.
pub const SENDS_PER_DAY: i32 = 5;
/// Wrong codes before the check ends (one in 200,000 to guess).
pub const TRIES_MAX: i32 = 5;
const DAY: Duration = Duration::days(1);

/// A code to send, and where to.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeToSend {
    pub channel: Channel,
    pub address: String,
    pub code: String,
}

/// Never the code: a log line that prints one would hand it to whoever reads the log.
impl std::fmt::Debug for CodeToSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeToSend")
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// An address or number waiting for its code to be typed back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub channel: Channel,
    pub address: String,
    pub expires_at: DateTime<Utc>,
}

/// The form field each channel's address is typed in (its errors name it).
pub fn field(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Sms => "sms_phone",
        Channel::Robot => "robot",
    }
}

/// Checks `typed` as an address of `channel` this deployment sends on, and keeps a new code
/// for it (replacing one asked before), unless one went out within `RESEND_AFTER` or
/// `SENDS_PER_DAY` did today: the caller sends it, or `withdraw`s it if it cannot.
pub async fn ask(
    db: &Db,
    user_id: Uuid,
    channel: Channel,
    typed: &str,
    now: DateTime<Utc>,
) -> DomainResult<CodeToSend> {
    let off = || DomainError::invalid(field(channel), "channel_off");
    let address = match channel {
        Channel::Email if db.outbound().email => account::checked_email(typed.trim())?,
        Channel::Sms if db.outbound().sms => crate::validate::check_phone(typed)
            .map_err(|_| DomainError::invalid("sms_phone", "bad_phone"))?,
        _ => return Err(off()),
    };
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
    let row = contact_check::ActiveModel {
        user_id: Set(user_id),
        channel: Set(channel),
        address: Set(address.clone()),
        code: Set(code.clone()),
        sent_at: Set(now),
        expires_at: Set(now + CODE_VALID),
        tries: Set(0),
        sends: Set(1),
        counted_from: Set(now),
    };
    // One statement decides and writes, so asks at once cannot all pass the limits.
    let kept = |column| Expr::col((contact_check::Entity, column));
    let new_day = || kept(contact_check::Column::CountedFrom).lte(now - DAY);
    let again = OnConflict::columns([
        contact_check::Column::UserId,
        contact_check::Column::Channel,
    ])
    .update_columns([
        contact_check::Column::Address,
        contact_check::Column::Code,
        contact_check::Column::SentAt,
        contact_check::Column::ExpiresAt,
        contact_check::Column::Tries,
    ])
    .value(
        contact_check::Column::Sends,
        Expr::case(new_day(), 1).finally(kept(contact_check::Column::Sends).add(1)),
    )
    .value(
        contact_check::Column::CountedFrom,
        Expr::case(new_day(), now).finally(kept(contact_check::Column::CountedFrom)),
    )
    .action_and_where(
        kept(contact_check::Column::SentAt)
            .lte(now - RESEND_AFTER)
            .and(
                kept(contact_check::Column::Sends)
                    .lt(SENDS_PER_DAY)
                    .or(new_day()),
            ),
    )
    .to_owned();
    if shared::upsert(db, row, again).await? == 0 {
        let recent = find(db, user_id, channel)
            .await?
            .is_some_and(|asked| asked.sent_at > now - RESEND_AFTER);
        let reason = if recent { "too_soon" } else { "too_many_today" };
        return Err(DomainError::invalid("code", reason));
    }
    audit::record(
        db,
        AuditEvent::new("contact_code_sent", user_id.to_string())
            .actor(Some(user_id))
            .detail(serde_json::json!({ "channel": channel.as_str() })),
    )
    .await?;
    Ok(CodeToSend {
        channel,
        address,
        code,
    })
}

/// Ends the code asked for on `channel` (it could not be sent, or the address was emptied);
/// it still counts against the limits, so a failing channel is not asked again and again.
pub async fn withdraw(
    db: &Db,
    user_id: Uuid,
    channel: Channel,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    end(db, user_id, channel, None, now).await?;
    Ok(())
}

/// The code typed back: if it is the one sent, in time, the address becomes the account's for
/// `channel` (returned). Every try counts before it is compared, so tries at once do not get
/// past `TRIES_MAX`; the code is used up and the address saved in one transaction.
pub async fn confirm(
    db: &Db,
    user_id: Uuid,
    channel: Channel,
    typed: &str,
    now: DateTime<Utc>,
) -> DomainResult<String> {
    let none = || DomainError::invalid("code", "none_pending");
    let asked = find(db, user_id, channel)
        .await?
        .filter(|asked| !asked.code.is_empty())
        .ok_or_else(none)?;
    if asked.expires_at <= now {
        return Err(DomainError::invalid("code", "expired"));
    }
    let counted = shared::update_many::<contact_check::Entity>()
        .col_expr(
            contact_check::Column::Tries,
            Expr::col(contact_check::Column::Tries).add(1),
        )
        .filter(contact_check::Column::UserId.eq(user_id))
        .filter(contact_check::Column::Channel.eq(channel))
        .filter(contact_check::Column::Code.eq(asked.code.clone()))
        .filter(contact_check::Column::Tries.lt(TRIES_MAX))
        .exec(db)
        .await?;
    if counted.rows_affected == 0 {
        return Err(DomainError::invalid("code", "too_many_tries"));
    }
    if !bool::from(typed.trim().as_bytes().ct_eq(asked.code.as_bytes())) {
        return Err(DomainError::invalid("code", "wrong_code"));
    }
    let tx = db.begin_shared().await?;
    // Used once: a second tab typing it finds none.
    if end(&tx, user_id, channel, Some(&asked.code), now).await? == 0 {
        return Err(none());
    }
    account::save_contact(&tx, user_id, channel, Some(asked.address.clone())).await?;
    tx.commit().await?;
    Ok(asked.address)
}

/// Ends the account's code on `channel` (only if it is still `code`, when given); whether it did.
async fn end(
    on: &impl Runner,
    user_id: Uuid,
    channel: Channel,
    code: Option<&str>,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let mut ending = shared::update_many::<contact_check::Entity>()
        .col_expr(contact_check::Column::Code, Expr::value(""))
        .col_expr(contact_check::Column::ExpiresAt, Expr::value(now))
        .filter(contact_check::Column::UserId.eq(user_id))
        .filter(contact_check::Column::Channel.eq(channel));
    if let Some(code) = code {
        ending = ending.filter(contact_check::Column::Code.eq(code));
    }
    Ok(ending.exec(on).await?.rows_affected)
}

/// The account's addresses waiting for their code, still in time.
pub async fn pending(db: &Db, user_id: Uuid, now: DateTime<Utc>) -> DomainResult<Vec<Pending>> {
    let rows = shared::find::<contact_check::Entity>()
        .filter(contact_check::Column::UserId.eq(user_id))
        .filter(contact_check::Column::Code.ne(""))
        .filter(contact_check::Column::ExpiresAt.gt(now))
        .filter(contact_check::Column::Tries.lt(TRIES_MAX))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Pending {
            channel: r.channel,
            address: r.address,
            expires_at: r.expires_at,
        })
        .collect())
}

/// Deletes checks past their time whose day of counting is over (with the housekeeping); how
/// many.
pub async fn prune(db: &Db, now: DateTime<Utc>) -> DomainResult<u64> {
    let gone = shared::delete_many::<contact_check::Entity>()
        .filter(contact_check::Column::ExpiresAt.lt(now))
        .filter(contact_check::Column::CountedFrom.lte(now - DAY))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

async fn find(
    db: &Db,
    user_id: Uuid,
    channel: Channel,
) -> DomainResult<Option<contact_check::Model>> {
    shared::find::<contact_check::Entity>()
        .filter(contact_check::Column::UserId.eq(user_id))
        .filter(contact_check::Column::Channel.eq(channel))
        .one(db)
        .await
}
