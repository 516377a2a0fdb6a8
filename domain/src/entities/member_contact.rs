use sea_orm::entity::prelude::*;

tenant_model! {
    /// One attempt to reach a (floating) member.
    "member_contacts" {
        pub member_id: Uuid,
        pub contacted_on: Date,
        pub method: crate::kinds::ContactMethod,
        pub reached: bool,
        pub city: Option<String>,
        pub note: Option<String>,
        pub actor_user_id: Option<Uuid>,
    }
}
