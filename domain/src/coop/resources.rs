//! 资源清单: what a unit offers — a venue, funds, equipment, volunteers, expertise — with how
//! much and when. The unit's liaison (or the street) keeps them; paired communities read them.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{get_partner, partners, CoopTx, Viewer};
use crate::entities::coop_resource;
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Row;
use crate::validate::{optional_text, required_text};

pub use crate::kinds::ResourceKind;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceInput {
    pub kind: String,
    pub name: String,
    pub quantity: String,
    pub availability: String,
    #[serde(deserialize_with = "crate::validate::checkbox")]
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub kind: ResourceKind,
    pub name: String,
    pub quantity: Option<String>,
    pub availability: Option<String>,
    pub active: bool,
}

/// Adds (`id` none) or changes a resource of a unit: its liaison, or the street.
pub async fn save_resource(
    tx: &CoopTx,
    unit_id: Uuid,
    id: Option<Uuid>,
    input: &ResourceInput,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    match tx.viewer() {
        Viewer::Street => {}
        Viewer::Unit(own) if own == unit_id => {}
        Viewer::Unit(_) => return Err(DomainError::NotFound),
        Viewer::Community(_) => return Err(DomainError::Forbidden),
    }
    get_partner(tx, unit_id).await?;
    let kind = ResourceKind::parse(&input.kind)
        .ok_or_else(|| DomainError::invalid("resource_kind", "not_in_list"))?;
    let name = required_text("resource_name", &input.name, 100)?;
    let quantity = optional_text("quantity", &input.quantity, 50)?;
    let availability = optional_text("availability", &input.availability, 100)?;
    let mut active = match id {
        None => coop_resource::ActiveModel {
            tenant_id: Set(tx.street_id()),
            id: Set(Uuid::now_v7()),
            unit_id: Set(unit_id),
            created_on: Set(today),
            ..Default::default()
        },
        Some(id) => tx
            .tx()
            .find::<coop_resource::Entity>()
            .filter(coop_resource::Column::Id.eq(id))
            .filter(coop_resource::Column::UnitId.eq(unit_id))
            .one(tx.tx())
            .await?
            .ok_or(DomainError::NotFound)?
            .into(),
    };
    active.kind = Set(kind);
    active.name = Set(name);
    active.quantity = Set(quantity);
    active.availability = Set(availability);
    active.active = Set(input.active);
    let saved = match id {
        None => active.insert_in(tx.tx()).await?,
        Some(_) => active.update_in(tx.tx()).await?,
    };
    Ok(saved.id)
}

/// The resources the viewer sees: the street all; a unit its own; a community's staff the
/// offered (active) resources of the units paired with it.
pub async fn resources(tx: &CoopTx) -> DomainResult<Vec<Resource>> {
    let visible_units = partners(tx).await?;
    let mut select = tx
        .tx()
        .find::<coop_resource::Entity>()
        .filter(coop_resource::Column::UnitId.is_in(visible_units.iter().map(|u| u.id)));
    if let Viewer::Community(_) = tx.viewer() {
        select = select.filter(coop_resource::Column::Active.eq(true));
    }
    let found = select
        .order_by_asc(coop_resource::Column::UnitId)
        .order_by_asc(coop_resource::Column::Id)
        .all(tx.tx())
        .await?;
    Ok(found
        .into_iter()
        .map(|r| Resource {
            unit_name: visible_units
                .iter()
                .find(|u| u.id == r.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            id: r.id,
            unit_id: r.unit_id,
            kind: r.kind,
            name: r.name,
            quantity: r.quantity,
            availability: r.availability,
            active: r.active,
        })
        .collect())
}
