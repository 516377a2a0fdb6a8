//! Meeting records (会议记录) of a branch's 三会一课 and 主题党日: who was on the branch's roster
//! when (`roster_spans`, so 应到 at a meeting's date can be computed after members have moved),
//! leave asked for and decided on each person's roll row (`activity_signups`), and the minutes
//! (`meeting_minutes`). Members already placed get a span with no start: the service has not
//! seen them join, so they count as there all along (the span takes the member's id).
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000040_meeting_records"
    }
}

const TABLES: &[&str] = &[
    "CREATE TABLE roster_spans (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        unit_id {uuid} NOT NULL,
        from_at {ts},
        until_at {ts},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id),
        FOREIGN KEY (tenant_id, unit_id) REFERENCES community_units(tenant_id, id)
    )",
    "CREATE INDEX roster_spans_unit ON roster_spans(tenant_id, unit_id)",
    "CREATE INDEX roster_spans_member ON roster_spans(tenant_id, member_id)",
    "CREATE TABLE meeting_minutes (
        {tenant_keys},
        activity_id {uuid} NOT NULL,
        host varchar(40) NOT NULL,
        recorder varchar(40) NOT NULL,
        topic varchar(200) NOT NULL,
        minutes text NOT NULL,
        saved_at {ts} NOT NULL,
        saved_by {uuid} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, activity_id),
        FOREIGN KEY (tenant_id, activity_id) REFERENCES activities(tenant_id, id)
    )",
    "ALTER TABLE activity_signups ADD COLUMN leave_state varchar(16)",
    "ALTER TABLE activity_signups ADD COLUMN leave_reason varchar(400)",
    "ALTER TABLE activity_signups ADD COLUMN leave_asked_at {ts}",
    "ALTER TABLE activity_signups ADD COLUMN leave_decided_by {uuid}",
];

const SPANS: &str =
    "INSERT INTO roster_spans (tenant_id, id, member_id, unit_id, from_at, until_at)
    SELECT tenant_id, id, id, unit_id, NULL, NULL FROM members
    WHERE unit_id IS NOT NULL AND status <> 'transferred_out' AND relation = 'here'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, TABLES).await?;
        if sql::is_postgres(manager) {
            // The owner reads every tenant's members once (row-level security lifted for it).
            sql::run(
                manager,
                &[
                    "ALTER TABLE members NO FORCE ROW LEVEL SECURITY",
                    SPANS,
                    "ALTER TABLE members FORCE ROW LEVEL SECURITY",
                ],
            )
            .await?;
        } else {
            sql::run(manager, &[SPANS]).await?;
        }
        sql::protect_tenant_tables(manager, &["roster_spans", "meeting_minutes"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DROP TABLE meeting_minutes",
                "DROP TABLE roster_spans",
                "ALTER TABLE activity_signups DROP COLUMN leave_decided_by",
                "ALTER TABLE activity_signups DROP COLUMN leave_asked_at",
                "ALTER TABLE activity_signups DROP COLUMN leave_reason",
                "ALTER TABLE activity_signups DROP COLUMN leave_state",
            ],
        )
        .await
    }
}
