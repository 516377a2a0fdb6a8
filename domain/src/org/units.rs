//! Units inside a community tenant: 网格党支部 → 楼栋党小组 → 党员中心户.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::entities::community_unit;
use crate::error::{DomainError, DomainResult};
use crate::rollup;
use crate::tenancy::TenantTx;
use crate::validate::required_text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitKind {
    GridBranch,
    BuildingGroup,
    CentralHousehold,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [
        UnitKind::GridBranch,
        UnitKind::BuildingGroup,
        UnitKind::CentralHousehold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::GridBranch => "grid_branch",
            UnitKind::BuildingGroup => "building_group",
            UnitKind::CentralHousehold => "central_household",
        }
    }

    pub fn parse(value: &str) -> Option<UnitKind> {
        [
            UnitKind::GridBranch,
            UnitKind::BuildingGroup,
            UnitKind::CentralHousehold,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }

    /// The kind a unit of this kind must sit under (none for a grid branch).
    fn parent_kind(self) -> Option<UnitKind> {
        match self {
            UnitKind::GridBranch => None,
            UnitKind::BuildingGroup => Some(UnitKind::GridBranch),
            UnitKind::CentralHousehold => Some(UnitKind::BuildingGroup),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: UnitKind,
    pub name: String,
}

/// Community secretaries and workers organise the units.
fn ensure_organiser(tx: &TenantTx) -> DomainResult<()> {
    match tx.role() {
        Role::CommunitySecretary | Role::CommunityWorker => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

/// A unit of `kind` may only sit under a unit of the level right above it, in the same tenant.
async fn check_parent(tx: &TenantTx, kind: UnitKind, parent_id: Option<Uuid>) -> DomainResult<()> {
    match (kind.parent_kind(), parent_id) {
        (None, None) => Ok(()),
        (Some(expected), Some(parent)) => {
            let parent = tx
                .find::<community_unit::Entity>()
                .filter(community_unit::Column::Id.eq(parent))
                .one(tx.conn())
                .await?
                .ok_or(DomainError::invalid("parent", "not_found"))?;
            if UnitKind::parse(&parent.kind) == Some(expected) {
                Ok(())
            } else {
                Err(DomainError::invalid("parent", "wrong_level"))
            }
        }
        _ => Err(DomainError::invalid("parent", "wrong_level")),
    }
}

pub async fn create_unit(
    tx: &TenantTx,
    kind: UnitKind,
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
        kind: Set(kind.as_str().to_owned()),
        name: Set(name),
        created_at: Set(Utc::now()),
    }
    .insert(tx.conn())
    .await?;
    if kind == UnitKind::GridBranch {
        rollup::bump(tx, rollup::Metric::GridBranches, 1).await?;
        rollup::org_life_changed(tx).await?;
    }
    Ok(id)
}

/// Renames a unit and, when `parent_id` differs, moves it under another unit of the right level.
pub async fn update_unit(
    tx: &TenantTx,
    id: Uuid,
    name: &str,
    parent_id: Option<Uuid>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let name = required_text("name", name, 100)?;
    let unit = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .ok_or(DomainError::NotFound)?;
    let kind = UnitKind::parse(&unit.kind).ok_or(DomainError::Internal)?;
    check_parent(tx, kind, parent_id).await?;
    let mut active: community_unit::ActiveModel = unit.into();
    active.name = Set(name);
    active.parent_id = Set(parent_id);
    active.update(tx.conn()).await?;
    Ok(())
}

/// All units of the tenant, grid branches first, in creation order.
pub async fn list_units(tx: &TenantTx) -> DomainResult<Vec<UnitSummary>> {
    let rows = tx
        .find::<community_unit::Entity>()
        .order_by_asc(community_unit::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|u| {
            Some(UnitSummary {
                id: u.id,
                parent_id: u.parent_id,
                kind: UnitKind::parse(&u.kind)?,
                name: u.name,
            })
        })
        .collect())
}

/// Each unit with its full placement label, e.g. `第一网格党支部 › 1号楼党小组`.
pub fn labels(units: &[UnitSummary]) -> Vec<(Uuid, String)> {
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
