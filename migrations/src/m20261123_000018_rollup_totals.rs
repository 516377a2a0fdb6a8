//! Subtree totals of the rollup counters: for every node, each counter summed over the node and
//! everything below it, kept in step (by deltas) with the nodes' own counters. A dashboard then
//! reads its node's row and its children's, at any level, without summing a subtree. Filled
//! here from the counters already kept, level by level from the deepest; every community is
//! also counted as one `communities`.
use crate::sql;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000018_rollup_totals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "CREATE TABLE rollup_totals (
                    node_id {uuid} NOT NULL REFERENCES org_nodes(id),
                    metric varchar(64) NOT NULL,
                    value bigint NOT NULL,
                    PRIMARY KEY (node_id, metric)
                )",
                "INSERT INTO rollup_counts (node_id, metric, value)
                    SELECT id, 'communities', 1 FROM org_nodes WHERE kind = 'community'",
            ],
        )
        .await?;
        rebuild_totals(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DROP TABLE rollup_totals",
                "DELETE FROM rollup_counts WHERE metric = 'communities'",
            ],
        )
        .await
    }
}

/// Recomputes every subtree total from the nodes' own counters, level by level from the
/// deepest (the migration, `reconcile --fix` and bulk loads use it).
pub async fn rebuild_totals<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let run = |sql: String| Statement::from_string(backend, sql);
    conn.execute_raw(run("DELETE FROM rollup_totals".into()))
        .await?;
    conn.execute_raw(run(
        "INSERT INTO rollup_totals (node_id, metric, value) \
         SELECT node_id, metric, value FROM rollup_counts WHERE metric <> 'lock'"
            .into(),
    ))
    .await?;
    let depth = "LENGTH(c.path) - LENGTH(REPLACE(c.path, '/', ''))";
    let deepest = conn
        .query_one_raw(run(format!(
            "SELECT CAST(MAX({depth}) AS BIGINT) AS d FROM org_nodes c"
        )))
        .await?
        .and_then(|row| row.try_get::<Option<i64>>("", "d").ok().flatten())
        .unwrap_or(0);
    for level in (2..=deepest).rev() {
        conn.execute_raw(run(format!(
            "INSERT INTO rollup_totals (node_id, metric, value) \
             SELECT c.parent_id, t.metric, SUM(t.value) FROM rollup_totals t \
             JOIN org_nodes c ON c.id = t.node_id \
             WHERE c.parent_id IS NOT NULL AND {depth} = {level} \
             GROUP BY c.parent_id, t.metric \
             ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value"
        )))
        .await?;
    }
    Ok(())
}
