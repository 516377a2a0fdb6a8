//! The points ledger cannot credit twice: one reversal per entry, and one standing credit per
//! signup and category — `credit_round` counts the reversals before a credit, so a corrected
//! attendance can earn again, but two concurrent credits of the same round cannot both land.
//! Existing rows get their round once, with the append-only guard lifted for that statement.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000020_ledger_keys"
    }
}

const ADD: &str = "ALTER TABLE points_entries ADD COLUMN credit_round integer NOT NULL DEFAULT 0";

const BACKFILL: &str = "UPDATE points_entries SET credit_round = (
        SELECT COUNT(*) FROM points_entries r
        WHERE r.tenant_id = points_entries.tenant_id
          AND r.signup_id = points_entries.signup_id
          AND r.category = points_entries.category
          AND r.reverses IS NOT NULL
          AND r.id < points_entries.id)
    WHERE signup_id IS NOT NULL AND reverses IS NULL";

const KEYS: &[&str] = &[
    "CREATE UNIQUE INDEX points_entries_one_reversal ON points_entries(tenant_id, reverses)
        WHERE reverses IS NOT NULL",
    "CREATE UNIQUE INDEX points_entries_one_credit
        ON points_entries(tenant_id, signup_id, category, credit_round)
        WHERE signup_id IS NOT NULL AND reverses IS NULL",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if sql::is_postgres(manager) {
            sql::run(
                manager,
                &[
                    ADD,
                    // The owner backfills every tenant's rows at once.
                    "ALTER TABLE points_entries NO FORCE ROW LEVEL SECURITY",
                    "ALTER TABLE points_entries DISABLE TRIGGER points_entries_append_only",
                    BACKFILL,
                    "ALTER TABLE points_entries ENABLE TRIGGER points_entries_append_only",
                    "ALTER TABLE points_entries FORCE ROW LEVEL SECURITY",
                ],
            )
            .await?;
        } else {
            // One batch on one connection: the guard is dropped and put back around the
            // backfill without another connection seeing the table unguarded.
            let lifted = format!(
                "DROP TRIGGER points_entries_no_update; {BACKFILL}; \
                 CREATE TRIGGER points_entries_no_update BEFORE UPDATE ON points_entries \
                 BEGIN SELECT RAISE(ABORT, 'points entries are append-only'); END"
            );
            sql::run(manager, &[ADD, &lifted]).await?;
        }
        sql::run(manager, KEYS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DROP INDEX points_entries_one_credit",
                "DROP INDEX points_entries_one_reversal",
                "ALTER TABLE points_entries DROP COLUMN credit_round",
            ],
        )
        .await
    }
}
