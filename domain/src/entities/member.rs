use sea_orm::entity::prelude::*;

tenant_model! {
    /// A Party member of a community (the roster).
    "members" {
        pub name: String,
        /// `男` or `女`.
        pub gender: crate::kinds::Gender,
        pub unit_id: Option<Uuid>,
        pub user_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub birth_date: Option<Date>,
        pub phone: Option<String>,
        pub joined_on: Option<Date>,
        pub category: crate::kinds::Category,
        pub relation: crate::kinds::PartyRelation,
        pub standing: crate::kinds::PartyStanding,
        pub status: crate::kinds::Status,
        pub building: Option<String>,
        pub unit_no: Option<String>,
        pub room: Option<String>,
        pub employer: Option<String>,
        pub employer_party_org: Option<String>,
        pub interests: Option<String>,
        pub hardship: bool,
        pub immobile: bool,
        pub id_last4: Option<String>,
        pub updated_at: Option<DateTimeUtc>,
        /// Where a floating member currently lives (from the latest contact).
        pub current_city: Option<String>,
    }
}
