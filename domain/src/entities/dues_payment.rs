use sea_orm::entity::prelude::*;

tenant_model! {
    /// 党费 paid for one month, as the branch recorded it.
    "dues_payments" {
        pub member_id: Uuid,
        /// The first of the month paid for.
        pub month: Date,
        pub amount_cents: i64,
        pub method: crate::kinds::PaymentMethod,
        pub paid_on: Date,
        /// Who paid on the member's behalf (代缴), if someone did.
        pub proxy: Option<String>,
        pub recorded_by: Option<Uuid>,
        pub recorded_at: DateTimeUtc,
    }
}
