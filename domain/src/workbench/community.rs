//! A community's staff: 双报到 reports and members' changes to decide, members out of contact,
//! needs unclaimed past the limit, today's activities, members' leave from meetings to decide,
//! minutes owed, resolutions due this week or overdue, notices to confirm (the street's to its
//! communities' staff), unread messages. A 支部书记 (who works in a branch, not in the
//! community's co-construction or roster decisions) gets today's activities, their branch's
//! leave to decide and their messages.
use chrono::{DateTime, Duration, NaiveTime, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::{untaken, Waiting, Work, DUE_SOON_DAYS};
use crate::activities;
use crate::auth::Principal;
use crate::clock::{from_china, CHINA};
use crate::coop;
use crate::db::Db;
use crate::entities::{activity, member, member_proposal, member_report};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NodeKind, ProposalStatus, ReportStatus, ResolutionStatus, Role, Status};
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantTx};

pub async fn community_staff(
    db: &Db,
    principal: &Principal,
    community: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Waiting>> {
    let node = db.node(community).await?.ok_or(DomainError::NotFound)?;
    let scope = principal.tenant_scope(db, community).await?;
    if node.kind != NodeKind::Community || !scope.role().manages() {
        return Err(DomainError::Forbidden);
    }
    let keeper = scope.role() != Role::BranchSecretary;
    // Kept until something is written in the community (or for seconds): every visit of its
    // staff's home reads it.
    let key = NodeRead {
        node: community,
        what: "workbench.staff",
        whom: Some((scope.branch_id().unwrap_or(community), scope.role())),
        day: now.with_timezone(&CHINA).date_naive(),
    };
    let mut out = db
        .kept(key, async {
            let tx = scope.read(db).await?;
            let mut out = Vec::new();
            // Only the secretary decides a 双报到 report.
            if scope.role() == Role::CommunitySecretary {
                let pending = reports_pending(&tx).await?;
                out.push(Waiting::new(Work::ReportsToConfirm, pending));
            }
            if keeper {
                let open = proposals_open(&tx).await?;
                out.push(Waiting::new(Work::ProposalsToReview, open));
                out.push(Waiting::new(Work::LostContact, lost_contact(&tx).await?));
            }
            let today = activities_today(&tx, now).await?;
            out.push(Waiting::new(Work::ActivitiesToday, today));
            out.push(Waiting::new(
                Work::LeaveToDecide,
                leave_to_decide(&tx, now).await?,
            ));
            tx.commit().await?;
            Ok(out)
        })
        .await?;
    if keeper {
        out.extend(coop_work(db, principal, community, now).await?);
    }
    // What the street sent its communities' staff, asking for 确认收到.
    out.push(super::to_confirm_at(db, principal, &scope, now).await?);
    out.push(super::unread_at(db, principal, community).await?);
    Ok(out)
}

async fn reports_pending(tx: &TenantTx) -> DomainResult<u64> {
    tx.find::<member_report::Entity>()
        .filter(member_report::Column::Status.eq(ReportStatus::Pending))
        .count(tx)
        .await
}

async fn proposals_open(tx: &TenantTx) -> DomainResult<u64> {
    tx.find::<member_proposal::Entity>()
        .filter(member_proposal::Column::Status.eq(ProposalStatus::Open))
        .count(tx)
        .await
}

async fn lost_contact(tx: &TenantTx) -> DomainResult<u64> {
    tx.find::<member::Entity>()
        .filter(member::Column::Status.eq(Status::LostContact.as_str()))
        .count(tx)
        .await
}

/// Activities starting today, China time, not cancelled, of those the viewer's activity list
/// shows (a 支部书记: their branch's).
async fn activities_today(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<u64> {
    let today = now.with_timezone(&CHINA).date_naive();
    let start = from_china(today.and_time(NaiveTime::MIN));
    tx.find::<activity::Entity>()
        .filter(activity::Column::StartsAt.gte(start))
        .filter(activity::Column::StartsAt.lt(start + Duration::days(1)))
        .filter(activity::Column::CancelledAt.is_null())
        .filter(activities::own_unit_only(tx))
        .count(tx)
        .await
}

/// Leave requests waiting for a decision (`activities::leave_asked`), from meetings not
/// cancelled that end after `LEAVE_LOOKS_BACK` before now, of those the viewer's activity list
/// shows (a 支部书记: their branch's). Decided even after the meeting (its attendance cannot
/// be finished before), but not forever: the meetings read stay few.
async fn leave_to_decide(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<u64> {
    let meetings: Vec<Uuid> = tx
        .find::<activity::Entity>()
        .filter(activity::Column::EndsAt.gt(now - LEAVE_LOOKS_BACK))
        .filter(activity::Column::CancelledAt.is_null())
        .filter(activities::own_unit_only(tx))
        .select_only()
        .column(activity::Column::Id)
        .into_tuple::<Uuid>()
        .all(tx)
        .await?;
    if meetings.is_empty() {
        return Ok(0);
    }
    let asked = activities::leave_asked(tx, meetings).await?;
    Ok(asked.values().map(|n| u64::try_from(*n).unwrap_or(0)).sum())
}

/// How far back `leave_to_decide` looks for meetings.
const LEAVE_LOOKS_BACK: Duration = Duration::days(60);

/// From the street's co-construction space, the community's part: its needs past the limit,
/// minutes owed, resolutions due within the week or past due.
async fn coop_work(
    db: &Db,
    principal: &Principal,
    community: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Waiting>> {
    let today = now.with_timezone(&CHINA).date_naive();
    let scope = match principal.coop_scope(db, community).await {
        Ok(scope) => scope,
        // A community not under a street has no co-construction space.
        Err(DomainError::Forbidden) => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let todo = coop::todo_of(db, &scope, today).await?;
    // Kept until something is written in the street's co-construction space.
    let key = scope.kept_read("workbench.community", today);
    let (unclaimed, due_soon) = db
        .kept(key, async {
            let tx = scope.read(db).await?;
            let needs = coop::needs(&tx).await?;
            // Past the limit, not handed to the street (it is on the street's workbench then).
            let past_limit = needs
                .iter()
                .filter(|n| {
                    n.community_id == community && n.flagged(today) && n.escalated_on.is_none()
                })
                .collect();
            let unclaimed = untaken(&tx, past_limit).await?.len();
            let resolutions = coop::resolutions(&tx, today).await?;
            tx.commit().await?;
            let soon = today + Duration::days(DUE_SOON_DAYS);
            let due_soon = resolutions
                .iter()
                .filter(|r| {
                    matches!(
                        r.status,
                        ResolutionStatus::NotStarted | ResolutionStatus::InProgress
                    ) && r.due_on < soon
                })
                .count();
            Ok((unclaimed, due_soon))
        })
        .await?;
    Ok(vec![
        Waiting::new(Work::NeedsUnclaimed, unclaimed),
        Waiting::new(Work::MinutesOwed, todo.minutes_owed),
        Waiting::new(Work::ResolutionsDueSoon, due_soon),
        Waiting::new(Work::ResolutionsOverdue, todo.overdue),
    ])
}
