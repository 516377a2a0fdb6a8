//! A member hears in their message centre (消息) how the community decided what they asked
//! for: their 双报到 report confirmed or returned, a change of their details approved or
//! returned.
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::entities::member;
use crate::error::DomainResult;
use crate::kinds::MessageKind;
use crate::tenancy::TenantTx;

/// A message of `kind` about `subject` (kept in this community) to the member, if they have an
/// account.
pub(crate) async fn tell_member(
    tx: &TenantTx,
    member_id: Uuid,
    kind: MessageKind,
    subject: Uuid,
) -> DomainResult<()> {
    let user = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .one(tx)
        .await?
        .and_then(|m| m.user_id);
    let users: Vec<Uuid> = user.into_iter().collect();
    let source = tx.tenant_id();
    crate::notices::tell(tx, kind, source, subject, &users, chrono::Utc::now())
        .await
        .map(|_| ())
}
