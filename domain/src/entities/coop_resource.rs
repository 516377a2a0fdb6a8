use sea_orm::entity::prelude::*;

tenant_model! {
    /// A resource (资源) a unit offers: a venue, funds, equipment, volunteers or expertise.
    "coop_resources" {
        pub unit_id: Uuid,
        pub kind: crate::kinds::ResourceKind,
        pub name: String,
        /// How much, in the unit's words (`200 平方米`, `10 人`).
        pub quantity: Option<String>,
        /// When (`每周六上午`).
        pub availability: Option<String>,
        pub active: bool,
        pub created_on: Date,
    }
}
