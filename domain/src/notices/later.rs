//! Messages due later (an activity's reminders, a meeting's, a resolution's due date): a row of
//! the shared `reminders` queue per subject and kind, sent when due by the scheduler
//! (`crate::reminders`), which asks the subject's feature whom it reaches then.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use crate::entities::reminder;
use crate::error::DomainResult;
use crate::kinds::MessageKind;
use crate::tenancy::{shared, TenantTx};

/// A message of `kind` about `subject` (kept in `tx`'s tenant) due at `due`, replacing the one
/// set before (sent again when due). One whose time has passed already is not sent: those it
/// would tell are acting now.
pub(crate) async fn schedule(
    tx: &TenantTx,
    kind: MessageKind,
    subject: Uuid,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let passed = due <= now;
    let row = reminder::ActiveModel {
        id: Set(Uuid::now_v7()),
        node_id: Set(tx.tenant_id()),
        kind: Set(kind),
        subject_id: Set(subject),
        due_at: Set(due),
        sent_at: Set(passed.then_some(now)),
        reached: Set(passed.then_some(0)),
    };
    let again = OnConflict::columns([
        reminder::Column::NodeId,
        reminder::Column::SubjectId,
        reminder::Column::Kind,
    ])
    .update_columns([
        reminder::Column::DueAt,
        reminder::Column::SentAt,
        reminder::Column::Reached,
    ])
    .to_owned();
    shared::upsert(tx, row, again).await?;
    Ok(())
}

/// What was still to be sent about `subject` will not be (it was cancelled, or done).
pub(crate) async fn unschedule(
    tx: &TenantTx,
    subject: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    shared::update_many::<reminder::Entity>()
        .col_expr(reminder::Column::SentAt, Expr::value(now))
        .col_expr(reminder::Column::Reached, Expr::value(0))
        .filter(reminder::Column::NodeId.eq(tx.tenant_id()))
        .filter(reminder::Column::SubjectId.eq(subject))
        .filter(reminder::Column::SentAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}
