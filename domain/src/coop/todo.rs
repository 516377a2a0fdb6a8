//! What waits on the viewer in the co-construction space, for their home page: minutes owed on
//! meetings they convene, and overdue resolutions they follow or answer for.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::meetings::meetings;
use super::resolutions::{resolutions, ResolutionStatus};
use super::{CoopTx, Viewer};
use crate::error::DomainResult;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopTodo {
    pub minutes_owed: usize,
    pub overdue: usize,
}

impl CoopTodo {
    pub fn is_empty(self) -> bool {
        self.minutes_owed == 0 && self.overdue == 0
    }
}

pub async fn todo(tx: &CoopTx, today: NaiveDate) -> DomainResult<CoopTodo> {
    let minutes_owed = match tx.viewer() {
        Viewer::Unit(_) => 0,
        _ => meetings(tx)
            .await?
            .iter()
            .filter(|m| m.convening && m.needs_minutes(today))
            .count(),
    };
    let overdue = resolutions(tx, today)
        .await?
        .iter()
        .filter(|r| r.status == ResolutionStatus::Overdue)
        .count();
    Ok(CoopTodo {
        minutes_owed,
        overdue,
    })
}
