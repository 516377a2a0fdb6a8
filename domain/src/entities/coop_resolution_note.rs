use sea_orm::entity::prelude::*;

/// A dated progress note on a resolution.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_resolution_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub resolution_id: Uuid,
    pub noted_on: Date,
    pub note: String,
    pub author: String,
}

tenant_table!();
