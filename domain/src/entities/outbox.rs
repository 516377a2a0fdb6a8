use sea_orm::entity::prelude::*;

/// Something to send through a channel beyond the app (an e-mail to a person, a post to a
/// node's group robot): what it is about, and how trying it went. Sent by the scheduler's
/// lease holder; tried again with backoff, given up after a day of failures.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The tenant the message (or notice) was delivered at: its subject is read from there.
    pub node_id: Uuid,
    pub channel: crate::kinds::Channel,
    /// The person an e-mail goes to; none for a group robot.
    pub user_id: Option<Uuid>,
    pub kind: crate::kinds::MessageKind,
    /// The tenant that keeps the subject.
    pub source_id: Uuid,
    pub subject_id: Uuid,
    pub created_at: DateTimeUtc,
    /// When it is (next) tried.
    pub due_at: DateTimeUtc,
    pub attempts: i32,
    pub sent_at: Option<DateTimeUtc>,
    /// Given up on.
    pub failed_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
