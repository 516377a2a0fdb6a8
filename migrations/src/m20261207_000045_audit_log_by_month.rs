//! The audit log partitioned by month (PostgreSQL): old months can be dropped whole under the
//! retention policy (README), and the table can be distributed (its key now holds the
//! partition column). The statement-level append-only trigger becomes a row-level one (Citus
//! allows no statement triggers on a distributed table; the serving role's missing UPDATE and
//! DELETE rights remain the first guard). Months are China time. This migration makes the
//! months from the oldest row's to 24 ahead; `audit_months` (run by every `migrate`) keeps 24
//! ahead; a DEFAULT partition takes any row no month was made for. SQLite: unchanged.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000045_audit_log_by_month"
    }
}

const UP: &[&str] = &[
    "ALTER TABLE audit_log RENAME TO audit_log_unpartitioned",
    "ALTER INDEX audit_log_action_subject RENAME TO audit_log_unpartitioned_action_subject",
    "ALTER INDEX audit_log_login_ok RENAME TO audit_log_unpartitioned_login_ok",
    "DROP TRIGGER audit_log_no_change ON audit_log_unpartitioned",
    "CREATE TABLE audit_log (
        id uuid NOT NULL,
        at timestamptz NOT NULL,
        actor_user_id uuid,
        action varchar(64) NOT NULL,
        org_node_id uuid,
        subject varchar(200) NOT NULL,
        detail text NOT NULL,
        ip varchar(64),
        PRIMARY KEY (id, at)
    ) PARTITION BY RANGE (at)",
    "CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT",
    "CREATE INDEX audit_log_action_subject ON audit_log(action, subject, at)",
    "CREATE INDEX audit_log_login_ok ON audit_log(actor_user_id, action, ip)",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
];

/// After the months exist: the rows move in, each to its month.
const MOVE: &[&str] = &[
    "INSERT INTO audit_log (id, at, actor_user_id, action, org_node_id, subject, detail, ip)
     SELECT id, at, actor_user_id, action, org_node_id, subject, detail, ip
     FROM audit_log_unpartitioned",
    "DROP TABLE audit_log_unpartitioned",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !sql::is_postgres(manager) {
            return Ok(());
        }
        let conn = manager.get_connection();
        let oldest = conn
            .query_one_raw(sea_orm_migration::sea_orm::Statement::from_string(
                conn.get_database_backend(),
                "SELECT COALESCE(MIN(at), now())::text AS oldest FROM audit_log",
            ))
            .await?
            .map(|row| row.try_get::<String>("", "oldest"))
            .transpose()?;
        sql::run(manager, UP).await?;
        let from = oldest.unwrap_or_else(|| "now".to_owned());
        crate::audit_months(conn, &from).await?;
        sql::run(manager, MOVE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !sql::is_postgres(manager) {
            return Ok(());
        }
        sql::run(
            manager,
            &[
                "CREATE TABLE audit_log_rows AS SELECT * FROM audit_log",
                "DROP TABLE audit_log",
                "ALTER TABLE audit_log_rows RENAME TO audit_log",
                "ALTER TABLE audit_log ADD PRIMARY KEY (id)",
                "CREATE INDEX audit_log_action_subject ON audit_log(action, subject, at)",
                "CREATE INDEX audit_log_login_ok ON audit_log(actor_user_id, action, ip)",
                "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                 FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            ],
        )
        .await
    }
}
