//! Every activity has its check-in key. Activities from before check-in existed had none and
//! got one the first time their code was shown, a write inside the organiser screen's read
//! (on SQLite refused at once when another writer came in between). Each is given a random
//! key here, 32 bytes in hex as the domain makes them; the screen then only reads.
use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000047_checkin_keys"
    }
}

const SQLITE_FILL: &str =
    "UPDATE activities SET checkin_secret = lower(hex(randomblob(32))) WHERE checkin_secret = ''";

/// Two random UUIDs (PostgreSQL's strong random source) without their dashes: 64 hex digits.
const POSTGRES_FILL: &str = "UPDATE activities SET checkin_secret = \
     replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') \
     WHERE checkin_secret = ''";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if sql::is_postgres(manager) {
            // The owner writes every tenant's rows once (row-level security lifted for it).
            sql::run(
                manager,
                &[
                    "ALTER TABLE activities NO FORCE ROW LEVEL SECURITY",
                    POSTGRES_FILL,
                    "ALTER TABLE activities FORCE ROW LEVEL SECURITY",
                ],
            )
            .await
        } else {
            sql::run(manager, &[SQLITE_FILL]).await
        }
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The keys stay: an older release reads them as it made them.
        Ok(())
    }
}
