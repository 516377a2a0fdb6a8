//! The service posts a community offers (政策宣讲, 环境整治, 助老服务 …).
use chrono::Utc;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::service_post;
use crate::error::{DomainError, DomainResult};
use crate::members::ensure_keeper;
use crate::tenancy::{Row, TenantTx};
use crate::validate::{optional_text, required_text};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostInput {
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "crate::validate::checkbox")]
    pub active: bool,
}

/// The community's posts, oldest first. Anyone with a role in the community may read them
/// (members pick from them when they report).
pub async fn posts(tx: &TenantTx) -> DomainResult<Vec<Post>> {
    let rows = tx
        .find::<service_post::Entity>()
        .order_by_asc(service_post::Column::CreatedAt)
        .order_by_asc(service_post::Column::Id)
        .all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| Post {
            id: p.id,
            name: p.name,
            description: p.description,
            active: p.active,
        })
        .collect())
}

/// Adds a post (`id` none) or changes one; names are unique within the community.
pub async fn save_post(tx: &TenantTx, id: Option<Uuid>, input: &PostInput) -> DomainResult<Uuid> {
    ensure_keeper(tx)?;
    let name = required_text("post_name", &input.name, 50)?;
    let description = optional_text("description", &input.description, 300)?;
    let mut same_name = tx
        .find::<service_post::Entity>()
        .filter(service_post::Column::Name.eq(name.as_str()));
    if let Some(id) = id {
        same_name = same_name.filter(service_post::Column::Id.ne(id));
    }
    if same_name.count(tx).await? > 0 {
        return Err(DomainError::invalid("post_name", "exists"));
    }
    match id {
        None => {
            let id = Uuid::now_v7();
            service_post::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                id: Set(id),
                name: Set(name),
                description: Set(description),
                active: Set(input.active),
                created_at: Set(Utc::now()),
            }
            .insert_in(tx)
            .await?;
            Ok(id)
        }
        Some(id) => {
            let found = tx
                .find::<service_post::Entity>()
                .filter(service_post::Column::Id.eq(id))
                .one(tx)
                .await?
                .ok_or(DomainError::NotFound)?;
            let mut active: service_post::ActiveModel = found.into();
            active.name = Set(name);
            active.description = Set(description);
            active.active = Set(input.active);
            active.update_in(tx).await?;
            Ok(id)
        }
    }
}
