use sea_orm::entity::prelude::*;

tenant_model! {
    /// A need (需求) or micro-wish (微心愿) a community posted, with its claim when claimed.
    "coop_needs" {
        pub community_id: Uuid,
        pub title: String,
        pub category: crate::kinds::NeedCategory,
        pub urgency: crate::kinds::Urgency,
        pub detail: Option<String>,
        pub wish: bool,
        /// The requester as shown outside the community (`王*兰`).
        pub requester_masked: Option<String>,
        /// `open`, `claimed`, `delivered` or `done`.
        pub status: crate::kinds::NeedStatus,
        pub created_on: Date,
        pub escalated_on: Option<Date>,
        pub claimant_unit_id: Option<Uuid>,
        pub claimant_user_id: Option<Uuid>,
        pub claimant_name: Option<String>,
        pub claimed_on: Option<Date>,
        pub delivered_on: Option<Date>,
        pub confirmed_on: Option<Date>,
    }
}
