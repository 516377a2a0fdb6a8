//! A unit's liaison: micro-wishes and needs their unit claimed and has yet to deliver, its
//! projects under way, the resolutions it answers for that are still open (and of those, past
//! due), and their unread messages.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Waiting, Work};
use crate::auth::Principal;
use crate::clock::CHINA;
use crate::coop::{self, Viewer};
use crate::db::Db;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NeedStatus, ProjectStatus, ResolutionStatus};

pub async fn liaison(
    db: &Db,
    principal: &Principal,
    street: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Waiting>> {
    let today = now.with_timezone(&CHINA).date_naive();
    let scope = principal.coop_scope(db, street).await?;
    let Viewer::Unit(unit) = scope.viewer() else {
        return Err(DomainError::Forbidden);
    };
    // Kept per unit until something is written in the street's co-construction space.
    let (claims, under_way, open, overdue) = db
        .kept(scope.kept_read("workbench.unit", today), async {
            let tx = scope.read(db).await?;
            let needs = coop::needs(&tx).await?;
            let projects = coop::projects(&tx, today).await?;
            let resolutions = coop::resolutions(&tx, today).await?;
            tx.commit().await?;
            let claims = needs
                .iter()
                .filter(|n| n.mine && n.status == NeedStatus::Claimed)
                .count();
            let under_way = projects
                .iter()
                .filter(|p| p.owner_unit.0 == unit && p.status != ProjectStatus::Done)
                .count();
            let ours = resolutions
                .iter()
                .filter(|r| r.owner_id == Some(unit) && r.status != ResolutionStatus::Done);
            let (open, overdue) = ours.fold((0u64, 0u64), |(open, overdue), r| {
                let late = u64::from(r.status == ResolutionStatus::Overdue);
                (open + 1, overdue + late)
            });
            Ok((claims, under_way, open, overdue))
        })
        .await?;
    Ok(vec![
        Waiting::new(Work::WishesToDeliver, claims),
        Waiting::new(Work::UnitProjects, under_way),
        Waiting::new(Work::UnitResolutions, open),
        Waiting::new(Work::ResolutionsOverdue, overdue),
        super::unread_at(db, principal, street).await?,
    ])
}
