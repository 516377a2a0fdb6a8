use sea_orm::entity::prelude::*;

/// An agenda item (议题), proposed before the meeting, maybe about a need, resource or project.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_agenda_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub title: String,
    pub detail: Option<String>,
    /// The street, community or unit that proposed it.
    pub proposed_by: String,
    pub need_id: Option<Uuid>,
    pub resource_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub created_on: Date,
}

tenant_table!();
