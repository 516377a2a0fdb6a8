use sea_orm::entity::prelude::*;

tenant_model! {
    /// A grid branch, building group or central household inside a community tenant.
    "community_units" {
        pub parent_id: Option<Uuid>,
        pub kind: crate::kinds::PlacementKind,
        pub name: String,
        pub created_at: DateTimeUtc,
        /// 成立日期, when told: a unit founded this year owes its meetings from then on.
        pub founded_on: Option<Date>,
    }
}
