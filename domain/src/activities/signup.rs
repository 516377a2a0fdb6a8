//! 报名 and 候补: a seat while seats remain, else the waitlist in arrival order; a confirmed
//! member's cancellation promotes the first in line in the same transaction. Every change runs
//! under the activity's row lock (`lock`), so the counts on that row are always exact.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{lock, own_member, Audience, SignupState};
use crate::audit::{self, AuditEvent};
use crate::entities::{activity, activity_signup, community_unit, member, member_report};
use crate::error::{DomainError, DomainResult};
use crate::kinds::PlacementKind;
use crate::kinds::Status;
use crate::tenancy::{Row, TenantTx};

/// Where a signup landed: confirmed, or waitlisted at a position (1 = next in line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub state: SignupState,
    pub position: Option<u64>,
}

/// The signed-in member signs up.
pub async fn sign_up(
    tx: &TenantTx,
    activity_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Enrolled> {
    let me = own_member(tx).await?;
    enrol(tx, activity_id, &me, now, None).await
}

/// 代报名: the community's staff sign a member up (for elderly members). Audited.
pub async fn sign_up_for(
    tx: &TenantTx,
    activity_id: Uuid,
    member_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Enrolled> {
    // 代报名 and withdrawals need the roster: the community's staff, a 支部书记 for their branch.
    let reach = crate::members::reach(tx).await?;
    let member = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .filter(reach.members())
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::invalid("member", "not_found"))?;
    let enrolled = enrol(tx, activity_id, &member, now, Some(tx.actor_user_id())).await?;
    audit::record(
        tx,
        AuditEvent::new("signup_on_behalf", activity_id.to_string())
            .actor(Some(tx.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(serde_json::json!({ "member": member_id, "state": enrolled.state.as_str() })),
    )
    .await?;
    Ok(enrolled)
}

fn open_for_signup(a: &activity::Model, now: DateTime<Utc>) -> DomainResult<()> {
    if a.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    if now >= a.starts_at {
        return Err(DomainError::invalid("activity", "past"));
    }
    if now < a.signup_opens_at {
        return Err(DomainError::invalid("signup", "not_open"));
    }
    if now > a.signup_closes_at {
        return Err(DomainError::invalid("signup", "closed"));
    }
    Ok(())
}

/// The grid branch a placement unit belongs to (itself, or the branch above it).
pub(crate) async fn branch_of(tx: &TenantTx, unit: Option<Uuid>) -> DomainResult<Option<Uuid>> {
    let Some(mut at) = unit else { return Ok(None) };
    let units = tx.find::<community_unit::Entity>().all(tx).await?;
    // The tree is three levels deep; the bound only guards against a damaged parent chain.
    for _ in 0..4 {
        let Some(u) = units.iter().find(|u| u.id == at) else {
            return Ok(None);
        };
        if u.kind == PlacementKind::GridBranch {
            return Ok(Some(u.id));
        }
        match u.parent_id {
            Some(parent) => at = parent,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// Whether the member is in the activity's audience.
pub(crate) async fn in_audience(
    tx: &TenantTx,
    a: &activity::Model,
    m: &member::Model,
) -> DomainResult<bool> {
    AudienceOf::new(m).admits(tx, a).await
}

/// A member as activities' audiences see them: their branch and whether they are in service
/// (双报到 confirmed), each read once when first needed, so a list of many activities costs no
/// statement per activity.
pub(crate) struct AudienceOf<'a> {
    member: &'a member::Model,
    branch: Option<Option<Uuid>>,
    in_service: Option<bool>,
}

impl<'a> AudienceOf<'a> {
    pub(crate) fn new(member: &'a member::Model) -> Self {
        AudienceOf {
            member,
            branch: None,
            in_service: None,
        }
    }

    pub(crate) async fn admits(
        &mut self,
        tx: &TenantTx,
        a: &activity::Model,
    ) -> DomainResult<bool> {
        if self.member.status == Status::TransferredOut {
            return Ok(false);
        }
        Ok(match a.audience {
            Audience::All | Audience::Residents => true,
            Audience::Branch => match a.branch_id {
                Some(branch) => self.branch(tx).await? == Some(branch),
                None => false,
            },
            Audience::InService => self.in_service(tx).await?,
        })
    }

    async fn branch(&mut self, tx: &TenantTx) -> DomainResult<Option<Uuid>> {
        if let Some(known) = self.branch {
            return Ok(known);
        }
        let found = branch_of(tx, self.member.unit_id).await?;
        self.branch = Some(found);
        Ok(found)
    }

    async fn in_service(&mut self, tx: &TenantTx) -> DomainResult<bool> {
        if let Some(known) = self.in_service {
            return Ok(known);
        }
        let found = tx
            .find::<member_report::Entity>()
            .filter(member_report::Column::MemberId.eq(self.member.id))
            .filter(member_report::Column::Status.eq("confirmed"))
            .count(tx)
            .await?
            > 0;
        self.in_service = Some(found);
        Ok(found)
    }
}

/// Not cancelled. Written as the literal the partial index `activity_signups_live` names
/// (`state <> 'cancelled'`): SQLite, whose plans do not look at bound values (QPSG), uses that
/// index only for the same literal.
fn live() -> sea_orm::sea_query::SimpleExpr {
    debug_assert_eq!(SignupState::Cancelled.as_str(), "cancelled");
    sea_orm::sea_query::Expr::col((activity_signup::Entity, activity_signup::Column::State))
        .ne(sea_orm::sea_query::Expr::cust("'cancelled'"))
}

async fn enrol(
    tx: &TenantTx,
    activity_id: Uuid,
    m: &member::Model,
    now: DateTime<Utc>,
    by: Option<Uuid>,
) -> DomainResult<Enrolled> {
    let a = lock(tx, activity_id).await?;
    if super::meeting::is_meeting(&a) {
        // Its roll is the branch's roster: nobody signs up (or out; they ask for leave).
        return Err(DomainError::invalid("signup", "meeting_roll"));
    }
    open_for_signup(&a, now)?;
    if !in_audience(tx, &a, m).await? {
        return Err(DomainError::invalid("signup", "not_in_audience"));
    }
    let already = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::MemberId.eq(m.id))
        .filter(live())
        .count(tx)
        .await?;
    if already > 0 {
        return Err(DomainError::invalid("signup", "already_signed_up"));
    }
    let seated = tx
        .update_many::<activity::Entity>()
        .col_expr(
            activity::Column::ConfirmedCount,
            Expr::col(activity::Column::ConfirmedCount).add(1),
        )
        .filter(activity::Column::Id.eq(activity_id))
        .filter(
            sea_orm::Condition::any()
                .add(activity::Column::Capacity.is_null())
                .add(
                    Expr::col(activity::Column::ConfirmedCount)
                        .lt(Expr::col(activity::Column::Capacity)),
                ),
        )
        .exec(tx)
        .await?
        .rows_affected
        == 1;
    let queue_no = match seated {
        true => None,
        false => {
            let next = a.waitlist_seq + 1;
            tx.update_many::<activity::Entity>()
                .col_expr(activity::Column::WaitlistSeq, Expr::value(next))
                .filter(activity::Column::Id.eq(activity_id))
                .exec(tx)
                .await?;
            Some(next)
        }
    };
    let state = if seated {
        SignupState::Confirmed
    } else {
        SignupState::Waitlisted
    };
    let row = new_signup(tx, (activity_id, m.id), Uuid::now_v7(), now);
    activity_signup::ActiveModel {
        state: Set(state),
        queue_no: Set(queue_no),
        on_behalf_by: Set(by),
        ..row
    }
    .insert_in(tx)
    .await?;
    let position = match queue_no {
        Some(q) => Some(waitlist_position(tx, activity_id, q).await?),
        None => None,
    };
    Ok(Enrolled { state, position })
}

/// A new confirmed signup of `member` for `activity`, made by the member themselves, not yet
/// marked and with no leave asked (the caller sets what differs).
pub(in crate::activities) fn new_signup(
    tx: &TenantTx,
    (activity, member): (Uuid, Uuid),
    id: Uuid,
    now: DateTime<Utc>,
) -> activity_signup::ActiveModel {
    activity_signup::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(id),
        activity_id: Set(activity),
        member_id: Set(member),
        state: Set(SignupState::Confirmed),
        queue_no: Set(None),
        signed_up_at: Set(now),
        promoted_at: Set(None),
        cancelled_at: Set(None),
        on_behalf_by: Set(None),
        attendance: Set(None),
        checked_in_at: Set(None),
        checkin_failures: Set(0),
        checkin_locked_until: Set(None),
        leave_state: Set(None),
        leave_reason: Set(None),
        leave_asked_at: Set(None),
        leave_decided_by: Set(None),
    }
}

/// 1 for the first in line: the waitlisted signups at or before `queue_no`.
pub(crate) async fn waitlist_position(
    tx: &TenantTx,
    activity_id: Uuid,
    queue_no: i64,
) -> DomainResult<u64> {
    tx.find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::State.eq(SignupState::Waitlisted.as_str()))
        .filter(activity_signup::Column::QueueNo.lte(queue_no))
        .count(tx)
        .await
}

/// The signed-in member cancels their signup (before the activity starts).
pub async fn cancel_signup(
    tx: &TenantTx,
    activity_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let me = own_member(tx).await?;
    let a = lock(tx, activity_id).await?;
    let signup = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::MemberId.eq(me.id))
        .filter(live())
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::invalid("signup", "not_signed_up"))?;
    release(tx, a, signup, now).await
}

/// The community's staff take a member's signup back (for someone they signed up). Audited.
pub async fn withdraw(tx: &TenantTx, signup_id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
    // The activity's lock below finds only activities within the organiser's reach, and a
    // 支部书记 only their branch's members' signups.
    crate::members::reach(tx).await?;
    let signup = tx
        .find::<activity_signup::Entity>()
        .filter(super::signups_in_reach(tx).await?)
        .filter(activity_signup::Column::Id.eq(signup_id))
        .filter(live())
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    let a = lock(tx, signup.activity_id).await?;
    let (activity_id, member_id) = (signup.activity_id, signup.member_id);
    release(tx, a, signup, now).await?;
    audit::record(
        tx,
        AuditEvent::new("signup_withdrawn", activity_id.to_string())
            .actor(Some(tx.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(serde_json::json!({ "member": member_id })),
    )
    .await
}

async fn release(
    tx: &TenantTx,
    a: activity::Model,
    signup: activity_signup::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if super::meeting::is_meeting(&a) {
        return Err(DomainError::invalid("signup", "meeting_roll"));
    }
    if now >= a.starts_at {
        return Err(DomainError::invalid("activity", "past"));
    }
    let was_confirmed = signup.state == SignupState::Confirmed;
    let mut active: activity_signup::ActiveModel = signup.into();
    active.state = Set(SignupState::Cancelled);
    active.cancelled_at = Set(Some(now));
    active.update_in(tx).await?;
    if was_confirmed {
        let mut seats: activity::ActiveModel = a.clone().into();
        seats.confirmed_count = Set(a.confirmed_count - 1);
        let a = seats.update_in(tx).await?;
        promote_waiting(tx, &a, now).await?;
    }
    Ok(())
}

/// Fills free seats from the waitlist, first in line first. Runs under the activity's lock.
pub(crate) async fn promote_waiting(
    tx: &TenantTx,
    a: &activity::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if a.cancelled_at.is_some() {
        return Ok(());
    }
    let free = match a.capacity {
        Some(cap) => u64::try_from(cap - a.confirmed_count).unwrap_or(0),
        None => 1_000_000,
    };
    if free == 0 {
        return Ok(());
    }
    let next = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::State.eq(SignupState::Waitlisted.as_str()))
        .order_by_asc(activity_signup::Column::QueueNo)
        .limit(free)
        .all(tx)
        .await?;
    if next.is_empty() {
        return Ok(());
    }
    let promoted = next.len() as i32;
    tx.update_many::<activity_signup::Entity>()
        .col_expr(
            activity_signup::Column::State,
            Expr::value(SignupState::Confirmed.as_str()),
        )
        .col_expr(activity_signup::Column::PromotedAt, Expr::value(now))
        .filter(activity_signup::Column::Id.is_in(next.iter().map(|s| s.id)))
        .exec(tx)
        .await?;
    let mut seats: activity::ActiveModel = a.clone().into();
    seats.confirmed_count = Set(a.confirmed_count + promoted);
    seats.update_in(tx).await?;
    let members: Vec<Uuid> = next.iter().map(|s| s.member_id).collect();
    super::reminders::promoted(tx, a, &members, now).await
}
