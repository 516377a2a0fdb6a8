use sea_orm::entity::prelude::*;

tenant_model! {
    /// An activity of a community, with the count of confirmed seats and the waitlist's sequence.
    "activities" {
        pub kind: crate::kinds::ActivityKind,
        pub title: String,
        pub description: Option<String>,
        pub venue: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        /// None: unlimited.
        pub capacity: Option<i32>,
        pub signup_opens_at: DateTimeUtc,
        pub signup_closes_at: DateTimeUtc,
        pub audience: crate::kinds::Audience,
        pub branch_id: Option<Uuid>,
        pub points: i32,
        pub volunteer_minutes: i32,
        pub cancelled_at: Option<DateTimeUtc>,
        pub organiser_user_id: Uuid,
        pub created_at: DateTimeUtc,
        pub confirmed_count: i32,
        pub waitlist_seq: i64,
        /// Key of the rotating check-in code (empty until first needed).
        pub checkin_secret: String,
        /// The volunteer team running it (志愿服务 only).
        pub team_id: Option<Uuid>,
        /// The paired co-construction unit running it (its liaison organises it), if any.
        pub organiser_unit_id: Option<Uuid>,
        /// The building group whose meeting it is (党小组会; `branch_id` is the group's branch).
        pub group_id: Option<Uuid>,
        /// A meeting's attendance was finished: its roll is its rows from then on.
        pub roll_closed_at: Option<DateTimeUtc>,
    }
}
