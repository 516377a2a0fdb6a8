use sea_orm::entity::prelude::*;

/// A community's own number for a points rule (the defaults apply where none is set).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "points_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub rule: crate::kinds::Rule,
    pub points: i32,
}

tenant_table!();
