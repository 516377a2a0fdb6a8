use sea_orm::entity::prelude::*;

tenant_model! {
    /// A member's proposed change to their own details; a field left `None` stays as it is.
    "member_proposals" {
        pub member_id: Uuid,
        pub phone: Option<String>,
        pub building: Option<String>,
        pub unit_no: Option<String>,
        pub room: Option<String>,
        pub current_city: Option<String>,
        pub note: Option<String>,
        pub status: crate::kinds::ProposalStatus,
        pub reason: Option<String>,
        pub proposed_at: DateTimeUtc,
        pub decided_at: Option<DateTimeUtc>,
        pub decided_by: Option<Uuid>,
    }
}
