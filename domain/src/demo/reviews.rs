//! Last year's 民主评议 of the demo's branches: each held its 组织生活会 in January and decided
//! a few days later — about one member in six 优秀, one in twenty-five 基本合格, the rest 合格.
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::activities::{self, ActivityInput, ActivityKind, Audience};
use crate::error::DomainResult;
use crate::reviews::{self, ReviewInput};
use crate::tenancy::TenantTx;

pub(super) async fn seed_reviews(
    tx: &TenantTx,
    branches: &[(Uuid, String)],
    today: NaiveDate,
    next: &mut impl FnMut(usize) -> usize,
) -> DomainResult<()> {
    // Reviewed in the January after the year (none yet in the first weeks of a year).
    let year = today.year() - 1;
    let Some(decided_on) = NaiveDate::from_ymd_opt(today.year(), 1, 20).filter(|d| *d <= today)
    else {
        return Ok(());
    };
    for (branch, name) in branches {
        let day = format!("{}-01-15", today.year());
        let meeting = ActivityInput {
            kind: ActivityKind::OrgLifeMeeting.as_str().into(),
            title: format!("{name}{year}年度组织生活会"),
            venue: "社区党群服务中心".into(),
            starts_at: format!("{day}T09:00"),
            ends_at: format!("{day}T11:30"),
            audience: Audience::Branch.as_str().into(),
            branch: branch.to_string(),
            ..Default::default()
        };
        let meeting = activities::save_activity(tx, None, &meeting, chrono::Utc::now()).await?;
        let people = activities::branch_members(tx, *branch).await?;
        let grades: Vec<(Uuid, String)> = people
            .iter()
            .map(|m| {
                let grade = match next(150) {
                    0..25 => "excellent",
                    25..31 => "basically_qualified",
                    _ => "qualified",
                };
                (m.id, grade.to_owned())
            })
            .collect();
        if grades.is_empty() {
            continue;
        }
        reviews::grade_members(tx, *branch, year, &grades, today).await?;
        let decision = ReviewInput {
            meeting: meeting.to_string(),
            decided_on: decided_on.to_string(),
            decision: "经支部党员大会讨论，同意评定结果。".into(),
        };
        reviews::decide_review(tx, *branch, year, &decision, today).await?;
    }
    Ok(())
}
