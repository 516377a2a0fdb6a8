use sea_orm::entity::prelude::*;

/// Per community: days a need may stay unclaimed before it is flagged.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_need_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub community_id: Uuid,
    pub unclaimed_days: i32,
}

tenant_table!();
