//! A paired co-construction unit's liaison runs activities in the community: the activity
//! remembers the unit (a street-tenant id, so no foreign key across tenants).
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000017_unit_activities"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "ALTER TABLE activities ADD COLUMN organiser_unit_id {uuid}",
                "CREATE INDEX activities_unit ON activities(tenant_id, organiser_unit_id)",
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DROP INDEX activities_unit",
                "ALTER TABLE activities DROP COLUMN organiser_unit_id",
            ],
        )
        .await
    }
}
