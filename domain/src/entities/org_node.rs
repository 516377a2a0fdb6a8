use sea_orm::entity::prelude::*;

/// A node of the org tree: province, city, district, street or community. Reference data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_nodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: crate::kinds::NodeKind,
    pub code: String,
    pub name: String,
    /// Ancestor ids and own id, `/`-separated with `/` at both ends: subtree tests are a prefix match.
    pub path: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
