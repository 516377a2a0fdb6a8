//! 工作台: what waits for a person on their home page, as counts, each read where that work is
//! kept (the roster and 双报到, activities, the co-construction space, the message centre) and
//! linked by the page to the list that holds it. One function per kind of home: a community's
//! staff (`community`), a member (`member`), a street's staff (`street`), a unit's liaison
//! (`liaison`). Each checks the role itself; a count it may not read is not shown.
mod community;
mod liaison;
mod member;
mod street;

use std::collections::HashSet;

use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::coop::{CoopTx, Need};
use crate::entities::coop_project;
use crate::error::DomainResult;
use crate::kinds::NeedStatus;

pub use community::community_staff;
pub use liaison::liaison;
pub use member::member;
pub use street::street_staff;

/// A kind of work waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Work {
    /// 双报到 reports waiting for the community to confirm.
    ReportsToConfirm,
    /// Members' proposed changes to their own details.
    ProposalsToReview,
    /// Members marked 失联.
    LostContact,
    /// Needs nobody claimed within the community's limit.
    NeedsUnclaimed,
    /// Activities that start today (China time), not cancelled.
    ActivitiesToday,
    /// Members' leave requests from meetings, not yet decided.
    LeaveToDecide,
    /// Joint meetings held without minutes.
    MinutesOwed,
    /// Resolutions followed that fall due within seven days.
    ResolutionsDueSoon,
    /// Resolutions followed that are past due.
    ResolutionsOverdue,
    /// Messages not yet read.
    Unread,
    /// Notices asking to be confirmed (确认收到) and not yet.
    NoticesToConfirm,
    /// The member's seats in activities still to come.
    MyActivities,
    /// The member's places on waitlists.
    MyWaitlist,
    /// Micro-wishes the member (or the unit) claimed and has not yet delivered.
    WishesToDeliver,
    /// Needs the communities escalated to the street, unclaimed.
    NeedsEscalated,
    /// Notices of the street's, not yet read by their recipients (last 30 days).
    NoticesUnread,
    /// The unit's projects under way.
    UnitProjects,
    /// Resolutions the unit answers for, still open.
    UnitResolutions,
}

impl Work {
    /// The code the page's label and link are found by.
    pub fn as_str(self) -> &'static str {
        match self {
            Work::ReportsToConfirm => "reports_to_confirm",
            Work::ProposalsToReview => "proposals_to_review",
            Work::LostContact => "lost_contact",
            Work::NeedsUnclaimed => "needs_unclaimed",
            Work::ActivitiesToday => "activities_today",
            Work::LeaveToDecide => "leave_to_decide",
            Work::MinutesOwed => "minutes_owed",
            Work::ResolutionsDueSoon => "resolutions_due_soon",
            Work::ResolutionsOverdue => "resolutions_overdue",
            Work::Unread => "unread",
            Work::NoticesToConfirm => "notices_to_confirm",
            Work::MyActivities => "my_activities",
            Work::MyWaitlist => "my_waitlist",
            Work::WishesToDeliver => "wishes_to_deliver",
            Work::NeedsEscalated => "needs_escalated",
            Work::NoticesUnread => "notices_unread",
            Work::UnitProjects => "unit_projects",
            Work::UnitResolutions => "unit_resolutions",
        }
    }

    pub const ALL: &'static [Work] = &[
        Work::ReportsToConfirm,
        Work::ProposalsToReview,
        Work::LostContact,
        Work::NeedsUnclaimed,
        Work::ActivitiesToday,
        Work::LeaveToDecide,
        Work::MinutesOwed,
        Work::ResolutionsDueSoon,
        Work::ResolutionsOverdue,
        Work::Unread,
        Work::NoticesToConfirm,
        Work::MyActivities,
        Work::MyWaitlist,
        Work::WishesToDeliver,
        Work::NeedsEscalated,
        Work::NoticesUnread,
        Work::UnitProjects,
        Work::UnitResolutions,
    ];
}

/// One line of the workbench: how much of a kind of work waits, and (for a street) how it
/// falls on its communities, most first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub work: Work,
    pub count: u64,
    pub by_community: Vec<(String, u64)>,
}

impl Waiting {
    fn new(work: Work, count: impl TryInto<u64>) -> Waiting {
        Waiting {
            work,
            count: count.try_into().unwrap_or(u64::MAX),
            by_community: Vec::new(),
        }
    }
}

/// The seven days from `today` on, for "due this week".
const DUE_SOON_DAYS: i64 = 7;

/// Of `needs`, those still waiting for someone to take them up: open (nobody claimed them) and
/// answered by no project.
async fn untaken<'a>(tx: &CoopTx, needs: Vec<&'a Need>) -> DomainResult<Vec<&'a Need>> {
    let open: Vec<&Need> = needs
        .into_iter()
        .filter(|n| n.status == NeedStatus::Open)
        .collect();
    if open.is_empty() {
        return Ok(open);
    }
    let served: HashSet<Uuid> = tx
        .tx()
        .find::<coop_project::Entity>()
        .filter(coop_project::Column::NeedId.is_in(open.iter().map(|n| n.id)))
        .all(tx.tx())
        .await?
        .into_iter()
        .filter_map(|p| p.need_id)
        .collect();
    Ok(open
        .into_iter()
        .filter(|n| !served.contains(&n.id))
        .collect())
}

/// The person's unread messages at `node`: the header's count, kept per person, so the
/// workbench's line costs no statement of its own.
async fn unread_at(
    db: &crate::db::Db,
    principal: &crate::auth::Principal,
    node: Uuid,
) -> DomainResult<Waiting> {
    let unread = crate::notices::unread_everywhere(db, principal).await?;
    let here = unread.iter().find(|(at, _)| *at == node);
    Ok(Waiting::new(Work::Unread, here.map_or(0, |(_, n)| *n)))
}

/// The notices the person was asked to confirm at `scope`'s node and has not: kept per person
/// until something is written there (a confirmation, a notice delivered).
async fn to_confirm_at(
    db: &crate::db::Db,
    principal: &crate::auth::Principal,
    scope: &crate::tenancy::TenantScope,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Waiting> {
    let key = crate::tenancy::recent::NodeRead {
        node: scope.tenant_id(),
        what: "workbench.to_confirm",
        whom: Some((principal.user_id, scope.role())),
        day: now.with_timezone(&crate::clock::CHINA).date_naive(),
    };
    let asked = db
        .kept_personal(key, crate::notices::to_confirm(db, scope))
        .await?;
    Ok(Waiting::new(Work::NoticesToConfirm, asked))
}
