use sea_orm::entity::prelude::*;

tenant_model! {
    /// One act of care for a member: a visit, help given, or study brought to the door.
    "member_care" {
        pub member_id: Uuid,
        pub cared_on: Date,
        pub kind: crate::kinds::CareKind,
        /// What was given (慰问金, 米面油, 就业推荐 …).
        pub help: Option<String>,
        /// Money given, in fen.
        pub amount_cents: Option<i64>,
        pub note: Option<String>,
        pub actor_user_id: Option<Uuid>,
    }
}
