use sea_orm::entity::prelude::*;

/// Who asked for a need: kept in the community's own tenant, never in the street's space.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "need_requesters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub need_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
}

tenant_table!();
