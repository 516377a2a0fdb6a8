//! A covering index for the roster list: paging, counting and filtering by status, category,
//! placement and name read the index only, and full rows are fetched for one page at a time.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_roster_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &["CREATE INDEX members_roster ON members(tenant_id, id, status, category, unit_id, name)"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, &["DROP INDEX members_roster"]).await
    }
}
