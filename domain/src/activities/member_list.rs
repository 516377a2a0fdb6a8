//! A member's activity list. The community's activities not yet ended, as any member sees them
//! before their own signups are added, are kept (`Db::kept`) until anything is written in the
//! community, at most 5 s; each member's page then reads only what is theirs: their record,
//! their signups, and what their audience depends on.
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::ColumnTrait;

use super::list::{held_by, mine_of, shown, Activity};
use super::own_member;
use super::signup::AudienceOf;
use crate::entities::activity;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantScope};
use crate::Db;

/// An activity not yet ended when read: its row (what decides who may see it) and how it is
/// shown (no one's own signup in it).
struct Coming {
    row: activity::Model,
    shown: Activity,
}

/// The activities open to the signed-in member that have not ended, and any they hold a signup
/// for (a cancelled one included): what `activities::activities` gives a member.
pub async fn member_activities(
    db: &Db,
    scope: &TenantScope,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Activity>> {
    if scope.role() != Role::Member {
        return Err(DomainError::Forbidden);
    }
    // Read before the member's own transaction: a request never holds two connections.
    let coming = coming(db, scope, now).await?;
    let tx = scope.read(db).await?;
    let me = own_member(&tx).await?;
    let held = held_by(&tx, &me).await?;
    let mut audience = AudienceOf::new(&me);
    let mut listed = Vec::new();
    for c in coming.iter().filter(|c| c.row.ends_at > now) {
        let mine = held.iter().any(|s| s.activity_id == c.row.id);
        if mine || (c.row.cancelled_at.is_none() && audience.admits(&tx, &c.row).await?) {
            let mut shown = c.shown.clone();
            shown.mine = mine_of(&tx, c.row.id, (&me, &held)).await?;
            listed.push(shown);
        }
    }
    tx.commit().await?;
    Ok(listed)
}

/// The community's activities not yet ended, soonest first, kept for its members.
async fn coming(
    db: &Db,
    scope: &TenantScope,
    now: DateTime<Utc>,
) -> DomainResult<Arc<Vec<Coming>>> {
    let key = NodeRead {
        node: scope.tenant_id(),
        what: "activities.coming",
        // The same for every member: what a member may see is decided per request above.
        whom: Some((scope.tenant_id(), Role::Member)),
        day: now.with_timezone(&crate::clock::CHINA).date_naive(),
    };
    db.kept(key, async {
        let tx = scope.read(db).await?;
        let rows = tx
            .find::<activity::Entity>()
            .filter(activity::Column::EndsAt.gt(now))
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .all(&tx)
            .await?;
        let shown = shown(&tx, rows.clone(), None).await?;
        tx.commit().await?;
        Ok(Arc::new(
            rows.into_iter()
                .zip(shown)
                .map(|(row, shown)| Coming { row, shown })
                .collect(),
        ))
    })
    .await
}
