use sea_orm::entity::prelude::*;

tenant_model! {
    /// A node a notice went to (the sender's own, or one below it) and how many people there
    /// received it; kept by the sender.
    "notice_targets" {
        pub notice_id: Uuid,
        pub node_id: Uuid,
        pub recipients: i32,
        /// How many of them have opened it, and confirmed it (counted as each does).
        pub read_count: i32,
        pub confirmed_count: i32,
    }
}
