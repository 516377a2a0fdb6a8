use sea_orm::entity::prelude::*;

tenant_model! {
    /// An in-service member's report (报到) to their residential community; one per member.
    "member_reports" {
        pub member_id: Uuid,
        pub reported_on: Date,
        /// `pending`, `confirmed` or `declined`.
        pub status: crate::kinds::ReportStatus,
        pub decided_on: Option<Date>,
        pub decided_by: Option<Uuid>,
        /// Why the secretary declined.
        pub reason: Option<String>,
    }
}
