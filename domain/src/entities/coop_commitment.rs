use sea_orm::entity::prelude::*;

tenant_model! {
    /// A commitment (承诺事项) in an agreement; done when `done_on` is set.
    "coop_commitments" {
        pub agreement_id: Uuid,
        pub content: String,
        pub done_on: Option<Date>,
    }
}
