use sea_orm::entity::prelude::*;

tenant_model! {
    /// A stretch of time a member was on a placement unit's roster with their Party relation
    /// here (`members::spans`): 应到 at a meeting's date is read from these.
    "roster_spans" {
        pub member_id: Uuid,
        pub unit_id: Uuid,
        /// None: since before the service saw them (already placed when spans began, or added).
        pub from_at: Option<DateTimeUtc>,
        /// None: still there.
        pub until_at: Option<DateTimeUtc>,
    }
}
