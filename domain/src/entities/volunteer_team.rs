use sea_orm::entity::prelude::*;

tenant_model! {
    /// 志愿服务队: a volunteer team of a community.
    "volunteer_teams" {
        pub name: String,
        pub service_area: Option<String>,
        pub leader_member_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
}
