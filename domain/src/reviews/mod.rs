//! 组织生活会 and 民主评议党员: once a year each grid branch holds its 组织生活会 (a branch
//! meeting kept by roll like 三会一课), grades each of its members 优秀 / 合格 / 基本合格 /
//! 不合格, and records its decision. Until decided the grades are a draft the branch may change;
//! once decided they stand (reopened only to correct them) and reach the street as counts per
//! grade — never names (`rollup::reviews`). Kept by the community's staff and by a 支部书记 for
//! their branch; a member is graded once a year in the community, whichever branch they were in.
mod record;

pub use record::{decide_review, grade_members, reopen_review, ReviewInput, GRADES_MAX};

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, Condition};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::activities::branch_members;
use crate::entities::{activity, branch_review, community_unit, member, member_review};
use crate::error::{DomainError, DomainResult};
pub use crate::kinds::ReviewGrade;
use crate::kinds::{ActivityKind, PartyStanding, PlacementKind};
use crate::members::reach;
use crate::tenancy::TenantTx;

/// How many of each grade, in `ReviewGrade::ALL` order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeCounts(pub [u32; 4]);

impl GradeCounts {
    fn add(&mut self, grade: ReviewGrade) {
        if let Some(i) = ReviewGrade::ALL.iter().position(|g| *g == grade) {
            self.0[i] += 1;
        }
    }

    pub fn of(&self, grade: ReviewGrade) -> u32 {
        ReviewGrade::ALL
            .iter()
            .position(|g| *g == grade)
            .map_or(0, |i| self.0[i])
    }

    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }
}

/// A branch's review of the year as the community's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSummary {
    pub branch_id: Uuid,
    pub name: String,
    /// Its members to be graded now (Party relation here, on the active roster).
    pub members: u32,
    pub grades: GradeCounts,
    pub decided_on: Option<NaiveDate>,
}

/// A branch's 组织生活会 of the review's season, to link the review to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewMeeting {
    pub id: Uuid,
    pub title: String,
    /// The day it was held, in China.
    pub day: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPerson {
    pub member_id: Uuid,
    pub name: String,
    pub standing: PartyStanding,
    pub grade: Option<ReviewGrade>,
    /// Graded this year in another branch (before moving here): not this branch's to grade,
    /// nor its grade to show.
    pub elsewhere: bool,
}

/// One branch's 民主评议 of a year: its meeting, decision and each member's grade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchReview {
    pub branch_id: Uuid,
    pub name: String,
    pub year: i32,
    pub meeting_id: Option<Uuid>,
    /// The branch's 组织生活会 that may be linked (held in the year or the next).
    pub meetings: Vec<ReviewMeeting>,
    pub decided_on: Option<NaiveDate>,
    pub decision: String,
    pub people: Vec<ReviewPerson>,
    pub grades: GradeCounts,
}

/// The years a review may be kept for on `today`: this year's, and last year's (reviewed early
/// in the next, as is usual).
pub fn review_years(today: NaiveDate) -> [i32; 2] {
    [today.year(), today.year() - 1]
}

/// The year a review page opens on: last year's in the first quarter (the usual season),
/// this year's after.
pub fn default_year(today: NaiveDate) -> i32 {
    if today.month() <= 3 {
        today.year() - 1
    } else {
        today.year()
    }
}

pub(crate) fn check_year(year: i32, today: NaiveDate) -> DomainResult<()> {
    if review_years(today).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::invalid("review_year", "out_of_range"))
    }
}

/// The grid branch, if it is the community's and within the actor's reach (anyone else, or
/// a 支部书记 naming another branch: "not found").
pub(crate) async fn branch_in_reach(tx: &TenantTx, branch: Uuid) -> DomainResult<String> {
    if reach(tx).await?.branch().is_some_and(|own| own != branch) {
        return Err(DomainError::NotFound);
    }
    tx.find::<community_unit::Entity>()
        .filter(community_unit::Column::Id.eq(branch))
        .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
        .one(tx)
        .await?
        .map(|u| u.name)
        .ok_or(DomainError::NotFound)
}

/// The branches within reach with their review of `year`.
pub async fn reviews(
    tx: &TenantTx,
    year: i32,
    today: NaiveDate,
) -> DomainResult<Vec<ReviewSummary>> {
    let own = reach(tx).await?.branch();
    check_year(year, today)?;
    let branches = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
        .all(tx)
        .await?;
    let kept: BTreeMap<Uuid, branch_review::Model> = tx
        .find::<branch_review::Entity>()
        .filter(branch_review::Column::Year.eq(year))
        .all(tx)
        .await?
        .into_iter()
        .map(|r| (r.branch_id, r))
        .collect();
    let mut grades: BTreeMap<Uuid, GradeCounts> = BTreeMap::new();
    for g in tx
        .find::<member_review::Entity>()
        .filter(member_review::Column::Year.eq(year))
        .all(tx)
        .await?
    {
        grades.entry(g.review_id).or_default().add(g.grade);
    }
    let mut out = Vec::new();
    for b in branches {
        if own.is_some_and(|own| own != b.id) {
            continue;
        }
        let review = kept.get(&b.id);
        out.push(ReviewSummary {
            branch_id: b.id,
            members: branch_members(tx, b.id).await?.len() as u32,
            grades: review
                .and_then(|r| grades.get(&r.id).cloned())
                .unwrap_or_default(),
            decided_on: review.and_then(|r| r.decided_on),
            name: b.name,
        });
    }
    crate::collate::sort_by_label(&mut out, |b| &b.name);
    Ok(out)
}

/// The branch's 组织生活会 held (not cancelled) in `year` or the next.
pub(crate) async fn season_meetings(
    tx: &TenantTx,
    branch: Uuid,
    year: i32,
) -> DomainResult<Vec<activity::Model>> {
    let mut found: Vec<activity::Model> = tx
        .find::<activity::Entity>()
        .filter(activity::Column::Kind.eq(ActivityKind::OrgLifeMeeting.as_str()))
        .filter(activity::Column::BranchId.eq(branch))
        .filter(activity::Column::CancelledAt.is_null())
        .all(tx)
        .await?
        .into_iter()
        .filter(|a| [year, year + 1].contains(&crate::clock::local_month(a.starts_at).0))
        .collect();
    found.sort_by_key(|a| a.starts_at);
    Ok(found)
}

fn ungraded(m: member::Model) -> ReviewPerson {
    ReviewPerson {
        member_id: m.id,
        name: m.name,
        standing: m.standing,
        grade: None,
        elsewhere: false,
    }
}

/// One branch's review of `year`: who is to be graded (its members now, and whoever it graded
/// since moved away), their grades, its meeting and decision.
pub async fn branch_review(
    tx: &TenantTx,
    branch: Uuid,
    year: i32,
    today: NaiveDate,
) -> DomainResult<BranchReview> {
    let name = branch_in_reach(tx, branch).await?;
    check_year(year, today)?;
    let review = tx
        .find::<branch_review::Entity>()
        .filter(branch_review::Column::BranchId.eq(branch))
        .filter(branch_review::Column::Year.eq(year))
        .one(tx)
        .await?;
    let members = branch_members(tx, branch).await?;
    let graded = tx
        .find::<member_review::Entity>()
        .filter(member_review::Column::Year.eq(year))
        .filter(
            Condition::any()
                .add(member_review::Column::MemberId.is_in(members.iter().map(|m| m.id)))
                .add_option(
                    review
                        .as_ref()
                        .map(|r| member_review::Column::ReviewId.eq(r.id)),
                ),
        )
        .all(tx)
        .await?;
    let review_id = review.as_ref().map(|r| r.id);
    let mut grades = GradeCounts::default();
    let mut people: BTreeMap<Uuid, ReviewPerson> =
        members.into_iter().map(|m| (m.id, ungraded(m))).collect();
    let gone: Vec<Uuid> = graded
        .iter()
        .filter(|g| Some(g.review_id) == review_id && !people.contains_key(&g.member_id))
        .map(|g| g.member_id)
        .collect();
    for m in tx
        .find::<member::Entity>()
        .filter(member::Column::Id.is_in(gone))
        .all(tx)
        .await?
    {
        people.insert(m.id, ungraded(m));
    }
    for g in &graded {
        if let Some(p) = people.get_mut(&g.member_id) {
            // Another branch's grade is that branch's to show.
            p.elsewhere = Some(g.review_id) != review_id;
            if !p.elsewhere {
                p.grade = Some(g.grade);
                grades.add(g.grade);
            }
        }
    }
    let mut people: Vec<ReviewPerson> = people.into_values().collect();
    people.sort_by_cached_key(|p| {
        (
            crate::collate::name_key(&p.name),
            p.name.clone(),
            p.member_id,
        )
    });
    let meetings = season_meetings(tx, branch, year)
        .await?
        .into_iter()
        .map(|a| ReviewMeeting {
            id: a.id,
            title: a.title,
            day: a.starts_at.with_timezone(&crate::clock::CHINA).date_naive(),
        })
        .collect();
    Ok(BranchReview {
        branch_id: branch,
        name,
        year,
        meeting_id: review.as_ref().and_then(|r| r.meeting_id),
        meetings,
        decided_on: review.as_ref().and_then(|r| r.decided_on),
        decision: review.map(|r| r.decision).unwrap_or_default(),
        people,
        grades,
    })
}
