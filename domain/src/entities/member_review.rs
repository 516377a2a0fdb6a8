use sea_orm::entity::prelude::*;

tenant_model! {
    /// One member's grade in a branch's 民主评议 (once a year per member).
    "member_reviews" {
        pub review_id: Uuid,
        pub year: i32,
        pub member_id: Uuid,
        pub grade: crate::kinds::ReviewGrade,
    }
}
