use sea_orm::entity::prelude::*;

/// A code sent to an address or number an account asked its messages to go to, waiting to be
/// typed back (`code` empty once used or given up), and how many were sent in a day. Names the
/// account, nothing of a tenant.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: crate::kinds::Channel,
    pub address: String,
    pub code: String,
    pub sent_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Wrong codes typed so far.
    pub tries: i32,
    /// Codes sent since `counted_from` (a day at most).
    pub sends: i32,
    pub counted_from: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
