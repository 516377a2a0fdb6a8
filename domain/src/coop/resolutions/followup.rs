//! 督办: the overdue list and the completion rate (办结率 = closed ÷ all) of the resolutions the
//! viewer follows, over all, per meeting, per community and per unit.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{resolutions, OwnerKind, Resolution, ResolutionStatus};
use crate::coop::CoopTx;
use crate::error::DomainResult;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub done: usize,
    pub total: usize,
}

impl Completion {
    pub fn of(resolutions: &[Resolution]) -> Completion {
        Completion {
            done: resolutions
                .iter()
                .filter(|r| r.status == ResolutionStatus::Done)
                .count(),
            total: resolutions.len(),
        }
    }

    /// Whole percent, rounded half up; none without resolutions.
    pub fn percent(self) -> Option<usize> {
        (self.total > 0).then(|| (self.done * 200 + self.total) / (self.total * 2))
    }
}

/// One row of a rate table: a meeting, community or unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    pub id: Uuid,
    pub name: String,
    pub completion: Completion,
    pub overdue: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followup {
    pub overall: Completion,
    pub overdue: Vec<Resolution>,
    pub by_meeting: Vec<RateRow>,
    pub by_community: Vec<RateRow>,
    pub by_unit: Vec<RateRow>,
    /// Every resolution followed, soonest due first.
    pub all: Vec<Resolution>,
}

fn rows_by(
    all: &[Resolution],
    key: impl Fn(&Resolution) -> Option<(Uuid, String)>,
) -> Vec<RateRow> {
    let mut rows: Vec<RateRow> = Vec::new();
    for r in all {
        let Some((id, name)) = key(r) else { continue };
        let at = match rows.iter().position(|row| row.id == id) {
            Some(at) => at,
            None => {
                rows.push(RateRow {
                    id,
                    name,
                    completion: Completion::default(),
                    overdue: 0,
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[at];
        row.completion.total += 1;
        match r.status {
            ResolutionStatus::Done => row.completion.done += 1,
            ResolutionStatus::Overdue => row.overdue += 1,
            _ => {}
        }
    }
    rows
}

pub async fn followup(tx: &CoopTx, today: NaiveDate) -> DomainResult<Followup> {
    let all = resolutions(tx, today).await?;
    let owned_by = |kind: OwnerKind| {
        move |r: &Resolution| {
            (r.owner_kind == kind)
                .then(|| r.owner_id.map(|id| (id, r.owner_name.clone())))
                .flatten()
        }
    };
    let mut by_meeting = rows_by(&all, |r| Some((r.meeting_id, r.meeting_title.clone())));
    by_meeting.sort_by_key(|row| {
        std::cmp::Reverse(
            all.iter()
                .find(|r| r.meeting_id == row.id)
                .map(|r| r.held_on),
        )
    });
    let mut by_community = rows_by(&all, owned_by(OwnerKind::Community));
    let mut by_unit = rows_by(&all, owned_by(OwnerKind::Unit));
    crate::collate::sort_by_label(&mut by_community, |c| &c.name);
    crate::collate::sort_by_label(&mut by_unit, |u| &u.name);
    Ok(Followup {
        overall: Completion::of(&all),
        overdue: all
            .iter()
            .filter(|r| r.status == ResolutionStatus::Overdue)
            .cloned()
            .collect(),
        by_meeting,
        by_community,
        by_unit,
        all,
    })
}

#[cfg(test)]
mod tests {
    use super::Completion;

    #[test]
    fn percent_rounds_half_up_and_is_none_without_resolutions() {
        let rate = |done, total| Completion { done, total }.percent();
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, 3), Some(33));
        assert_eq!(rate(2, 3), Some(67));
        assert_eq!(rate(1, 8), Some(13));
        assert_eq!(rate(4, 4), Some(100));
    }
}
