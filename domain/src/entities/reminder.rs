use sea_orm::entity::prelude::*;

/// A reminder due at a time (an activity's, a day and two hours before it starts), sent once by
/// the scheduler into the message centres of those it concerns. Names a node and what it is
/// about, never a person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminders")]
pub struct Model {
    /// The tenant its subject is kept in (first in the key: a cluster distributes by it).
    #[sea_orm(primary_key, auto_increment = false)]
    pub node_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: crate::kinds::MessageKind,
    pub subject_id: Uuid,
    pub due_at: DateTimeUtc,
    /// When it was sent (or found no longer wanted); none while it waits.
    pub sent_at: Option<DateTimeUtc>,
    /// How many people it reached.
    pub reached: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
