use sea_orm::entity::prelude::*;

/// A member's points in one category for a year, frozen at year end for the ranking.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "points_year_totals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: crate::kinds::PointsCategory,
    pub points: i64,
    pub frozen_at: DateTimeUtc,
}

tenant_table!();
