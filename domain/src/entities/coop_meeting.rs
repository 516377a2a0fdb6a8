use sea_orm::entity::prelude::*;

/// A joint meeting (联席会议) of the street, or of one community when `community_id` is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Option<Uuid>,
    pub title: String,
    pub convener: String,
    pub held_on: Date,
    /// `HH:MM`, local time.
    pub starts_at: String,
    pub venue: String,
    pub minutes: Option<String>,
    pub minutes_on: Option<Date>,
    pub created_on: Date,
}

tenant_table!();
