//! A member's activity list and activity page. The community's activities not yet ended, as any
//! member sees them before their own signups are added, are kept (`Db::kept`) until anything is
//! written in the community, at most 5 s; each member's page then reads only what is theirs:
//! their record, their signups, and what their audience depends on.
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::list::{held_by, member_sees, mine_of, shown, Activity, Me};
use super::own_member;
use super::signup::AudienceOf;
use crate::entities::activity;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantScope, TenantTx};
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
        if let Some(seen) = as_seen(&tx, c, (&me, &held), &mut audience).await? {
            listed.push(seen);
        }
    }
    tx.commit().await?;
    Ok(listed)
}

/// One activity as the signed-in member sees it: what `activities::activity` gives a member
/// (`NotFound` for one ended, not open to them, or not the community's).
pub async fn member_activity(
    db: &Db,
    scope: &TenantScope,
    id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Activity> {
    if scope.role() != Role::Member {
        return Err(DomainError::Forbidden);
    }
    let coming = coming(db, scope, now).await?;
    let tx = scope.read(db).await?;
    let found = match coming
        .iter()
        .find(|c| c.row.id == id && c.row.ends_at > now)
    {
        Some(c) => {
            let me = own_member(&tx).await?;
            let held = held_by(&tx, &me).await?;
            as_seen(&tx, c, (&me, &held), &mut AudienceOf::new(&me))
                .await?
                .ok_or(DomainError::NotFound)
        }
        // Not among the kept (another process may have just added it): read as before.
        None => super::activity(&tx, id, now).await,
    };
    tx.commit().await?;
    found
}

/// `c` as the member sees it, if they may (`member_sees`).
async fn as_seen(
    tx: &TenantTx,
    c: &Coming,
    me: Me<'_>,
    audience: &mut AudienceOf<'_>,
) -> DomainResult<Option<Activity>> {
    if !member_sees(tx, &c.row, me.1, audience).await? {
        return Ok(None);
    }
    let mut seen = c.shown.clone();
    seen.mine = mine_of(tx, c.row.id, me).await?;
    Ok(Some(seen))
}

/// Read this long before `now`, so a request whose clock was read a moment before the one that
/// read the kept list still finds every activity it should (each request filters by its own).
const EARLIER: chrono::Duration = chrono::Duration::minutes(1);

/// A kept list weighs one kept page per this many bytes of it (`Db::kept_weighing`).
const PAGE_BYTES: usize = 16 * 1024;

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
    let read = async {
        let tx = scope.read(db).await?;
        let rows = tx
            .find::<activity::Entity>()
            .filter(activity::Column::EndsAt.gt(now - EARLIER))
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
    };
    db.kept_weighing(key, read, |coming: &Arc<Vec<Coming>>| {
        // Each activity is held twice (its row and as shown), its text with it.
        let bytes: usize = coming
            .iter()
            .map(|c| {
                let text = c.row.title.len()
                    + c.row.venue.len()
                    + c.row.description.as_ref().map_or(0, String::len);
                2 * text + 1024
            })
            .sum();
        1 + bytes / PAGE_BYTES
    })
    .await
}
