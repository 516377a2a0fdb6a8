use sea_orm::entity::prelude::*;

/// How often a kind of 三会一课 meeting is due in the community's branches (in months).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_cadences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: crate::kinds::ActivityKind,
    pub every_months: i32,
}

tenant_table!();
