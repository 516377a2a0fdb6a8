use sea_orm::entity::prelude::*;

tenant_model! {
    /// A member's 党费 as assessed (核定) from a month on: a rate of their monthly income base,
    /// or a fixed amount (no rate). The latest from a month on applies to that month.
    "dues_assessments" {
        pub member_id: Uuid,
        /// The first of the month it applies from.
        pub from_month: Date,
        /// Monthly income the rate applies to, in fen.
        pub base_cents: Option<i64>,
        /// Per mille of the base (5 = 0.5 %); none for a fixed amount.
        pub rate_permille: Option<i32>,
        /// 应交 each month, in fen.
        pub monthly_cents: i64,
        pub set_by: Option<Uuid>,
        pub set_at: DateTimeUtc,
    }
}
