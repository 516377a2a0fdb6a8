use sea_orm::entity::prelude::*;

tenant_model! {
    /// A project (项目): a need matched to resources, with an owner unit and a deadline.
    "coop_projects" {
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
}
