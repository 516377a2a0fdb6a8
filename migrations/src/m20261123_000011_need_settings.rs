//! How many days a need may stay unclaimed before it is flagged, set per community.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000011_need_settings"
    }
}

const UP: &[&str] = &["CREATE TABLE coop_need_settings (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        community_id {uuid} NOT NULL REFERENCES org_nodes(id),
        unclaimed_days integer NOT NULL,
        PRIMARY KEY (tenant_id, community_id)
    )"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        sql::protect_tenant_tables(manager, &["coop_need_settings"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, &["DROP TABLE coop_need_settings"]).await
    }
}
