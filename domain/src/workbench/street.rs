//! A street's staff: needs its communities escalated that nobody has claimed, minutes owed for
//! the meetings it convened, resolutions past due, and the street's notices of the last month
//! not yet read — each also per community (counts, never people); and their own notices to
//! confirm and unread messages.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::{untaken, Waiting, Work};
use crate::auth::Principal;
use crate::clock::CHINA;
use crate::coop::{self, Viewer};
use crate::db::Db;
use crate::entities::{notice, notice_target};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantTx};

/// The street's notices looked at for "not yet read": those of the last month, newest first.
const NOTICES_LOOKED_AT: u64 = 100;

pub async fn street_staff(
    db: &Db,
    principal: &Principal,
    street: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Waiting>> {
    let today = now.with_timezone(&CHINA).date_naive();
    let scope = principal.coop_scope(db, street).await?;
    if scope.viewer() != Viewer::Street {
        return Err(DomainError::Forbidden);
    }
    let todo = coop::todo_of(db, &scope, today).await?;
    // Kept until something is written in the street's co-construction space.
    let (escalated, overdue, overdue_total) = db
        .kept(scope.kept_read("workbench.street", today), async {
            let tx = scope.read(db).await?;
            let needs = coop::needs(&tx).await?;
            let followup = coop::followup(&tx, today).await?;
            let handed_up = needs.iter().filter(|n| n.escalated_on.is_some()).collect();
            let handed_up = untaken(&tx, handed_up).await?;
            tx.commit().await?;
            let mut escalated: HashMap<Uuid, u64> = HashMap::new();
            for need in handed_up {
                *escalated.entry(need.community_id).or_default() += 1;
            }
            let overdue: Vec<(String, u64)> = followup
                .by_community
                .iter()
                .filter(|row| row.overdue > 0)
                .map(|row| (row.name.clone(), row.overdue as u64))
                .collect();
            Ok((escalated, overdue, followup.overdue.len() as u64))
        })
        .await?;

    let own = principal.tenant_scope(db, street).await?;
    if own.role() != Role::StreetStaff {
        return Err(DomainError::Forbidden);
    }
    // Kept until something is written in the street (a recipient opening one counts there).
    let key = NodeRead {
        node: street,
        what: "workbench.street.unread",
        whom: None,
        day: today,
    };
    let unread = db
        .kept(key, async {
            let tx = own.read(db).await?;
            let unread = unread_by_node(&tx, now).await?;
            tx.commit().await?;
            Ok(unread)
        })
        .await?;

    let names = names(db, escalated.keys().chain(unread.keys())).await?;
    let named = |counts: HashMap<Uuid, u64>| {
        let rows: Vec<(String, u64)> = counts
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(id, n)| (names.get(&id).cloned().unwrap_or_default(), n))
            .collect();
        sorted(rows)
    };
    Ok(vec![
        with_communities(Work::NeedsEscalated, named(escalated)),
        Waiting::new(Work::MinutesOwed, todo.minutes_owed),
        // Every overdue one counts (a unit's or a person's too); the communities' are listed.
        Waiting {
            count: overdue_total,
            ..with_communities(Work::ResolutionsOverdue, sorted(overdue))
        },
        with_communities(Work::NoticesUnread, named(unread)),
        // What the district sent the streets' staff.
        super::to_confirm_at(db, principal, &own, now).await?,
        super::unread_at(db, principal, street).await?,
    ])
}

/// Most first; communities with as many by name.
fn sorted(mut rows: Vec<(String, u64)>) -> Vec<(String, u64)> {
    crate::collate::sort_by_label(&mut rows, |r| &r.0);
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    rows
}

fn with_communities(work: Work, by_community: Vec<(String, u64)>) -> Waiting {
    Waiting {
        work,
        count: by_community.iter().map(|(_, n)| n).sum(),
        by_community,
    }
}

/// Recipients who have not read the street's notices of the last 30 days (not withdrawn), per
/// node they were sent to.
async fn unread_by_node(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<HashMap<Uuid, u64>> {
    let recent: Vec<Uuid> = tx
        .find::<notice::Entity>()
        .filter(notice::Column::SentAt.gte(now - Duration::days(30)))
        .filter(notice::Column::WithdrawnAt.is_null())
        .order_by_desc(notice::Column::SentAt)
        .limit(NOTICES_LOOKED_AT)
        .all(tx)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    if recent.is_empty() {
        return Ok(HashMap::new());
    }
    let targets = tx
        .find::<notice_target::Entity>()
        .filter(notice_target::Column::NoticeId.is_in(recent))
        .all(tx)
        .await?;
    let mut out: HashMap<Uuid, u64> = HashMap::new();
    for t in targets {
        let waiting = u64::try_from(t.recipients.saturating_sub(t.read_count)).unwrap_or(0);
        *out.entry(t.node_id).or_default() += waiting;
    }
    Ok(out)
}

async fn names<'a>(
    db: &Db,
    ids: impl Iterator<Item = &'a Uuid>,
) -> DomainResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = ids.copied().collect();
    Ok(db
        .nodes(&ids)
        .await?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect())
}
