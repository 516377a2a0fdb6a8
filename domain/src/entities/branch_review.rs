use sea_orm::entity::prelude::*;

tenant_model! {
    /// A grid branch's 民主评议 of one year: its 组织生活会 and, once decided, the branch's
    /// decision (until then its members' grades are a draft).
    "branch_reviews" {
        pub branch_id: Uuid,
        pub year: i32,
        pub meeting_id: Option<Uuid>,
        pub decided_on: Option<Date>,
        pub decision: String,
    }
}
