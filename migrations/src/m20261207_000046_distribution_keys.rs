//! Keys a Citus cluster can distribute by (`deploy/citus.sql`), the shared tables that did not
//! have one:
//! - `rollup_pending` is kept by the node whose own counter moved (`source_id`: the writing
//!   community, so on Citus the delta lands on the shard of the rows that caused it), keyed
//!   (source_id, id), ordered by an index on id (folded oldest first). Its index by node went:
//!   nothing reads the queue by node since reads take the stored totals. The deltas waiting
//!   are folded into the totals first: none is lost.
//! - `reminders` is keyed (node_id, id): its unique (node_id, subject_id, kind) already named
//!   the node, so it can be distributed by it.
//!
//! Both engines for `rollup_pending` (the same table everywhere), in one transaction, the queue
//! locked against writers and folders meanwhile (PostgreSQL), the serving role's rights on it
//! given back as they were; the key of `reminders` is PostgreSQL's only (SQLite is one file,
//! never distributed; its key stays (id)). Servers of an older release write the queue's old
//! shape: stop them before this upgrade (README, upgrades). On a Citus cluster the remade
//! queue is a plain table again until its line of `deploy/citus.sql` runs.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261206_000044_rollup_pending as m44;
use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000046_distribution_keys"
    }
}

/// What waits is added to the totals before the queue is remade (`WHERE true`: SQLite's parser
/// needs it before an upsert's ON).
const FOLD_IN: &str = "INSERT INTO rollup_totals (node_id, metric, value) \
     SELECT node_id, metric, SUM(delta) FROM rollup_pending WHERE true GROUP BY node_id, metric \
     ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value";

const UP: &[&str] = &[
    FOLD_IN,
    "DROP TABLE rollup_pending",
    "CREATE TABLE rollup_pending (
        source_id {uuid} NOT NULL,
        id {uuid} NOT NULL,
        node_id {uuid} NOT NULL,
        metric varchar(64) NOT NULL,
        delta bigint NOT NULL,
        PRIMARY KEY (source_id, id)
    )",
    "CREATE INDEX rollup_pending_order ON rollup_pending (id)",
];

/// Folded in, then migration 44's table again.
const DOWN: &[&str] = &[FOLD_IN, "DROP TABLE rollup_pending"];

const REMINDERS_UP: &[&str] = &[
    "ALTER TABLE reminders DROP CONSTRAINT reminders_pkey",
    "ALTER TABLE reminders ADD CONSTRAINT reminders_pkey PRIMARY KEY (node_id, id)",
];

const REMINDERS_DOWN: &[&str] = &[
    "ALTER TABLE reminders DROP CONSTRAINT reminders_pkey",
    "ALTER TABLE reminders ADD CONSTRAINT reminders_pkey PRIMARY KEY (id)",
];

/// No delta comes or goes while the queue is folded in and remade.
const LOCK: &str = "LOCK TABLE rollup_pending, rollup_totals IN ACCESS EXCLUSIVE MODE";

/// The rights other roles hold on the queue (`GRANT` statements), to give back once it is
/// remade: the serving role writes it on every change of a counter.
async fn grants(manager: &SchemaManager<'_>) -> Result<Vec<String>, DbErr> {
    let rows = manager
        .get_connection()
        .query_all_raw(sea_orm_migration::sea_orm::Statement::from_string(
            manager.get_database_backend(),
            "SELECT format('GRANT %s ON rollup_pending TO %I', \
                 string_agg(privilege_type, ', '), grantee) AS statement \
             FROM information_schema.role_table_grants \
             WHERE table_schema = 'public' AND table_name = 'rollup_pending' \
             AND grantee <> current_user GROUP BY grantee",
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get("", "statement"))
        .collect()
}

/// Remakes the queue (`steps`) and, on PostgreSQL, gives its rights back and sets its vacuum.
async fn remake(
    manager: &SchemaManager<'_>,
    steps: &[&[&str]],
    keys: &[&str],
) -> Result<(), DbErr> {
    if !sql::is_postgres(manager) {
        for part in steps {
            sql::run(manager, part).await?;
        }
        return Ok(());
    }
    sql::run(manager, &[LOCK]).await?;
    let given = grants(manager).await?;
    for part in steps {
        sql::run(manager, part).await?;
    }
    let given: Vec<&str> = given.iter().map(String::as_str).collect();
    sql::run(manager, &given).await?;
    sql::run(manager, &[m44::VACUUM_OFTEN]).await?;
    sql::run(manager, keys).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // SQLite too: the queue is never dropped without being made again.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        remake(manager, &[UP], REMINDERS_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        remake(manager, &[DOWN, m44::UP], REMINDERS_DOWN).await
    }
}
