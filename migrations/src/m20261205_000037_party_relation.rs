//! Where a member's Party relation is held: `here` (the community's own member) or `reporting`
//! (a 报到党员, the relation at their employer). Members already on the roster who are in
//! service, name their employer's Party organisation and have a confirmed 双报到 report are
//! 报到党员; the new `members.reporting` counter is filled in and the subtree totals rebuilt.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000037_party_relation"
    }
}

const MARK: &str = "UPDATE members SET relation = 'reporting'
    WHERE category = 'in_service'
      AND employer_party_org IS NOT NULL AND employer_party_org <> ''
      AND EXISTS (SELECT 1 FROM member_reports r
                  WHERE r.tenant_id = members.tenant_id AND r.member_id = members.id
                    AND r.status = 'confirmed')";

const COUNT: &str = "INSERT INTO rollup_counts (node_id, metric, value)
    SELECT tenant_id, 'members.reporting', COUNT(*) FROM members
    WHERE relation = 'reporting' AND status <> 'transferred_out'
    GROUP BY tenant_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &["ALTER TABLE members ADD COLUMN relation varchar(16) NOT NULL DEFAULT 'here'"],
        )
        .await?;
        if sql::is_postgres(manager) {
            // The owner reads every tenant's rows once (row-level security lifted for it).
            sql::run(
                manager,
                &[
                    "ALTER TABLE members NO FORCE ROW LEVEL SECURITY",
                    "ALTER TABLE member_reports NO FORCE ROW LEVEL SECURITY",
                    MARK,
                    COUNT,
                    "ALTER TABLE member_reports FORCE ROW LEVEL SECURITY",
                    "ALTER TABLE members FORCE ROW LEVEL SECURITY",
                ],
            )
            .await?;
        } else {
            sql::run(manager, &[MARK, COUNT]).await?;
        }
        crate::rebuild_totals(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DELETE FROM rollup_counts WHERE metric = 'members.reporting'",
                "ALTER TABLE members DROP COLUMN relation",
            ],
        )
        .await?;
        crate::rebuild_totals(manager.get_connection()).await
    }
}
