use sea_orm::entity::prelude::*;

tenant_model! {
    /// A resident unit (共建单位) registered by a street; a record of the street tenant.
    "coop_units" {
        pub name: String,
        pub kind: crate::kinds::PartnerKind,
        /// The unit's own Party organisation.
        pub party_org: Option<String>,
        pub liaison_name: Option<String>,
        pub liaison_phone: Option<String>,
        pub staff_count: Option<i32>,
        pub member_count: Option<i32>,
        /// The account the unit's liaison logs in with (role `unit_liaison` on the street).
        pub liaison_user_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
}
