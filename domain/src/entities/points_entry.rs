use sea_orm::entity::prelude::*;

tenant_model! {
    /// One line of a member's points ledger (append-only; a wrong line is reversed by another).
    "points_entries" {
        pub member_id: Uuid,
        pub year: i32,
        pub category: crate::kinds::PointsCategory,
        pub points: i32,
        pub reason: String,
        pub signup_id: Option<Uuid>,
        /// The entry this one cancels out.
        pub reverses: Option<Uuid>,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        /// For a signup's credit: how many times that signup's credits of this category were
        /// reversed before it (unique per signup, category and round: no double credit).
        pub credit_round: i32,
    }
}
