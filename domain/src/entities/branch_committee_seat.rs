use sea_orm::entity::prelude::*;

tenant_model! {
    /// A seat on a grid branch's committee (支部委员会): who, in which post, since when.
    "branch_committee_seats" {
        pub branch_id: Uuid,
        pub member_id: Uuid,
        pub post: crate::kinds::CommitteePost,
        pub since: Date,
    }
}
