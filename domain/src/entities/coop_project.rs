use sea_orm::entity::prelude::*;

/// A project (项目): a need matched to resources, with an owner unit and a deadline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The community it serves; none for a street project.
    pub community_id: Option<Uuid>,
    pub need_id: Option<Uuid>,
    pub title: String,
    pub owner_unit_id: Uuid,
    pub lead_person: String,
    pub deadline: Date,
    pub status: crate::kinds::ProjectStatus,
    pub outcome: Option<String>,
    pub beneficiaries: Option<i32>,
    pub created_on: Date,
}

tenant_table!();
