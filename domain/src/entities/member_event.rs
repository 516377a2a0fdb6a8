use sea_orm::entity::prelude::*;

tenant_model! {
    /// One entry of a member's history (created, changed, moved, transferred …). Append-only.
    "member_events" {
        pub member_id: Uuid,
        pub at: DateTimeUtc,
        pub actor_user_id: Option<Uuid>,
        pub kind: crate::kinds::EventKind,
        pub detail: String,
    }
}
