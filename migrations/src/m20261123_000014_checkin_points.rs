//! 签到 and 积分: attendance on each signup (by a rotating code or marked by hand, with failed
//! code attempts counted for the rate limit), each activity's check-in secret, and the
//! append-only points ledger with the community's rules.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000014_checkin_points"
    }
}

const UP: &[&str] = &[
    "ALTER TABLE activities ADD COLUMN checkin_secret varchar(64) NOT NULL DEFAULT ''",
    "ALTER TABLE activity_signups ADD COLUMN attendance varchar(12)",
    "ALTER TABLE activity_signups ADD COLUMN checked_in_at {ts}",
    "ALTER TABLE activity_signups ADD COLUMN checkin_failures integer NOT NULL DEFAULT 0",
    "ALTER TABLE activity_signups ADD COLUMN checkin_locked_until {ts}",
    "CREATE TABLE points_rules (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        rule varchar(24) NOT NULL,
        points integer NOT NULL,
        PRIMARY KEY (tenant_id, rule)
    )",
    "CREATE TABLE points_entries (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        year integer NOT NULL,
        category varchar(16) NOT NULL,
        points integer NOT NULL,
        reason varchar(200) NOT NULL,
        signup_id {uuid},
        reverses {uuid},
        created_by {uuid} REFERENCES users(id),
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id),
        FOREIGN KEY (tenant_id, signup_id) REFERENCES activity_signups(tenant_id, id),
        FOREIGN KEY (tenant_id, reverses) REFERENCES points_entries(tenant_id, id)
    )",
    "CREATE INDEX points_entries_member ON points_entries(tenant_id, member_id, year)",
    "CREATE INDEX points_entries_signup ON points_entries(tenant_id, signup_id)",
];

/// The ledger is append-only: a wrong entry is reversed by a counter-entry.
const APPEND_ONLY: &[&str] = &[
    "CREATE TRIGGER points_entries_no_update BEFORE UPDATE ON points_entries
        BEGIN SELECT RAISE(ABORT, 'points entries are append-only'); END",
    "CREATE TRIGGER points_entries_no_delete BEFORE DELETE ON points_entries
        BEGIN SELECT RAISE(ABORT, 'points entries are append-only'); END",
];

const APPEND_ONLY_PG: &[&str] = &[
    "CREATE FUNCTION points_entries_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'points entries are append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER points_entries_append_only BEFORE UPDATE OR DELETE ON points_entries
        FOR EACH ROW EXECUTE FUNCTION points_entries_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        if sql::is_postgres(manager) {
            sql::run(manager, APPEND_ONLY_PG).await?;
        } else {
            sql::run(manager, APPEND_ONLY).await?;
        }
        sql::protect_tenant_tables(manager, &["points_rules", "points_entries"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut drops = vec!["DROP TABLE points_entries", "DROP TABLE points_rules"];
        if sql::is_postgres(manager) {
            drops.push("DROP FUNCTION points_entries_append_only()");
        }
        drops.extend([
            "ALTER TABLE activity_signups DROP COLUMN checkin_locked_until",
            "ALTER TABLE activity_signups DROP COLUMN checkin_failures",
            "ALTER TABLE activity_signups DROP COLUMN checked_in_at",
            "ALTER TABLE activity_signups DROP COLUMN attendance",
            "ALTER TABLE activities DROP COLUMN checkin_secret",
        ]);
        sql::run(manager, &drops).await
    }
}
