use sea_orm::entity::prelude::*;

/// A commitment (承诺事项) in an agreement; done when `done_on` is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_commitments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub content: String,
    pub done_on: Option<Date>,
}

tenant_table!();
