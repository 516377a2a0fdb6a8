//! The append-only audit log: logins, role changes and every cross-tenant flow.
use chrono::Utc;
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use crate::db::Db;
use crate::entities::audit_log;
use crate::error::DomainResult;
use crate::tenancy::{Row, Runner};

#[derive(Debug)]
pub struct AuditEvent {
    action: &'static str,
    subject: String,
    actor: Option<Uuid>,
    node: Option<Uuid>,
    detail: serde_json::Value,
    ip: Option<String>,
}

impl AuditEvent {
    pub fn new(action: &'static str, subject: impl Into<String>) -> Self {
        AuditEvent {
            action,
            subject: subject.into().chars().take(200).collect(),
            actor: None,
            node: None,
            detail: serde_json::Value::Null,
            ip: None,
        }
    }
    pub fn actor(mut self, actor: Option<Uuid>) -> Self {
        self.actor = actor;
        self
    }
    pub fn node(mut self, node: Option<Uuid>) -> Self {
        self.node = node;
        self
    }
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
    pub fn ip(mut self, ip: Option<String>) -> Self {
        self.ip = ip;
        self
    }
}

/// Appends one event, inside whatever transaction the caller is in.
pub async fn record(conn: &impl Runner, event: AuditEvent) -> DomainResult<()> {
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        actor_user_id: Set(event.actor),
        action: Set(event.action.to_owned()),
        org_node_id: Set(event.node),
        subject: Set(event.subject),
        detail: Set(event.detail.to_string()),
        ip: Set(event.ip),
    }
    .insert_in(conn)
    .await?;
    Ok(())
}

/// The most recent events of one action (platform operators and tests).
pub async fn recent(db: &Db, action: &str, limit: u64) -> DomainResult<Vec<audit_log::Model>> {
    crate::tenancy::shared::find::<audit_log::Entity>()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Lines of the log that no month holds (PostgreSQL: the DEFAULT partition's, counted up to
/// `UNPLACED_COUNTED`), for the operator: while it holds any, the month they belong to cannot
/// be made (README, retention), and retention cannot drop them with their month.
/// None on SQLite (one table, not by month).
pub async fn unplaced(db: &Db) -> DomainResult<Option<i64>> {
    use crate::tenancy::Sql;
    if !db.is_postgres() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT count(*) AS n FROM (SELECT 1 FROM audit_log_default LIMIT {UNPLACED_COUNTED}) q"
    );
    let row = db
        .query_one_sql(sea_orm::Statement::from_string(db.backend(), sql))
        .await?;
    Ok(Some(match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    }))
}

/// `unplaced` counts this many at most.
const UNPLACED_COUNTED: i64 = 10_000;

/// Attempts an UPDATE of the log (tests prove the database refuses it).
#[cfg(feature = "test-support")]
pub async fn try_rewrite_for_test(db: &Db) -> DomainResult<()> {
    use crate::tenancy::Sql;
    let sql = "UPDATE audit_log SET subject = 'rewritten'";
    db.execute_sql(sea_orm::Statement::from_string(db.backend(), sql))
        .await?;
    Ok(())
}

/// Attempts a DELETE from the log (tests prove the database refuses it).
#[cfg(feature = "test-support")]
pub async fn try_delete_for_test(db: &Db) -> DomainResult<()> {
    use crate::tenancy::Sql;
    let sql = "DELETE FROM audit_log";
    db.execute_sql(sea_orm::Statement::from_string(db.backend(), sql))
        .await?;
    Ok(())
}
