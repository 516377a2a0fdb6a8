//! A grid branch or building group may record when it was founded (成立日期): one founded this
//! year owes its meetings from then on, not from January. None (every unit so far) keeps the
//! rule as it was: owed the whole year.
//!
//! Taken down, the column stays (an older release never reads it, and the dates kept are not
//! lost); brought up again, it is added only if it is not there.
use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000048_unit_founding"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.has_column("community_units", "founded_on").await? {
            return Ok(());
        }
        sql::run(
            manager,
            &["ALTER TABLE community_units ADD COLUMN founded_on {date}"],
        )
        .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
