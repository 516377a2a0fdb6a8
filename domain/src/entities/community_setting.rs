use sea_orm::entity::prelude::*;

/// Settings of one community (one row per tenant; defaults apply when there is none).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "community_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub lost_contact_days: i32,
}

tenant_table!();
