use sea_orm::entity::prelude::*;

tenant_model! {
    /// A notice (通知公告), kept by the node that sent it.
    "notices" {
        pub title: String,
        pub body: String,
        pub audience: crate::kinds::NoticeAudience,
        /// The grid branch, for a notice to one branch.
        pub branch_id: Option<Uuid>,
        /// Recipients are asked to confirm (已阅/收到) by this day.
        pub confirm_by: Option<Date>,
        pub sent_by: Uuid,
        pub sent_at: DateTimeUtc,
        pub recipients: i32,
        /// When the sender last reminded those who had not read it.
        pub reminded_at: Option<DateTimeUtc>,
        pub withdrawn_at: Option<DateTimeUtc>,
    }
}
