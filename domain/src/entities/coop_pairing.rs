use sea_orm::entity::prelude::*;

/// 结对共建: a unit of the street paired with one of the street's communities.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_pairings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub community_id: Uuid,
    pub paired_on: Date,
}

tenant_table!();
