use sea_orm::entity::prelude::*;

/// 志愿服务队: a volunteer team of a community.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub service_area: Option<String>,
    pub leader_member_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

tenant_table!();
