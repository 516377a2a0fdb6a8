//! Reminders that arrive on their own: each is a row due at a time (an activity's a day and two
//! hours before it starts), sent once by whichever server process holds the scheduler's lease.
//! Both tables are shared and carry no person. Activities already planned get the reminders
//! still to come: the owner reads every tenant's activities once (row-level security lifted
//! for it).
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000028_reminders"
    }
}

const TABLES: &[&str] = &[
    "CREATE TABLE reminders (
        id {uuid} PRIMARY KEY,
        node_id {uuid} NOT NULL REFERENCES org_nodes(id),
        kind varchar(24) NOT NULL,
        subject_id {uuid} NOT NULL,
        due_at {ts} NOT NULL,
        sent_at {ts},
        reached integer
    )",
    "CREATE UNIQUE INDEX reminders_once ON reminders(node_id, subject_id, kind)",
    "CREATE INDEX reminders_due ON reminders(due_at) WHERE sent_at IS NULL",
    "CREATE TABLE scheduler_leases (
        name varchar(32) PRIMARY KEY,
        holder varchar(64) NOT NULL,
        held_until {ts} NOT NULL
    )",
];

/// (kind, hours before the start).
const ACTIVITY_REMINDERS: [(&str, i32); 2] = [("activity_day_before", 24), ("activity_soon", 2)];

fn backfill_postgres(kind: &str, hours: i32) -> String {
    format!(
        "INSERT INTO reminders (id, node_id, kind, subject_id, due_at)
         SELECT gen_random_uuid(), tenant_id, '{kind}', id, starts_at - interval '{hours} hours'
         FROM activities
         WHERE cancelled_at IS NULL AND starts_at - interval '{hours} hours' > now()"
    )
}

/// SQLite keeps times as RFC 3339 text in UTC (`2026-12-04T09:30:00+00:00`).
fn backfill_sqlite(kind: &str, hours: i32) -> String {
    format!(
        "INSERT INTO reminders (id, node_id, kind, subject_id, due_at)
         SELECT randomblob(16), tenant_id, '{kind}', id,
                strftime('%Y-%m-%dT%H:%M:%S+00:00', starts_at, '-{hours} hours')
         FROM activities
         WHERE cancelled_at IS NULL
           AND strftime('%Y-%m-%dT%H:%M:%S+00:00', starts_at, '-{hours} hours')
               > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, TABLES).await?;
        if sql::is_postgres(manager) {
            let mut steps = vec!["ALTER TABLE activities NO FORCE ROW LEVEL SECURITY".to_owned()];
            steps.extend(ACTIVITY_REMINDERS.map(|(k, h)| backfill_postgres(k, h)));
            steps.push("ALTER TABLE activities FORCE ROW LEVEL SECURITY".to_owned());
            let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
            sql::run(manager, &steps).await
        } else {
            let steps = ACTIVITY_REMINDERS.map(|(k, h)| backfill_sqlite(k, h));
            sql::run(manager, &steps.each_ref().map(String::as_str)).await
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &["DROP TABLE scheduler_leases", "DROP TABLE reminders"],
        )
        .await
    }
}
