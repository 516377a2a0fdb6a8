//! The scheduler: every few seconds each server process asks for the lease; the one that holds
//! it sends the reminders that are due. A process that stops keeps the lease until its time
//! passes, then another takes over where it left off (the rows say what was sent).
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::db::Db;
use crate::entities::reminder;
use crate::error::DomainResult;
use crate::kinds::{MessageSubject, Role};
use crate::tenancy::{shared, Commit, Sql, TenantScope};

/// The lease the reminders are sent under.
pub const LEASE: &str = "reminders";

/// Reminders read per batch; a turn goes on while full batches come back, up to
/// `BATCHES_PER_TURN` (the rest wait for the next turn).
const BATCH: u64 = 200;
const BATCHES_PER_TURN: usize = 10;
/// A reminder that failed is tried again this much later (not at the head of every turn).
const RETRY_AFTER: Duration = Duration::minutes(10);

/// One turn of `holder` (a server process): takes or renews the lease until `now + lease_for`
/// and, holding it, sends what is due. How many were sent; none when another holds the lease.
pub async fn tick(
    db: &Db,
    holder: &str,
    now: DateTime<Utc>,
    lease_for: Duration,
) -> DomainResult<Option<usize>> {
    if !take_lease(db, LEASE, holder, now, lease_for).await? {
        return Ok(None);
    }
    run_due(db, now).await.map(Some)
}

/// Takes the lease `name` for `holder` until `now + lease_for`, or renews it; false while
/// another holder's time has not passed. One statement, atomic on both engines.
pub async fn take_lease(
    db: &Db,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    lease_for: Duration,
) -> DomainResult<bool> {
    let sql = "INSERT INTO scheduler_leases (name, holder, held_until) VALUES ($1, $2, $3) \
               ON CONFLICT (name) DO UPDATE \
               SET holder = excluded.holder, held_until = excluded.held_until \
               WHERE scheduler_leases.holder = excluded.holder \
                  OR scheduler_leases.held_until < $4";
    let values = vec![
        name.into(),
        holder.into(),
        (now + lease_for).into(),
        now.into(),
    ];
    let done = db
        .execute_sql(crate::db::statement(db.backend(), sql, values))
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sends the reminders due by `now`, the oldest first; how many.
pub async fn run_due(db: &Db, now: DateTime<Utc>) -> DomainResult<usize> {
    let mut sent = 0;
    for _ in 0..BATCHES_PER_TURN {
        let due = shared::find::<reminder::Entity>()
            .filter(reminder::Column::SentAt.is_null())
            .filter(reminder::Column::DueAt.lte(now))
            .order_by_asc(reminder::Column::DueAt)
            .limit(BATCH)
            .all(db)
            .await?;
        let full = due.len() as u64 == BATCH;
        for r in due {
            match send(db, &r, now).await {
                Ok(true) => sent += 1,
                Ok(false) => {}
                Err(err) => {
                    // One that fails does not hold up the others: it waits its turn again.
                    tracing::warn!(error = %err, reminder = %r.id, "sending a reminder");
                    shared::update_many::<reminder::Entity>()
                        .col_expr(reminder::Column::DueAt, Expr::value(now + RETRY_AFTER))
                        .filter(reminder::Column::NodeId.eq(r.node_id))
                        .filter(reminder::Column::Id.eq(r.id))
                        .filter(reminder::Column::SentAt.is_null())
                        .exec(db)
                        .await?;
                }
            }
        }
        if !full {
            break;
        }
    }
    Ok(sent)
}

/// How long a sent reminder's row is kept (what it sent stays in the message centres).
const KEPT_AFTER_SENT: Duration = Duration::days(30);

/// Deletes the rows of reminders sent more than `KEPT_AFTER_SENT` before `now`; how many.
pub async fn prune(db: &Db, now: DateTime<Utc>) -> DomainResult<u64> {
    let gone = shared::delete_many::<reminder::Entity>()
        .filter(reminder::Column::SentAt.lt(now - KEPT_AFTER_SENT))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// Sends one reminder in its tenant, claiming it in the same transaction: if another process
/// claimed it first, nothing is sent (false).
async fn send(db: &Db, r: &reminder::Model, now: DateTime<Utc>) -> DomainResult<bool> {
    let about_activity = r.kind.subject() == MessageSubject::Activity;
    // The service acting in the tenant: no person, the rights of its staff.
    let role = match about_activity {
        true => Role::CommunitySecretary,
        false => Role::StreetStaff,
    };
    let tx = TenantScope::new(r.node_id, Uuid::nil(), role)
        .write(db)
        .await?;
    let activity = match about_activity {
        true => Some(crate::activities::reminders::lock(&tx, r.subject_id).await?),
        false => None,
    };
    // Still due and not sent: moved later meanwhile (due again), or sent by another process,
    // it is not this turn's.
    let claimed = shared::update_many::<reminder::Entity>()
        .col_expr(reminder::Column::SentAt, Expr::value(now))
        .filter(reminder::Column::NodeId.eq(r.node_id))
        .filter(reminder::Column::Id.eq(r.id))
        .filter(reminder::Column::SentAt.is_null())
        .filter(reminder::Column::DueAt.lte(now))
        .exec(&tx)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(false);
    }
    let reached = match activity {
        Some(a) => crate::activities::reminders::remind(&tx, r.kind, a, now).await?,
        None => crate::coop::messages::remind(&tx, r.kind, r.subject_id, now).await?,
    };
    shared::update_many::<reminder::Entity>()
        .col_expr(
            reminder::Column::Reached,
            Expr::value(i32::try_from(reached).unwrap_or(i32::MAX)),
        )
        .filter(reminder::Column::NodeId.eq(r.node_id))
        .filter(reminder::Column::Id.eq(r.id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
