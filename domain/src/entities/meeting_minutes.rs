use sea_orm::entity::prelude::*;

tenant_model! {
    /// The minutes of a branch meeting (会议记录): who chaired and who wrote it, the topic and
    /// what was said and decided.
    "meeting_minutes" {
        pub activity_id: Uuid,
        pub host: String,
        pub recorder: String,
        pub topic: String,
        pub minutes: String,
        pub saved_at: DateTimeUtc,
        pub saved_by: Uuid,
    }
}
