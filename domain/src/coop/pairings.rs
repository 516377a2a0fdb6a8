//! 结对共建: the street pairs its units with its communities; every pairing change is audited
//! (it opens a unit's view of a community's co-construction records).
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::CoopTx;
use crate::audit::{self, AuditEvent};
use crate::entities::{coop_pairing, coop_unit, org_node};
use crate::error::{DomainError, DomainResult};
use crate::kinds::NodeKind;
use crate::tenancy::{shared, Row};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    pub unit_id: Uuid,
    pub community_id: Uuid,
    pub paired_on: NaiveDate,
}

/// The street's communities (id, name) in code order: what its units pair with and its
/// meetings invite.
pub async fn street_communities(tx: &CoopTx) -> DomainResult<Vec<(Uuid, String)>> {
    Ok(shared::find::<org_node::Entity>()
        .filter(org_node::Column::ParentId.eq(tx.street_id()))
        .filter(org_node::Column::Kind.eq(NodeKind::Community.as_str()))
        .order_by_asc(org_node::Column::Code)
        .all(tx.tx())
        .await?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect())
}

async fn ensure_unit(tx: &CoopTx, unit_id: Uuid) -> DomainResult<()> {
    let found = tx
        .tx()
        .find::<coop_unit::Entity>()
        .filter(coop_unit::Column::Id.eq(unit_id))
        .count(tx.tx())
        .await?;
    if found == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

fn event(tx: &CoopTx, action: &'static str, unit_id: Uuid, community_id: Uuid) -> AuditEvent {
    let actor = tx.tx().actor_user_id();
    AuditEvent::new(action, unit_id.to_string())
        .actor((!actor.is_nil()).then_some(actor))
        .node(Some(tx.street_id()))
        .detail(serde_json::json!({ "community": community_id }))
}

/// Pairs a unit with a community of the same street (pairing again changes nothing).
pub async fn pair(
    tx: &CoopTx,
    unit_id: Uuid,
    community_id: Uuid,
    today: NaiveDate,
) -> DomainResult<()> {
    tx.ensure_street()?;
    ensure_unit(tx, unit_id).await?;
    let community = shared::find::<org_node::Entity>()
        .filter(org_node::Column::Id.eq(community_id))
        .one(tx.tx())
        .await?;
    let of_this_street = community
        .is_some_and(|c| c.parent_id == Some(tx.street_id()) && c.kind == NodeKind::Community);
    if !of_this_street {
        return Err(DomainError::invalid("community", "other_street"));
    }
    let existing = tx
        .tx()
        .find::<coop_pairing::Entity>()
        .filter(coop_pairing::Column::UnitId.eq(unit_id))
        .filter(coop_pairing::Column::CommunityId.eq(community_id))
        .count(tx.tx())
        .await?;
    if existing > 0 {
        return Ok(());
    }
    coop_pairing::ActiveModel {
        tenant_id: Set(tx.street_id()),
        unit_id: Set(unit_id),
        community_id: Set(community_id),
        paired_on: Set(today),
    }
    .insert_in(tx.tx())
    .await?;
    audit::record(tx.tx(), event(tx, "unit_paired", unit_id, community_id)).await
}

/// Ends a pairing.
pub async fn unpair(tx: &CoopTx, unit_id: Uuid, community_id: Uuid) -> DomainResult<()> {
    tx.ensure_street()?;
    ensure_unit(tx, unit_id).await?;
    let removed = tx
        .tx()
        .delete::<coop_pairing::Entity>()
        .filter(coop_pairing::Column::UnitId.eq(unit_id))
        .filter(coop_pairing::Column::CommunityId.eq(community_id))
        .exec(tx.tx())
        .await?;
    if removed.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    audit::record(tx.tx(), event(tx, "unit_unpaired", unit_id, community_id)).await
}
