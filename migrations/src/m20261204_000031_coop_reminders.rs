//! The co-construction space's messages due later, for what was planned before they existed:
//! each meeting still to come gets its reminder a day before it starts, each open resolution
//! given to a community or unit its reminders three days before it is due and the morning
//! after (09:00 China time). Only those still to come are queued, as when they are planned.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000031_coop_reminders"
    }
}

/// A kind of reminder, queued for the rows of a table that want it.
struct Backfill {
    kind: &'static str,
    table: &'static str,
    /// Which rows of `table` want it.
    wanting: &'static str,
}

const BACKFILLS: [Backfill; 3] = [
    Backfill {
        kind: "meeting_soon",
        table: "coop_meetings",
        wanting: "TRUE",
    },
    Backfill {
        kind: "resolution_due_soon",
        table: "coop_resolutions",
        wanting:
            "status <> 'done' AND (owner_community_id IS NOT NULL OR owner_unit_id IS NOT NULL)",
    },
    Backfill {
        kind: "resolution_overdue",
        table: "coop_resolutions",
        wanting:
            "status <> 'done' AND (owner_community_id IS NOT NULL OR owner_unit_id IS NOT NULL)",
    },
];

/// When `kind` is due on PostgreSQL: China time is UTC+8 (a day before 14:30 is 06:30 UTC
/// the day before; 09:00 is 01:00 UTC).
fn due_postgres(kind: &str) -> &'static str {
    match kind {
        "meeting_soon" => "(held_on + starts_at::time - interval '32 hours') AT TIME ZONE 'UTC'",
        "resolution_due_soon" => "(due_on - 3 + time '01:00') AT TIME ZONE 'UTC'",
        _ => "(due_on + 1 + time '01:00') AT TIME ZONE 'UTC'",
    }
}

/// When `kind` is due on SQLite, kept as RFC 3339 text in UTC (dates are `YYYY-MM-DD` text).
fn due_sqlite(kind: &str) -> &'static str {
    match kind {
        "meeting_soon" => {
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', held_on || ' ' || starts_at, '-8 hours', '-24 hours')"
        }
        "resolution_due_soon" => {
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', due_on || ' 09:00', '-8 hours', '-3 days')"
        }
        _ => "strftime('%Y-%m-%dT%H:%M:%S+00:00', due_on || ' 09:00', '-8 hours', '+1 days')",
    }
}

fn backfill(b: &Backfill, due: &str, id: &str, now: &str) -> String {
    format!(
        "INSERT INTO reminders (id, node_id, kind, subject_id, due_at)
         SELECT {id}, tenant_id, '{kind}', id, {due}
         FROM {table}
         WHERE {wanting} AND {due} > {now}
         ON CONFLICT (node_id, subject_id, kind) DO NOTHING",
        kind = b.kind,
        table = b.table,
        wanting = b.wanting,
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if sql::is_postgres(manager) {
            // The owner reads every tenant's rows once (row-level security lifted for it).
            let tables = ["coop_meetings", "coop_resolutions"];
            let mut steps: Vec<String> = tables
                .iter()
                .map(|t| format!("ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY"))
                .collect();
            steps.extend(
                BACKFILLS
                    .iter()
                    .map(|b| backfill(b, due_postgres(b.kind), "gen_random_uuid()", "now()")),
            );
            steps.extend(
                tables
                    .iter()
                    .map(|t| format!("ALTER TABLE {t} FORCE ROW LEVEL SECURITY")),
            );
            let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
            sql::run(manager, &steps).await
        } else {
            let now = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')";
            let steps: Vec<String> = BACKFILLS
                .iter()
                .map(|b| backfill(b, due_sqlite(b.kind), "randomblob(16)", now))
                .collect();
            let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
            sql::run(manager, &steps).await
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &["DELETE FROM reminders WHERE kind IN \
               ('meeting_soon', 'resolution_due_soon', 'resolution_overdue')"],
        )
        .await
    }
}
