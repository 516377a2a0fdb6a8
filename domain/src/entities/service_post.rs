use sea_orm::entity::prelude::*;

/// A service post (岗位) a community offers to in-service members who report to it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// Inactive posts stay on old reports but are no longer offered.
    pub active: bool,
    pub created_at: DateTimeUtc,
}

tenant_table!();
