use sea_orm::entity::prelude::*;

tenant_model! {
    /// 共建协议 between a unit and the street (`community_id` none) or one of its communities.
    "coop_agreements" {
        pub unit_id: Uuid,
        pub community_id: Option<Uuid>,
        pub title: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub created_at: DateTimeUtc,
    }
}
