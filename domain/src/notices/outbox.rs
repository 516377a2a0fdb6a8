//! The outbox: what goes out beyond the app, queued in the transaction that delivers it in the
//! app (so nothing is lost if a channel is down) and sent by the scheduler's lease holder
//! through the channels the server has (`take_due`, then `sent` or `failed`). A message is
//! e-mailed to its recipient if they gave an address, and texted if they gave a mobile number
//! and it is of a kind that goes by text; a notice is posted to its sending node's
//! group robot if it has one. A failure is tried again later, each wait twice the last (from a
//! minute, at most six hours), and given up after `MAX_ATTEMPTS`; the operator sees both.
use std::collections::HashMap;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::inbox::About;
use super::subjects;
use crate::auth::Principal;
use crate::db::Db;
use crate::entities::{group_robot, outbox, user};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{Channel, MessageKind, MessageSubject, RobotKind, Role};
use crate::tenancy::{shared, Commit, TenantScope, TenantTx};

/// Tries before giving up: waits of 1, 2, 4 … minutes (at most six hours) make about a day.
pub const MAX_ATTEMPTS: i32 = 12;
const LONGEST_WAIT: Duration = Duration::hours(6);
/// A row being sent is not due again for this long (if the process stops mid-send, another
/// tries it then).
const CLAIMED_FOR: Duration = Duration::minutes(5);
/// Rows written per statement.
const ROWS_PER_INSERT: usize = 500;
/// Kept this long after it was sent or given up (then pruned with the housekeeping).
const KEPT: Duration = Duration::days(30);

/// One thing to send, as the channel needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub id: Uuid,
    /// Until when this taker holds it: `sent` and `failed` count only while it does (another
    /// process that took it after the claim ran out answers for it then).
    pub claim: DateTime<Utc>,
    pub channel: Channel,
    /// The e-mail address, or the robot's webhook address.
    pub address: String,
    /// The robot's kind and 加签 secret.
    pub robot: Option<(RobotKind, Option<String>)>,
    pub kind: MessageKind,
    /// The node whose message centre it is in (for the link to it).
    pub node: Uuid,
    pub from: String,
    pub title: String,
    pub body: String,
    pub about: About,
}

/// Queues an e-mail of this message to each of `users` who gave an address, and a text to
/// each who gave a mobile number if it is a kind that goes by text (`tx` is the tenant the
/// messages were delivered in).
pub(crate) async fn queue_each(
    tx: &TenantTx,
    kind: MessageKind,
    source: Uuid,
    subject: Uuid,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    for chunk in users.chunks(ROWS_PER_INSERT) {
        let reachable: Vec<(Uuid, Option<String>, Option<String>)> = shared::find::<user::Entity>()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .filter(
                user::Column::Email
                    .is_not_null()
                    .or(user::Column::SmsPhone.is_not_null()),
            )
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Email)
            .column(user::Column::SmsPhone)
            .into_tuple()
            .all(tx)
            .await?;
        let mut rows = Vec::new();
        for (user, email, sms_phone) in reachable {
            let mut queue = |channel| {
                rows.push(row(
                    tx.tenant_id(),
                    channel,
                    Some(user),
                    kind,
                    source,
                    subject,
                    now,
                ))
            };
            if email.is_some() {
                queue(Channel::Email);
            }
            if sms_phone.is_some() && kind.by_text() {
                queue(Channel::Sms);
            }
        }
        shared::insert_many(tx, rows).await?;
    }
    Ok(())
}

/// Queues a post of a notice to `node`'s group robot, if it has one.
pub(crate) async fn post_to_robot(
    tx: &TenantTx,
    node: Uuid,
    subject: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let robot = shared::find::<group_robot::Entity>()
        .filter(group_robot::Column::NodeId.eq(node))
        .one(tx)
        .await?;
    if robot.is_some() {
        let r = row(
            node,
            Channel::Robot,
            None,
            MessageKind::Notice,
            node,
            subject,
            now,
        );
        shared::insert_many(tx, vec![r]).await?;
    }
    Ok(())
}

fn row(
    node: Uuid,
    channel: Channel,
    user: Option<Uuid>,
    kind: MessageKind,
    source: Uuid,
    subject: Uuid,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        node_id: Set(node),
        channel: Set(channel),
        user_id: Set(user),
        kind: Set(kind),
        source_id: Set(source),
        subject_id: Set(subject),
        created_at: Set(now),
        due_at: Set(now),
        attempts: Set(0),
        sent_at: Set(None),
        failed_at: Set(None),
        last_error: Set(None),
    }
}

/// Up to `limit` rows due by `now`, claimed for a while, with what to send. A row whose
/// subject or address is gone (a notice withdrawn, an address removed), or whose channel the
/// deployment no longer has, is closed unsent.
pub async fn take_due(db: &Db, now: DateTime<Utc>, limit: u64) -> DomainResult<Vec<Outgoing>> {
    let due = shared::find::<outbox::Entity>()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .filter(outbox::Column::DueAt.lte(now))
        .order_by_asc(outbox::Column::DueAt)
        .limit(limit)
        .all(db)
        .await?;
    // Each row is claimed only if nobody claimed it since it was read: two processes never
    // hold one row at once. Whole milliseconds, stored alike by both engines.
    let claim = (now + CLAIMED_FOR).trunc_subsecs(3);
    let mut claimed = Vec::with_capacity(due.len());
    for row in due {
        let taken = shared::update_many::<outbox::Entity>()
            .col_expr(outbox::Column::DueAt, Expr::value(claim))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::DueAt.eq(row.due_at))
            .filter(outbox::Column::SentAt.is_null())
            .filter(outbox::Column::FailedAt.is_null())
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            claimed.push(row);
        }
    }
    let due = claimed;
    let subjects = read_subjects(db, &due).await?;
    let people = people_of(db, &due).await?;
    let robots = robots_of(db, &due).await?;
    let mut out = Vec::with_capacity(due.len());
    for r in due {
        let person = r.user_id.and_then(|u| people.get(&u));
        let address = match r.channel {
            Channel::Email => person.and_then(|p| p.email.clone()),
            Channel::Sms => person.and_then(|p| p.sms_phone.clone()),
            Channel::Robot => robots.get(&r.node_id).map(|robot| robot.url.clone()),
        };
        let robot = robots
            .get(&r.node_id)
            .filter(|_| r.channel == Channel::Robot)
            .map(|robot| (robot.kind, robot.secret.clone()));
        if !configured(db, r.channel) {
            // Turned off since it was queued: dropped, not failing a day long.
            close(db, (r.id, claim), now, None, Some("channel_off")).await?;
            continue;
        }
        match (address, subjects.get(&(r.source_id, r.subject_id))) {
            (Some(address), Some(s)) => out.push(Outgoing {
                id: r.id,
                claim,
                channel: r.channel,
                address,
                robot,
                kind: r.kind,
                node: r.node_id,
                from: s.from.clone(),
                title: s.title.clone(),
                body: s.body.clone(),
                about: s.about.clone(),
            }),
            _ => close(db, (r.id, claim), now, None, Some("nothing_to_send")).await?,
        }
    }
    Ok(out)
}

/// The subjects of `rows` by (source, id), each read in the tenant that keeps it.
async fn read_subjects(
    db: &Db,
    rows: &[outbox::Model],
) -> DomainResult<HashMap<(Uuid, Uuid), subjects::Subject>> {
    let mut groups: HashMap<(Uuid, MessageSubject), Vec<Uuid>> = HashMap::new();
    for r in rows {
        let ids = groups.entry((r.source_id, r.kind.subject())).or_default();
        if !ids.contains(&r.subject_id) {
            ids.push(r.subject_id);
        }
    }
    let mut out = HashMap::new();
    for ((source, kind), ids) in groups {
        let from = db.node(source).await?.map(|n| n.name).unwrap_or_default();
        // The service reading in the tenant: no person.
        let tx = TenantScope::new(source, Uuid::nil(), Role::CommunitySecretary)
            .read(db)
            .await?;
        let found = subjects::read(&tx, kind, ids, &from).await?;
        tx.commit().await?;
        out.extend(found.into_iter().map(|(id, s)| ((source, id), s)));
    }
    Ok(out)
}

/// Whether this deployment sends on `channel`.
fn configured(db: &Db, channel: Channel) -> bool {
    match channel {
        Channel::Email => db.outbound().email,
        Channel::Sms => db.outbound().sms,
        Channel::Robot => db.outbound().robots,
    }
}

/// The active accounts `rows` go to, by id (an inactive one is sent nothing).
async fn people_of(db: &Db, rows: &[outbox::Model]) -> DomainResult<HashMap<Uuid, user::Model>> {
    let users: Vec<Uuid> = rows.iter().filter_map(|r| r.user_id).collect();
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let found = shared::find::<user::Entity>()
        .filter(user::Column::Id.is_in(users))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    Ok(found.into_iter().map(|u| (u.id, u)).collect())
}

async fn robots_of(
    db: &Db,
    rows: &[outbox::Model],
) -> DomainResult<HashMap<Uuid, group_robot::Model>> {
    let nodes: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.channel == Channel::Robot)
        .map(|r| r.node_id)
        .collect();
    if nodes.is_empty() {
        return Ok(HashMap::new());
    }
    let found = shared::find::<group_robot::Entity>()
        .filter(group_robot::Column::NodeId.is_in(nodes))
        .all(db)
        .await?;
    Ok(found.into_iter().map(|r| (r.node_id, r)).collect())
}

/// It went out.
pub async fn sent(db: &Db, item: &Outgoing, now: DateTime<Utc>) -> DomainResult<()> {
    close(db, (item.id, item.claim), now, None, None).await
}

/// It did not go out (`error`, as the channel said it, cut short): tried again after a wait
/// twice the last, or given up after `MAX_ATTEMPTS` — at once when the channel said it never
/// will (`permanent`: an address refused, a robot's key revoked).
pub async fn failed(
    db: &Db,
    item: &Outgoing,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Some(r) = shared::find_by_id::<outbox::Entity>(item.id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let attempts = r.attempts.saturating_add(1);
    let error: String = error.chars().take(300).collect();
    if attempts >= MAX_ATTEMPTS || permanent {
        return close(db, (item.id, item.claim), now, Some(attempts), Some(&error)).await;
    }
    let wait = Duration::minutes(1 << (attempts - 1).clamp(0, 20)).min(LONGEST_WAIT);
    shared::update_many::<outbox::Entity>()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::DueAt, Expr::value(now + wait))
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .filter(outbox::Column::Id.eq(item.id))
        .filter(outbox::Column::DueAt.eq(item.claim))
        .exec(db)
        .await?;
    Ok(())
}

/// Closes a row the caller holds: sent (no error), or given up (`attempts` counted) or
/// dropped with `error`.
async fn close(
    db: &Db,
    (id, claim): (Uuid, DateTime<Utc>),
    now: DateTime<Utc>,
    attempts: Option<i32>,
    error: Option<&str>,
) -> DomainResult<()> {
    let column = match attempts {
        Some(_) => outbox::Column::FailedAt,
        None => outbox::Column::SentAt,
    };
    let mut update = shared::update_many::<outbox::Entity>()
        .col_expr(column, Expr::value(now))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(error.map(str::to_owned)),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::DueAt.eq(claim));
    if let Some(attempts) = attempts {
        update = update.col_expr(outbox::Column::Attempts, Expr::value(attempts));
    }
    update.exec(db).await?;
    Ok(())
}

/// Deletes the rows sent or given up more than a month before `now`; how many.
pub async fn prune(db: &Db, now: DateTime<Utc>) -> DomainResult<u64> {
    use sea_orm::Condition;
    let old = now - KEPT;
    let gone = shared::delete_many::<outbox::Entity>()
        .filter(
            Condition::any()
                .add(outbox::Column::SentAt.lt(old))
                .add(outbox::Column::FailedAt.lt(old)),
        )
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// How one channel is doing, for the operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelStatus {
    pub channel: Channel,
    /// This deployment sends on it (else what waits is closed unsent).
    pub configured: bool,
    /// Waiting to be sent (first try or again).
    pub waiting: u64,
    /// Of those, failed at least once.
    pub retrying: u64,
    pub sent_last_day: u64,
    /// Given up on in the last month (kept that long).
    pub given_up: u64,
    /// The latest errors: when, after how many tries, what the channel said.
    pub latest_errors: Vec<(DateTime<Utc>, i32, String)>,
}

/// Each channel's queue and latest errors (no addresses, no people): the platform operator's.
pub async fn status(
    db: &Db,
    principal: &Principal,
    now: DateTime<Utc>,
) -> DomainResult<Vec<ChannelStatus>> {
    if !principal.is_operator() {
        return Err(DomainError::Forbidden);
    }
    let mut out = Vec::new();
    for &channel in Channel::ALL {
        let of = || shared::find::<outbox::Entity>().filter(outbox::Column::Channel.eq(channel));
        let open = || {
            of().filter(outbox::Column::SentAt.is_null())
                .filter(outbox::Column::FailedAt.is_null())
        };
        let errors = of()
            .filter(outbox::Column::LastError.is_not_null())
            .filter(outbox::Column::Attempts.gt(0))
            .order_by_desc(outbox::Column::DueAt)
            .limit(5)
            .all(db)
            .await?;
        let configured = configured(db, channel);
        out.push(ChannelStatus {
            channel,
            configured,
            waiting: open().count(db).await?,
            retrying: open()
                .filter(outbox::Column::Attempts.gt(0))
                .count(db)
                .await?,
            sent_last_day: of()
                .filter(outbox::Column::SentAt.gt(now - Duration::days(1)))
                .filter(outbox::Column::LastError.is_null())
                .count(db)
                .await?,
            given_up: of()
                .filter(outbox::Column::FailedAt.is_not_null())
                .count(db)
                .await?,
            latest_errors: errors
                .into_iter()
                .map(|r| {
                    let at = r.failed_at.unwrap_or(r.due_at);
                    (at, r.attempts, r.last_error.unwrap_or_default())
                })
                .collect(),
        });
    }
    Ok(out)
}
