//! Placements inside a community tenant (where members are organised): 网格党支部 → 楼栋党小组 →
//! 党员中心户. Not to be confused with the partner units (驻区单位) of `coop`.
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::changes::{Change, Metric};
use crate::entities::community_unit;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::{Row, TenantTx};
use crate::validate::required_text;

pub use crate::kinds::PlacementKind;

impl PlacementKind {
    /// The kind a unit of this kind must sit under (none for a grid branch).
    fn parent_kind(self) -> Option<PlacementKind> {
        match self {
            PlacementKind::GridBranch => None,
            PlacementKind::BuildingGroup => Some(PlacementKind::GridBranch),
            PlacementKind::CentralHousehold => Some(PlacementKind::BuildingGroup),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: PlacementKind,
    pub name: String,
    /// 成立日期 of a branch or group, when told.
    pub founded_on: Option<NaiveDate>,
}

/// Community secretaries and workers organise the units.
fn ensure_organiser(tx: &TenantTx) -> DomainResult<()> {
    match tx.role() {
        Role::CommunitySecretary | Role::CommunityWorker => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

/// A unit of `kind` may only sit under a unit of the level right above it, in the same tenant.
async fn check_parent(
    tx: &TenantTx,
    kind: PlacementKind,
    parent_id: Option<Uuid>,
) -> DomainResult<()> {
    match (kind.parent_kind(), parent_id) {
        (None, None) => Ok(()),
        (Some(expected), Some(parent)) => {
            let parent = tx
                .find::<community_unit::Entity>()
                .filter(community_unit::Column::Id.eq(parent))
                .one(tx)
                .await?
                .ok_or(DomainError::invalid("parent", "not_found"))?;
            if parent.kind == expected {
                Ok(())
            } else {
                Err(DomainError::invalid("parent", "wrong_level"))
            }
        }
        _ => Err(DomainError::invalid("parent", "wrong_level")),
    }
}

pub async fn create_placement(
    tx: &TenantTx,
    kind: PlacementKind,
    name: &str,
    parent_id: Option<Uuid>,
) -> DomainResult<Uuid> {
    ensure_organiser(tx)?;
    let name = required_text("name", name, 100)?;
    check_parent(tx, kind, parent_id).await?;
    let id = Uuid::now_v7();
    community_unit::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(id),
        parent_id: Set(parent_id),
        kind: Set(kind),
        name: Set(name),
        created_at: Set(Utc::now()),
        founded_on: Set(None),
    }
    .insert_in(tx)
    .await?;
    if kind == PlacementKind::GridBranch {
        tx.record(Change::Count {
            node: tx.tenant_id(),
            metric: Metric::GridBranches.name(),
            delta: 1,
        });
    }
    // A branch owes its meetings, a building group its 党小组会.
    if matches!(
        kind,
        PlacementKind::GridBranch | PlacementKind::BuildingGroup
    ) {
        tx.record(Change::OrgLife);
    }
    Ok(id)
}

/// Renames a unit, moves it under another unit of the right level when `parent_id` differs,
/// and sets the 成立日期 of a branch or group (`founded`: none keeps it, empty clears it).
pub async fn update_placement(
    tx: &TenantTx,
    id: Uuid,
    name: &str,
    parent_id: Option<Uuid>,
    founded: Option<&str>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let name = required_text("name", name, 100)?;
    let founded = founded.map(|f| f.chars().take(32).collect::<String>());
    let told = match &founded {
        Some(text) => Some(crate::validate::past_date(
            "founded_on",
            text,
            crate::clock::today(),
        )?),
        None => None,
    };
    let unit = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    let kind = unit.kind;
    check_parent(tx, kind, parent_id).await?;
    let founded_on = told.unwrap_or(unit.founded_on);
    if founded_on != unit.founded_on {
        check_founding(&unit, founded_on)?;
        let change = serde_json::json!({ "from": unit.founded_on, "to": founded_on });
        audit_change(tx, "unit_founding_set", id, change).await?;
    }
    // A move is on record, from where to where (a group takes its 党小组会 to its new branch).
    if unit.parent_id != parent_id {
        let change = serde_json::json!({ "from": unit.parent_id, "to": parent_id });
        audit_change(tx, "unit_moved", id, change).await?;
    }
    // A building group moved to another branch takes its 党小组会 with it; a founding date
    // changes from when meetings are owed.
    if (kind == PlacementKind::BuildingGroup && unit.parent_id != parent_id)
        || unit.founded_on != founded_on
    {
        tx.record(Change::OrgLife);
    }
    let mut active: community_unit::ActiveModel = unit.into();
    active.name = Set(name);
    active.parent_id = Set(parent_id);
    active.founded_on = Set(founded_on);
    active.update_in(tx).await?;
    Ok(())
}

/// A change of a unit, on record with who made it in which community.
async fn audit_change(
    tx: &TenantTx,
    action: &'static str,
    unit: Uuid,
    change: serde_json::Value,
) -> DomainResult<()> {
    crate::audit::record(
        tx,
        crate::audit::AuditEvent::new(action, unit.to_string())
            .actor(Some(tx.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(change),
    )
    .await
}

/// A 成立日期 is a branch's or group's, and no later than the day the unit was added here: a
/// date moved past months without meetings would take them off what the unit owes.
fn check_founding(unit: &community_unit::Model, founded_on: Option<NaiveDate>) -> DomainResult<()> {
    let Some(founded_on) = founded_on else {
        return Ok(());
    };
    if unit.kind == PlacementKind::CentralHousehold {
        return Err(DomainError::invalid("founded_on", "not_for_households"));
    }
    if founded_on > crate::clock::local_date(unit.created_at) {
        return Err(DomainError::invalid("founded_on", "after_added"));
    }
    Ok(())
}

/// All units of the tenant, grid branches first, in creation order.
pub async fn list_placements(tx: &TenantTx) -> DomainResult<Vec<Placement>> {
    let rows = tx
        .find::<community_unit::Entity>()
        .order_by_asc(community_unit::Column::Id)
        .all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|u| Placement {
            id: u.id,
            parent_id: u.parent_id,
            kind: u.kind,
            name: u.name,
            founded_on: u.founded_on,
        })
        .collect())
}

/// Each unit with its full placement label, e.g. `第一网格党支部 › 1号楼党小组`.
pub fn labels(units: &[Placement]) -> Vec<(Uuid, String)> {
    let find = |id: Option<Uuid>| units.iter().find(|u| Some(u.id) == id);
    units
        .iter()
        .map(|unit| {
            let mut parts = vec![unit.name.as_str()];
            let mut parent = find(unit.parent_id);
            while let Some(p) = parent {
                parts.insert(0, p.name.as_str());
                parent = find(p.parent_id);
            }
            (unit.id, parts.join(" › "))
        })
        .collect()
}

/// `root` and the placements under it (none if `root` is not one of `units`). The tree is
/// three levels deep; the bound only guards against a damaged parent chain.
pub(crate) fn subtree(units: &[Placement], root: Uuid) -> Vec<Uuid> {
    if !units.iter().any(|u| u.id == root) {
        return Vec::new();
    }
    let mut found = vec![root];
    for _ in 0..4 {
        let more: Vec<Uuid> = units
            .iter()
            .filter(|u| u.parent_id.is_some_and(|p| found.contains(&p)) && !found.contains(&u.id))
            .map(|u| u.id)
            .collect();
        if more.is_empty() {
            break;
        }
        found.extend(more);
    }
    found
}
