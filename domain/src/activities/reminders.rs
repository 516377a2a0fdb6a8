//! What an activity's changes send at once (a new time or venue, a cancellation, a seat off the
//! waitlist) and schedule for later (its reminders, sent by `crate::reminders`).
use chrono::{DateTime, Duration, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::entities::{activity, activity_signup, member};
use crate::error::DomainResult;
use crate::kinds::{MessageKind, SignupState};
use crate::tenancy::TenantTx;

/// The reminders of an activity: (kind, how long before it starts).
const BEFORE_START: [(MessageKind, Duration); 2] = [
    (MessageKind::ActivityDayBefore, Duration::hours(24)),
    (MessageKind::ActivitySoon, Duration::hours(2)),
];

/// A new activity gets its reminders; one moved to another time has them set anew (sent again
/// when due), and everyone signed up or waiting hears of a new time or venue at once.
pub(crate) async fn activity_saved(
    tx: &TenantTx,
    before: Option<&activity::Model>,
    after: &activity::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let moved = before.is_none_or(|b| b.starts_at != after.starts_at);
    if moved {
        schedule(tx, after, now).await?;
    }
    // Something already held that is corrected afterwards is news to nobody.
    let changed = after.ends_at > now
        && before.is_some_and(|b| {
            b.starts_at != after.starts_at || b.ends_at != after.ends_at || b.venue != after.venue
        });
    if changed {
        let users = concerned(
            tx,
            after,
            &[SignupState::Confirmed, SignupState::Waitlisted],
        )
        .await?;
        deliver(tx, MessageKind::ActivityChanged, after.id, &users, now).await?;
    }
    Ok(())
}

/// A cancelled activity's reminders are not sent; everyone signed up or waiting is told.
pub(crate) async fn activity_cancelled(
    tx: &TenantTx,
    a: &activity::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    crate::notices::later::unschedule(tx, a.id, now).await?;
    let users = concerned(tx, a, &[SignupState::Confirmed, SignupState::Waitlisted]).await?;
    deliver(tx, MessageKind::ActivityCancelled, a.id, &users, now)
        .await
        .map(|_| ())
}

/// Members whose waitlist place just became a seat.
pub(crate) async fn promoted(
    tx: &TenantTx,
    a: &activity::Model,
    members: &[Uuid],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let users = logins_of(tx, members).await?;
    deliver(tx, MessageKind::WaitlistPromoted, a.id, &users, now)
        .await
        .map(|_| ())
}

/// The activity a reminder is about, locked before the reminder is claimed (the order its
/// changes take: activity, then reminders), so a change or cancellation under way is seen.
pub(crate) async fn lock(tx: &TenantTx, id: Uuid) -> DomainResult<Option<activity::Model>> {
    match super::lock(tx, id).await {
        Ok(a) => Ok(Some(a)),
        Err(crate::DomainError::NotFound) => Ok(None),
        Err(err) => Err(err),
    }
}

/// A reminder of `kind` for activity `a`, due now: to those with a seat, unless it has been
/// cancelled or has started, or (the day-before one) the two-hour one is due already. How many
/// it reached.
pub(crate) async fn remind(
    tx: &TenantTx,
    kind: MessageKind,
    a: Option<activity::Model>,
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let Some(a) = a else {
        return Ok(0);
    };
    let id = a.id;
    let soon_due = now >= a.starts_at - Duration::hours(2);
    let stale = kind == MessageKind::ActivityDayBefore && soon_due;
    if a.cancelled_at.is_some() || a.starts_at <= now || stale {
        return Ok(0);
    }
    let users = concerned(tx, &a, &[SignupState::Confirmed]).await?;
    deliver(tx, kind, id, &users, now).await
}

/// The activity's reminders, due before its start; one whose time has passed already (an
/// activity published or moved less than a day ahead) is not sent: those signing up now know.
async fn schedule(tx: &TenantTx, a: &activity::Model, now: DateTime<Utc>) -> DomainResult<()> {
    for (kind, before) in BEFORE_START {
        crate::notices::later::schedule(tx, kind, a.id, a.starts_at - before, now).await?;
    }
    Ok(())
}

/// Who hears about activity `a`: those on a meeting's roll, else those signed up for it in one
/// of `states`.
async fn concerned(
    tx: &TenantTx,
    a: &activity::Model,
    states: &[SignupState],
) -> DomainResult<Vec<Uuid>> {
    if super::meeting::is_meeting(a) {
        let roll = super::meeting::expected(tx, a).await?;
        return logins_of(tx, &roll).await;
    }
    signed_up(tx, a.id, states).await
}

/// The accounts of the members signed up for activity `id` in one of `states`.
async fn signed_up(tx: &TenantTx, id: Uuid, states: &[SignupState]) -> DomainResult<Vec<Uuid>> {
    let members: Vec<Uuid> = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(id))
        .filter(activity_signup::Column::State.is_in(states.iter().map(|s| s.as_str())))
        .select_only()
        .column(activity_signup::Column::MemberId)
        .into_tuple()
        .all(tx)
        .await?;
    logins_of(tx, &members).await
}

/// The active accounts of `members` (those without one hear nothing).
async fn logins_of(tx: &TenantTx, members: &[Uuid]) -> DomainResult<Vec<Uuid>> {
    let mut users = Vec::with_capacity(members.len());
    for chunk in members.chunks(500) {
        let found: Vec<Option<Uuid>> = tx
            .find::<member::Entity>()
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .filter(member::Column::UserId.is_not_null())
            .select_only()
            .column(member::Column::UserId)
            .into_tuple()
            .all(tx)
            .await?;
        users.extend(found.into_iter().flatten());
    }
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

/// A message of `kind` about activity `id` to each of `users` who wants it (how many).
async fn deliver(
    tx: &TenantTx,
    kind: MessageKind,
    id: Uuid,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    crate::notices::tell(tx, kind, tx.tenant_id(), id, users, now).await
}
