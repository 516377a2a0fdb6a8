//! A member's history: append-only events inside the community tenant.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::member_event;
use crate::error::DomainResult;
use crate::tenancy::{Row, TenantTx};

pub use crate::kinds::EventKind;

/// The codes a member event's `kind` may hold (the UI names each).
pub fn event_kinds() -> impl Iterator<Item = &'static str> {
    EventKind::ALL.into_iter().map(EventKind::as_str)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEvent {
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub kind: String,
    pub detail: serde_json::Value,
}

pub(crate) async fn record(
    tx: &TenantTx,
    member_id: Uuid,
    kind: EventKind,
    detail: serde_json::Value,
) -> DomainResult<()> {
    let actor = tx.actor_user_id();
    member_event::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        at: Set(Utc::now()),
        actor_user_id: Set((!actor.is_nil()).then_some(actor)),
        kind: Set(kind),
        detail: Set(detail.to_string()),
    }
    .insert_in(tx)
    .await?;
    Ok(())
}

/// Oldest first. Staff whose reach covers the member, or the member themself.
pub async fn history(tx: &TenantTx, member_id: Uuid) -> DomainResult<Vec<MemberEvent>> {
    use crate::entities::member;
    let subject = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .one(tx)
        .await?
        .ok_or(crate::DomainError::NotFound)?;
    let own = subject.user_id == Some(tx.actor_user_id());
    if !own && !super::reach::reach(tx).await?.covers(&subject) {
        return Err(crate::DomainError::Forbidden);
    }
    events(tx, member_id).await
}

/// A member's history, unchecked: for `history` and the member's own page (`home`).
pub(super) async fn events(tx: &TenantTx, member_id: Uuid) -> DomainResult<Vec<MemberEvent>> {
    let rows = tx
        .find::<member_event::Entity>()
        .filter(member_event::Column::MemberId.eq(member_id))
        .order_by_asc(member_event::Column::Id)
        .all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|e| MemberEvent {
            at: e.at,
            actor_user_id: e.actor_user_id,
            kind: e.kind.as_str().to_owned(),
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}
