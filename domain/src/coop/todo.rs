//! What waits on the viewer in the co-construction space, for their home page: minutes owed on
//! meetings they convene, and overdue resolutions they follow or answer for.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::convening::convened_meetings;
use super::meetings::minutes_owed;
use super::resolutions::{followed, shown_status, ResolutionStatus};
use super::{CoopScope, CoopTx};
use crate::db::Db;
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

/// `todo` for the scope's viewer, read in its own transaction and kept in memory until
/// something is written in the street's co-construction space (or the day turns): it is on
/// every home page of the street's and its communities' staff.
pub async fn todo_of(db: &Db, scope: &CoopScope, today: NaiveDate) -> DomainResult<CoopTodo> {
    db.kept(scope.kept_read("coop.todo", today), async {
        let tx = scope.read(db).await?;
        let todo = todo(&tx, today).await?;
        tx.commit().await?;
        Ok(todo)
    })
    .await
}

/// Two statements: the meetings the viewer convenes, and the resolutions they follow.
pub async fn todo(tx: &CoopTx, today: NaiveDate) -> DomainResult<CoopTodo> {
    let convened = convened_meetings(tx).await?;
    let minutes_owed = convened
        .iter()
        .filter(|m| minutes_owed(m.held_on, m.minutes_on, today))
        .count();
    let followed = followed(tx, convened.iter().map(|m| m.id).collect()).await?;
    let overdue = followed
        .iter()
        .filter(|r| shown_status(r, today) == ResolutionStatus::Overdue)
        .count();
    Ok(CoopTodo {
        minutes_owed,
        overdue,
    })
}
