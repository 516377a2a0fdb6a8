use sea_orm::entity::prelude::*;

tenant_model! {
    /// A joint meeting (联席会议) of the street, or of one community when `community_id` is set.
    "coop_meetings" {
        pub community_id: Option<Uuid>,
        pub title: String,
        pub convener: String,
        pub held_on: Date,
        /// `HH:MM`, local time.
        pub starts_at: String,
        pub venue: String,
        pub minutes: Option<String>,
        pub minutes_on: Option<Date>,
        pub created_on: Date,
    }
}
