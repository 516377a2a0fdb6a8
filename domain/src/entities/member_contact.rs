use sea_orm::entity::prelude::*;

/// One attempt to reach a (floating) member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub contacted_on: Date,
    pub method: crate::kinds::ContactMethod,
    pub reached: bool,
    pub city: Option<String>,
    pub note: Option<String>,
    pub actor_user_id: Option<Uuid>,
}

tenant_table!();
