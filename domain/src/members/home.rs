//! The signed-in member's own page: their record, its history and their latest proposals, with
//! the record read once.
use sea_orm::ColumnTrait;

use super::{history, proposals, roster, MemberEvent, MemberRow, Proposal};
use crate::entities::member;
use crate::error::DomainResult;
use crate::tenancy::TenantTx;

pub struct MemberHome {
    pub me: MemberRow,
    pub history: Vec<MemberEvent>,
    pub proposals: Vec<Proposal>,
}

/// `None` when the signed-in account has no record in this community.
pub async fn home(tx: &TenantTx) -> DomainResult<Option<MemberHome>> {
    let Some(me) = tx
        .find::<member::Entity>()
        .filter(member::Column::UserId.eq(tx.actor_user_id()))
        .one(tx)
        .await?
    else {
        return Ok(None);
    };
    let history = history::events(tx, me.id).await?;
    let proposals = proposals::proposals_of(tx, &me).await?;
    Ok(Some(MemberHome {
        me: roster::row(tx, me),
        history,
        proposals,
    }))
}
