use sea_orm::entity::prelude::*;

tenant_model! {
    /// A service post (岗位) a community offers to in-service members who report to it.
    "service_posts" {
        pub name: String,
        pub description: Option<String>,
        /// Inactive posts stay on old reports but are no longer offered.
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
}
