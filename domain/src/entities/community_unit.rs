use sea_orm::entity::prelude::*;

/// A grid branch, building group or central household inside a community tenant.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "community_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: crate::kinds::PlacementKind,
    pub name: String,
    pub created_at: DateTimeUtc,
}

tenant_table!();
