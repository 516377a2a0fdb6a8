//! A notice's 确认收到 date copied onto each recipient's message, so "notices to confirm" is
//! one indexed count in the recipient's tenant (the notice itself is kept by the sender's).
//! Messages delivered before are filled in from their notices.
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000035_message_confirm_by"
    }
}

const FILL: &str = "UPDATE messages SET confirm_by = (
        SELECT n.confirm_by FROM notices n
        WHERE n.tenant_id = messages.source_id AND n.id = messages.subject_id)
    WHERE kind = 'notice'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "ALTER TABLE messages ADD COLUMN confirm_by {date}",
                "CREATE INDEX messages_to_confirm ON messages(tenant_id, user_id)
                 WHERE confirm_by IS NOT NULL AND confirmed_at IS NULL",
            ],
        )
        .await?;
        if sql::is_postgres(manager) {
            // The owner reads every tenant's rows once (row-level security lifted for it).
            sql::run(
                manager,
                &[
                    "ALTER TABLE messages NO FORCE ROW LEVEL SECURITY",
                    "ALTER TABLE notices NO FORCE ROW LEVEL SECURITY",
                    FILL,
                    "ALTER TABLE notices FORCE ROW LEVEL SECURITY",
                    "ALTER TABLE messages FORCE ROW LEVEL SECURITY",
                ],
            )
            .await
        } else {
            sql::run(manager, &[FILL]).await
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DROP INDEX messages_to_confirm",
                "ALTER TABLE messages DROP COLUMN confirm_by",
            ],
        )
        .await
    }
}
