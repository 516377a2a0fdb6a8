//! 三会一课 for streets and districts: per grid branch, kind and year, the months in which a
//! meeting (not cancelled) started, as a bit mask kept in step with the community's
//! activities. With the community's cadences (rollup counters) a street reads how many
//! branches are behind without touching a community's rows.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000018_rollup_org_life"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &["CREATE TABLE rollup_org_life (
                node_id {uuid} NOT NULL REFERENCES org_nodes(id),
                branch_id {uuid} NOT NULL,
                kind varchar(24) NOT NULL,
                year integer NOT NULL,
                months integer NOT NULL,
                PRIMARY KEY (node_id, branch_id, kind, year)
            )"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, &["DROP TABLE rollup_org_life"]).await
    }
}
