use sea_orm::entity::prelude::*;

tenant_model! {
    /// A resolution (议定事项) of a meeting: what, who answers for it, by when, and how it closed.
    "coop_resolutions" {
        pub meeting_id: Uuid,
        pub content: String,
        pub owner_kind: crate::kinds::OwnerKind,
        pub owner_community_id: Option<Uuid>,
        pub owner_unit_id: Option<Uuid>,
        /// The owner's name when assigned (a community, a unit or a person).
        pub owner_name: String,
        pub due_on: Date,
        pub status: crate::kinds::ResolutionStatus,
        pub evidence: Option<String>,
        pub closed_on: Option<Date>,
        pub created_on: Date,
    }
}
