use sea_orm::entity::prelude::*;

tenant_model! {
    /// One item of a person's message centre (消息), kept in the tenant they receive it at.
    "messages" {
        pub user_id: Uuid,
        pub kind: crate::kinds::MessageKind,
        /// The tenant the subject is kept in (a notice's sender).
        pub source_id: Uuid,
        /// What it is about (a notice's id).
        pub subject_id: Uuid,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
        pub confirmed_at: Option<DateTimeUtc>,
        /// When the sender last reminded this person, until they open it again.
        pub reminded_at: Option<DateTimeUtc>,
        /// The sender withdrew the notice: out of the centre, kept on record.
        pub withdrawn_at: Option<DateTimeUtc>,
        /// A notice's 确认收到 date, copied from it (counted where the message is kept).
        pub confirm_by: Option<Date>,
    }
}
