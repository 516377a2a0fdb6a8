//! 请假: a member on a meeting's roll asks for leave with a reason before it ends; the organiser
//! approves (the absence is then excused, costing nothing) or refuses (unmarked, it counts as
//! 缺席 when attendance is finished). Plans change: the member withdraws a request not yet
//! decided before the meeting ends, or one approved before the meeting starts (expected again),
//! while they are not marked on the roll.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::checkin::record_mark;
use super::super::{ensure_organiser, load, own_member, Attendance};
use super::roll::{expected, is_meeting, meeting_not_cancelled, roll_row};
use crate::entities::activity_signup;
use crate::error::{DomainError, DomainResult};
use crate::kinds::LeaveState;
use crate::tenancy::{Row, TenantTx};
use crate::validate::required_text;

/// The signed-in member's place on a meeting's roll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRoll {
    pub attendance: Option<Attendance>,
    pub leave: Option<LeaveState>,
    pub leave_reason: Option<String>,
}

/// The signed-in member's place on the roll of `activity_id`, if it is a meeting they should
/// attend.
pub async fn my_roll(tx: &TenantTx, activity_id: Uuid) -> DomainResult<Option<MyRoll>> {
    let me = own_member(tx).await?;
    let a = load(tx, activity_id).await?;
    if !is_meeting(&a) || !expected(tx, &a).await?.contains(&me.id) {
        return Ok(None);
    }
    let row = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::MemberId.eq(me.id))
        .one(tx)
        .await?;
    Ok(Some(MyRoll {
        attendance: row.as_ref().and_then(|r| r.attendance),
        leave: row.as_ref().and_then(|r| r.leave_state),
        leave_reason: row.and_then(|r| r.leave_reason),
    }))
}

/// The signed-in member asks for leave from a meeting they are on the roll of, before it ends
/// (asking again replaces the reason of a request not yet decided).
pub async fn ask_leave(
    tx: &TenantTx,
    activity_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let me = own_member(tx).await?;
    let reason = required_text("leave_reason", reason, 200)?;
    let a = meeting_not_cancelled(tx, activity_id).await?;
    if now >= a.ends_at {
        return Err(DomainError::invalid("leave", "meeting_over"));
    }
    let row = roll_row(tx, &a, me.id, now)
        .await?
        .ok_or_else(|| DomainError::invalid("leave", "not_on_roll"))?;
    if row.attendance == Some(Attendance::Attended) {
        return Err(DomainError::invalid("leave", "attended"));
    }
    if row.leave_state.is_some_and(|s| s != LeaveState::Asked) {
        return Err(DomainError::invalid("leave", "already_decided"));
    }
    let mut asked: activity_signup::ActiveModel = row.into();
    asked.leave_state = Set(Some(LeaveState::Asked));
    asked.leave_reason = Set(Some(reason));
    asked.leave_asked_at = Set(Some(now));
    asked.update_in(tx).await?;
    Ok(())
}

/// Whether the member may still withdraw a request in `state` (see the module's note): never
/// once they are marked on the roll (the mark stands on what was asked).
pub fn may_withdraw(
    state: Option<LeaveState>,
    attendance: Option<Attendance>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    if attendance.is_some() {
        return false;
    }
    match state {
        Some(LeaveState::Asked) => now < ends_at,
        Some(LeaveState::Approved) => now < starts_at,
        Some(LeaveState::Refused) | None => false,
    }
}

/// The signed-in member withdraws their leave request from a meeting (`may_withdraw`): they are
/// expected again, as if they had never asked.
pub async fn withdraw_leave(
    tx: &TenantTx,
    activity_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let me = own_member(tx).await?;
    let a = meeting_not_cancelled(tx, activity_id).await?;
    let row = roll_row(tx, &a, me.id, now)
        .await?
        .ok_or_else(|| DomainError::invalid("leave", "not_on_roll"))?;
    if row.leave_state.is_none() {
        return Err(DomainError::invalid("leave_request", "not_asked"));
    }
    if !may_withdraw(row.leave_state, row.attendance, a.starts_at, a.ends_at, now) {
        return Err(DomainError::invalid("leave_request", "not_withdrawable"));
    }
    let mut withdrawn: activity_signup::ActiveModel = row.into();
    withdrawn.leave_state = Set(None);
    withdrawn.leave_reason = Set(None);
    withdrawn.leave_asked_at = Set(None);
    withdrawn.leave_decided_by = Set(None);
    withdrawn.update_in(tx).await?;
    Ok(())
}

/// The organiser approves or refuses a member's leave. Approved after the meeting started, the
/// person is marked 请假 (what an earlier 缺席 cost is given back); refused, an earlier 请假
/// mark becomes 缺席.
pub async fn decide_leave(
    tx: &TenantTx,
    activity_id: Uuid,
    member: Uuid,
    approve: bool,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let a = meeting_not_cancelled(tx, activity_id).await?;
    let row = roll_row(tx, &a, member, now)
        .await?
        .filter(|r| r.leave_state.is_some())
        .ok_or(DomainError::NotFound)?;
    // Nobody decides their own leave (an organiser who is also on the roll asks the others).
    let own = tx
        .find::<crate::entities::member::Entity>()
        .filter(crate::entities::member::Column::Id.eq(member))
        .filter(crate::entities::member::Column::UserId.eq(tx.actor_user_id()))
        .count(tx)
        .await?;
    if own > 0 {
        return Err(DomainError::invalid("leave", "own_leave"));
    }
    let state = if approve {
        LeaveState::Approved
    } else {
        LeaveState::Refused
    };
    let mut decided: activity_signup::ActiveModel = row.into();
    decided.leave_state = Set(Some(state));
    decided.leave_decided_by = Set(Some(tx.actor_user_id()));
    let row = decided.update_in(tx).await?;
    let mark = match (approve, row.attendance) {
        (_, Some(Attendance::Attended)) => None,
        (true, _) if now >= a.starts_at => Some(Attendance::Excused),
        (false, Some(Attendance::Excused)) => Some(Attendance::NoShow),
        _ => None,
    };
    if let Some(mark) = mark.filter(|m| row.attendance != Some(*m)) {
        record_mark(tx, &a, row, mark, now).await?;
    }
    Ok(())
}
