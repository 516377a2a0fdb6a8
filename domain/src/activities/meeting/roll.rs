//! 应到 and the roll rows: computed from the roster history at the meeting's start.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use super::super::checkin::record_mark;
use super::super::signup::new_signup;
use super::super::{ensure_organiser, lock, ActivityKind, Attendance, SignupState};
use crate::entities::{activity, activity_signup, branch_committee_seat};
use crate::error::{DomainError, DomainResult};
use crate::org::placements::{list_placements, subtree};
use crate::tenancy::{Row, TenantTx};

/// Whether `a` is a branch meeting kept by roll: a branch's own 三会一课 or 主题党日 (a paired
/// unit's activities and ones for the whole community are signed up for).
pub(crate) fn is_meeting(a: &activity::Model) -> bool {
    a.branch_id.is_some()
        && a.organiser_unit_id.is_none()
        && a.kind.is_branch_meeting()
        // A 党小组会 is its building group's (one published before groups were named is not
        // kept by roll).
        && (a.kind != ActivityKind::GroupMeeting || a.group_id.is_some())
}

/// 应到: the members on the roster of the meeting's branch or building group (households
/// included) at its start whose Party relation is here; for a 支委会, those of them on the
/// committee by the meeting's day. Once its attendance is finished, those it recorded.
pub(crate) async fn expected(tx: &TenantTx, a: &activity::Model) -> DomainResult<Vec<Uuid>> {
    let Some(body) = a.group_id.or(a.branch_id).filter(|_| is_meeting(a)) else {
        return Ok(Vec::new());
    };
    if a.roll_closed_at.is_some() {
        let mut recorded: Vec<Uuid> = tx
            .find::<activity_signup::Entity>()
            .filter(activity_signup::Column::ActivityId.eq(a.id))
            .filter(activity_signup::Column::State.eq(SignupState::Confirmed.as_str()))
            .filter(activity_signup::Column::Attendance.is_not_null())
            .select_only()
            .column(activity_signup::Column::MemberId)
            .into_tuple()
            .all(tx)
            .await?;
        recorded.sort();
        return Ok(recorded);
    }
    let branch = a.branch_id.unwrap_or(body);
    let units = subtree(&list_placements(tx).await?, body);
    let on_roster = crate::members::on_roster_at(tx, &units, a.starts_at).await?;
    if a.kind != ActivityKind::BranchCommittee {
        return Ok(on_roster);
    }
    let day = a.starts_at.with_timezone(&crate::clock::CHINA).date_naive();
    let seated: Vec<Uuid> = tx
        .find::<branch_committee_seat::Entity>()
        .filter(branch_committee_seat::Column::BranchId.eq(branch))
        .filter(branch_committee_seat::Column::Since.lte(day))
        .select_only()
        .column(branch_committee_seat::Column::MemberId)
        .into_tuple()
        .all(tx)
        .await?;
    Ok(on_roster
        .into_iter()
        .filter(|m| seated.contains(m))
        .collect())
}

/// Whether who was expected is on record: the roll closed, or anyone on it marked or asking
/// for leave (the meeting's kind, body and start may then no longer change).
pub(crate) async fn roll_is_kept(tx: &TenantTx, a: &activity::Model) -> DomainResult<bool> {
    if !is_meeting(a) {
        return Ok(false);
    }
    if a.roll_closed_at.is_some() {
        return Ok(true);
    }
    let marked = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(
            sea_orm::Condition::any()
                .add(activity_signup::Column::Attendance.is_not_null())
                .add(activity_signup::Column::LeaveState.is_not_null()),
        )
        .count(tx)
        .await?;
    Ok(marked > 0)
}

/// A roll row held before the meeting was kept by roll (signed up, waiting or cancelled), made
/// a confirmed one.
async fn confirmed(
    tx: &TenantTx,
    row: activity_signup::Model,
) -> DomainResult<activity_signup::Model> {
    if row.state == SignupState::Confirmed {
        return Ok(row);
    }
    let mut confirmed: activity_signup::ActiveModel = row.into();
    confirmed.state = Set(SignupState::Confirmed);
    confirmed.queue_no = Set(None);
    confirmed.cancelled_at = Set(None);
    confirmed.update_in(tx).await
}

/// Makes sure everyone on the roll has a confirmed roll row (under the activity's lock, taken
/// by the caller); returns the roll and the rows of the people on it.
pub(crate) async fn sync_roll(
    tx: &TenantTx,
    a: &activity::Model,
    now: DateTime<Utc>,
) -> DomainResult<Vec<activity_signup::Model>> {
    let roll = expected(tx, a).await?;
    let rows = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .all(tx)
        .await?;
    let mut out = Vec::with_capacity(roll.len());
    let (mut missing, mut made) = (Vec::new(), Vec::new());
    for member in roll {
        match rows.iter().find(|r| r.member_id == member) {
            Some(row) => out.push(confirmed(tx, row.clone()).await?),
            None => {
                let id = Uuid::now_v7();
                made.push(id);
                missing.push(new_signup(tx, (a.id, member), id, now));
            }
        }
    }
    if !missing.is_empty() {
        tx.insert_many(missing).await?;
        out.extend(tx.find_ids::<activity_signup::Entity>(made).await?);
    }
    Ok(out)
}

/// The roll row of `member`, made if they are on the roll and have none; `None` if they are
/// not on it.
pub(crate) async fn roll_row(
    tx: &TenantTx,
    a: &activity::Model,
    member: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Option<activity_signup::Model>> {
    if !expected(tx, a).await?.contains(&member) {
        return Ok(None);
    }
    let row = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::MemberId.eq(member))
        .one(tx)
        .await?;
    Ok(Some(match row {
        Some(row) => confirmed(tx, row).await?,
        None => {
            new_signup(tx, (a.id, member), Uuid::now_v7(), now)
                .insert_in(tx)
                .await?
        }
    }))
}

/// The meeting `activity_id`, locked (its roll is marked, and leave asked, withdrawn and
/// decided, one at a time), refused when cancelled.
pub(super) async fn meeting_not_cancelled(
    tx: &TenantTx,
    activity_id: Uuid,
) -> DomainResult<crate::entities::activity::Model> {
    let a = lock(tx, activity_id).await?;
    if !is_meeting(&a) {
        return Err(DomainError::NotFound);
    }
    if a.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    Ok(a)
}

/// The organiser marks a person on the roll 实到, 请假 or 缺席, from the meeting's start on.
pub async fn mark_roll(
    tx: &TenantTx,
    activity_id: Uuid,
    member: Uuid,
    mark: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let mark =
        Attendance::parse(mark).ok_or_else(|| DomainError::invalid("attendance", "not_in_list"))?;
    let a = meeting_not_cancelled(tx, activity_id).await?;
    if now < a.starts_at {
        return Err(DomainError::invalid("attendance", "before_activity"));
    }
    let row = roll_row(tx, &a, member, now)
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.attendance == Some(mark) {
        return Ok(());
    }
    record_mark(tx, &a, row, mark, now).await
}
