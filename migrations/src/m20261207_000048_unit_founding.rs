//! A grid branch or building group may record when it was founded (成立日期): one founded this
//! year owes its meetings from then on, not from January. None (every unit so far) keeps the
//! rule as it was: owed the whole year.
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
        sql::run(
            manager,
            &["ALTER TABLE community_units ADD COLUMN founded_on {date}"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &["ALTER TABLE community_units DROP COLUMN founded_on"],
        )
        .await
    }
}
