//! Keeping a branch's 民主评议: grading its members (a draft until decided), recording the
//! branch's decision, and reopening a decided review to correct it (audited).
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{branch_in_reach, check_year, season_meetings, ReviewGrade};
use crate::activities::{branch_members, lock_branch};
use crate::audit::{self, AuditEvent};
use crate::changes::Change;
use crate::entities::{branch_review, member_review};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{Row, TenantTx};
use crate::validate::{optional_text, parse_id, plain_date};

/// The branch's decision as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    /// The 组织生活会 it followed (empty: none recorded here).
    pub meeting: String,
    /// The day the branch decided, `2027-01-20`.
    pub decided_on: String,
    /// The decision as minuted (支部决定).
    pub decision: String,
}

/// The branch's review of `year`, locked for this transaction (created when missing).
async fn open(tx: &TenantTx, branch: Uuid, year: i32) -> DomainResult<branch_review::Model> {
    // Writers of one branch's review go one after the other.
    lock_branch(tx, branch).await?;
    let found = tx
        .find::<branch_review::Entity>()
        .filter(branch_review::Column::BranchId.eq(branch))
        .filter(branch_review::Column::Year.eq(year))
        .one(tx)
        .await?;
    match found {
        Some(review) => Ok(review),
        None => Ok(branch_review::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(Uuid::now_v7()),
            branch_id: Set(branch),
            year: Set(year),
            meeting_id: Set(None),
            decided_on: Set(None),
            decision: Set(String::new()),
        }
        .insert_in(tx)
        .await?),
    }
}

/// Grades at most this many members in one save (a branch's members, with room to spare).
pub const GRADES_MAX: usize = 500;

/// Grades members of the branch for `year` (a grade empty: clears theirs), while the review is
/// not decided. All or nothing: one grade refused, none is kept.
pub async fn grade_members(
    tx: &TenantTx,
    branch: Uuid,
    year: i32,
    grades: &[(Uuid, String)],
    today: NaiveDate,
) -> DomainResult<()> {
    branch_in_reach(tx, branch).await?;
    check_year(year, today)?;
    if grades.len() > GRADES_MAX {
        return Err(DomainError::invalid("review_member", "too_many"));
    }
    let review = open(tx, branch, year).await?;
    if review.decided_on.is_some() {
        return Err(DomainError::invalid("review", "decided_by_branch"));
    }
    let members: Vec<Uuid> = branch_members(tx, branch)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let graded: HashMap<Uuid, member_review::Model> = tx
        .find::<member_review::Entity>()
        .filter(member_review::Column::Year.eq(year))
        .filter(member_review::Column::MemberId.is_in(grades.iter().map(|g| g.0)))
        .all(tx)
        .await?
        .into_iter()
        .map(|g| (g.member_id, g))
        .collect();
    // Every grade checked before any is written.
    let mut checked = Vec::with_capacity(grades.len());
    for (member, grade) in grades {
        let grade = match grade.trim() {
            "" => None,
            g => Some(
                ReviewGrade::parse(g)
                    .ok_or_else(|| DomainError::invalid("review_grade", "not_in_list"))?,
            ),
        };
        let existing = graded.get(member);
        if existing.is_some_and(|g| g.review_id != review.id) {
            return Err(DomainError::invalid("review_member", "graded_elsewhere"));
        }
        // Its members now, or one it graded who has since moved away (to clear or correct).
        if !members.contains(member) && existing.is_none() {
            return Err(DomainError::invalid("review_member", "not_in_branch"));
        }
        if checked.iter().any(|(m, _, _)| m == member) {
            return Err(DomainError::invalid("review_member", "repeated"));
        }
        checked.push((*member, existing, grade));
    }
    for (member, existing, grade) in checked {
        match (existing, grade) {
            (Some(row), Some(grade)) if row.grade != grade => {
                let mut active: member_review::ActiveModel = row.clone().into();
                active.grade = Set(grade);
                active.update_in(tx).await?;
            }
            (Some(row), None) => {
                tx.delete::<member_review::Entity>()
                    .filter(member_review::Column::Id.eq(row.id))
                    .exec(tx)
                    .await?;
            }
            (None, Some(grade)) => {
                member_review::ActiveModel {
                    tenant_id: Set(tx.tenant_id()),
                    id: Set(Uuid::now_v7()),
                    review_id: Set(review.id),
                    year: Set(year),
                    member_id: Set(member),
                    grade: Set(grade),
                }
                .insert_in(tx)
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Records the branch's decision on its review of `year` (or corrects the decision's date,
/// meeting and text): from then on its grades stand and reach the street's figures.
pub async fn decide_review(
    tx: &TenantTx,
    branch: Uuid,
    year: i32,
    input: &ReviewInput,
    today: NaiveDate,
) -> DomainResult<()> {
    branch_in_reach(tx, branch).await?;
    check_year(year, today)?;
    let decided_on = plain_date("review_decided_on", &input.decided_on)?;
    if decided_on > today {
        return Err(DomainError::invalid("review_decided_on", "in_future"));
    }
    if ![year, year + 1].contains(&chrono::Datelike::year(&decided_on)) {
        return Err(DomainError::invalid("review_decided_on", "out_of_range"));
    }
    let decision = optional_text("review_decision", &input.decision, 2000)?.unwrap_or_default();
    let meeting = match input.meeting.trim() {
        "" => None,
        id => {
            let id =
                parse_id(id).map_err(|_| DomainError::invalid("review_meeting", "not_found"))?;
            let meetings = season_meetings(tx, branch, year).await?;
            let Some(meeting) = meetings.iter().find(|a| a.id == id) else {
                return Err(DomainError::invalid("review_meeting", "not_found"));
            };
            // The decision follows the meeting.
            if meeting
                .starts_at
                .with_timezone(&crate::clock::CHINA)
                .date_naive()
                > decided_on
            {
                return Err(DomainError::invalid("review_meeting", "after_decision"));
            }
            Some(id)
        }
    };
    let review = open(tx, branch, year).await?;
    let graded = tx
        .find::<member_review::Entity>()
        .filter(member_review::Column::ReviewId.eq(review.id))
        .count(tx)
        .await?;
    if graded == 0 {
        return Err(DomainError::invalid("review", "nobody_graded"));
    }
    let mut active: branch_review::ActiveModel = review.into();
    active.decided_on = Set(Some(decided_on));
    active.meeting_id = Set(meeting);
    active.decision = Set(decision);
    active.update_in(tx).await?;
    tx.record(Change::Reviews);
    Ok(())
}

/// Reopens a decided review to correct its grades (audited: a decided result was changed).
pub async fn reopen_review(
    tx: &TenantTx,
    branch: Uuid,
    year: i32,
    today: NaiveDate,
) -> DomainResult<()> {
    branch_in_reach(tx, branch).await?;
    check_year(year, today)?;
    let review = open(tx, branch, year).await?;
    if review.decided_on.is_none() {
        return Err(DomainError::invalid("review", "not_decided"));
    }
    let mut active: branch_review::ActiveModel = review.into();
    active.decided_on = Set(None);
    active.update_in(tx).await?;
    audit::record(
        tx,
        AuditEvent::new("review_reopened", branch.to_string())
            .actor(Some(tx.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(serde_json::json!({ "year": year })),
    )
    .await?;
    tx.record(Change::Reviews);
    Ok(())
}
