use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub data: String,
    pub expiry_date: DateTimeUtc,
    /// The signed-in account (none before login).
    pub user_id: Option<Uuid>,
    /// A public name for the session, shown to its owner and sent back to end it.
    pub handle: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
