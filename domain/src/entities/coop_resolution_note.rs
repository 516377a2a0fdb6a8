use sea_orm::entity::prelude::*;

tenant_model! {
    /// A dated progress note on a resolution.
    "coop_resolution_notes" {
        pub resolution_id: Uuid,
        pub noted_on: Date,
        pub note: String,
        pub author: String,
    }
}
