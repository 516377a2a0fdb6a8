use sea_orm::entity::prelude::*;

tenant_model! {
    /// An agenda item (议题), proposed before the meeting, maybe about a need, resource or project.
    "coop_agenda_items" {
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
}
