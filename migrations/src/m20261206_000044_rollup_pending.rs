//! Pending totals: a change of a community's counter adds its delta to the totals of its street
//! (and its own) at once, and for the district, city, province and country appends it here
//! instead — no writer waits on a row every other writer in the country also moves. A
//! background task folds it in every second; readers read the stored totals (since session 41;
//! `reconcile` counts both).
//! PostgreSQL only: SQLite has one writer at a time anyway. No foreign key on the node: each
//! insert would lock the very rows of the upper nodes that writers share. The table is a queue
//! (rows come and go every second): vacuumed after a few thousand dead rows, not after a share
//! of the table, since the folding's scans walk the dead index entries until then.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000044_rollup_pending"
    }
}

pub(crate) const UP: &[&str] = &[
    "CREATE TABLE rollup_pending (
        id {uuid} NOT NULL PRIMARY KEY,
        node_id {uuid} NOT NULL,
        metric varchar(64) NOT NULL,
        delta bigint NOT NULL
    )",
    "CREATE INDEX rollup_pending_node ON rollup_pending (node_id, metric)",
];

pub(crate) const VACUUM_OFTEN: &str = "ALTER TABLE rollup_pending SET (
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0, autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 5000)";

// Folded in first: a delta not yet in the totals would be lost.
const DOWN: &[&str] = &[
    "INSERT INTO rollup_totals (node_id, metric, value) \
     SELECT node_id, metric, SUM(delta) FROM rollup_pending GROUP BY node_id, metric \
     ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value",
    "DROP TABLE rollup_pending",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        if sql::is_postgres(manager) {
            sql::run(manager, &[VACUUM_OFTEN]).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, DOWN).await
    }
}
