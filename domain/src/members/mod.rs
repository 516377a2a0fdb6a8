//! Party members of a community. This is the seed of the roster; the members feature grows it.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::member;
use crate::error::{DomainError, DomainResult};
use crate::rollup;
use crate::tenancy::TenantTx;
use crate::validate::required_text;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCard {
    pub id: Uuid,
    pub name: String,
    pub gender: String,
}

pub async fn add_member(
    tx: &TenantTx,
    name: &str,
    gender: &str,
    unit_id: Option<Uuid>,
    user_id: Option<Uuid>,
) -> DomainResult<Uuid> {
    let name = required_text("name", name, 64)?;
    if !matches!(gender, "男" | "女") {
        return Err(DomainError::invalid("gender", "not_in_list"));
    }
    let id = Uuid::now_v7();
    member::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(id),
        name: Set(name),
        gender: Set(gender.to_owned()),
        unit_id: Set(unit_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
    }
    .insert(tx.conn())
    .await?;
    rollup::bump(tx, rollup::Metric::Members, 1).await?;
    Ok(id)
}

pub async fn count(tx: &TenantTx) -> DomainResult<u64> {
    Ok(tx.find::<member::Entity>().count(tx.conn()).await?)
}

/// The member record linked to a user account, within this tenant.
pub async fn find_by_user(tx: &TenantTx, user_id: Uuid) -> DomainResult<Option<MemberCard>> {
    Ok(tx
        .find::<member::Entity>()
        .filter(member::Column::UserId.eq(user_id))
        .one(tx.conn())
        .await?
        .map(|m| MemberCard {
            id: m.id,
            name: m.name,
            gender: m.gender,
        }))
}
