//! 流动党员跟踪: contact attempts with floating members, where they are now, and the lost-contact
//! list (no successful contact for more than N days, N set per community).
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{Category, ContactMethod, Status};
use super::roster::{ensure_keeper, ensure_staff};
use crate::entities::{community_setting, member, member_contact};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{Row, TenantTx};
use crate::validate::{optional_text, past_date};

pub const DEFAULT_LOST_CONTACT_DAYS: i32 = 90;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub date: String,
    pub method: String,
    #[serde(deserialize_with = "crate::validate::checkbox")]
    pub reached: bool,
    pub city: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub date: NaiveDate,
    pub method: ContactMethod,
    pub reached: bool,
    pub city: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloatingRow {
    pub member_id: Uuid,
    pub name: String,
    pub status: Status,
    pub current_city: Option<String>,
    pub last_contact: Option<NaiveDate>,
    /// Days since the last successful contact (None: never reached).
    pub days_since: Option<i64>,
    pub lost: bool,
}

/// Records one attempt to reach a member; a successful one with a city updates where they are.
pub async fn record_contact(
    tx: &TenantTx,
    member_id: Uuid,
    input: &ContactInput,
    today: NaiveDate,
) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let on = past_date("contact_date", &input.date, today)?
        .ok_or_else(|| DomainError::invalid("contact_date", "required"))?;
    let method = ContactMethod::parse(&input.method)
        .ok_or_else(|| DomainError::invalid("method", "not_in_list"))?;
    let city = optional_text("city", &input.city, 64)?;
    let note = optional_text("note", &input.note, 500)?;
    let found = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    let actor = tx.actor_user_id();
    member_contact::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        contacted_on: Set(on),
        method: Set(method),
        reached: Set(input.reached),
        city: Set(city.clone()),
        note: Set(note),
        actor_user_id: Set((!actor.is_nil()).then_some(actor)),
    }
    .insert_in(tx)
    .await?;
    if let (true, Some(city)) = (input.reached, city) {
        let mut active: member::ActiveModel = found.into();
        active.current_city = Set(Some(city));
        active.update_in(tx).await?;
    }
    Ok(())
}

/// A member's contact attempts, newest first.
pub async fn contacts(tx: &TenantTx, member_id: Uuid) -> DomainResult<Vec<Contact>> {
    ensure_staff(tx)?;
    let rows = tx
        .find::<member_contact::Entity>()
        .filter(member_contact::Column::MemberId.eq(member_id))
        .order_by_desc(member_contact::Column::ContactedOn)
        .order_by_desc(member_contact::Column::Id)
        .all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| Contact {
            date: c.contacted_on,
            method: c.method,
            reached: c.reached,
            city: c.city,
            note: c.note,
        })
        .collect())
}

pub async fn lost_contact_days(tx: &TenantTx) -> DomainResult<i32> {
    Ok(tx
        .find::<community_setting::Entity>()
        .one(tx)
        .await?
        .map_or(DEFAULT_LOST_CONTACT_DAYS, |s| s.lost_contact_days))
}

/// Sets after how many days without a successful contact a floating member counts as lost.
pub async fn set_lost_contact_days(tx: &TenantTx, days: &str) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let days: i32 = days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=3650).contains(d))
        .ok_or_else(|| DomainError::invalid("lost_contact_days", "bad_value"))?;
    let existing = tx.find::<community_setting::Entity>().one(tx).await?;
    match existing {
        Some(row) => {
            let mut active: community_setting::ActiveModel = row.into();
            active.lost_contact_days = Set(days);
            active.update_in(tx).await?;
        }
        None => {
            community_setting::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                lost_contact_days: Set(days),
            }
            .insert_in(tx)
            .await?;
        }
    }
    Ok(())
}

/// Floating members on the roster with their last successful contact; lost ones first.
pub async fn floating(tx: &TenantTx, today: NaiveDate) -> DomainResult<(i32, Vec<FloatingRow>)> {
    ensure_staff(tx)?;
    let limit = lost_contact_days(tx).await?;
    let people = tx
        .find::<member::Entity>()
        .filter(member::Column::Category.eq(Category::Floating.as_str()))
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()))
        .order_by_asc(member::Column::Id)
        .all(tx)
        .await?;
    let reached = tx
        .find::<member_contact::Entity>()
        .filter(member_contact::Column::Reached.eq(true))
        .all(tx)
        .await?;
    let mut rows: Vec<FloatingRow> = people
        .into_iter()
        .map(|m| {
            let last_contact = reached
                .iter()
                .filter(|c| c.member_id == m.id)
                .map(|c| c.contacted_on)
                .max();
            let days_since = last_contact.map(|d| (today - d).num_days());
            FloatingRow {
                member_id: m.id,
                name: m.name,
                status: m.status,
                current_city: m.current_city,
                last_contact,
                days_since,
                lost: days_since.is_none_or(|d| d > i64::from(limit)),
            }
        })
        .collect();
    rows.sort_by_key(|r| (!r.lost, std::cmp::Reverse(r.days_since.unwrap_or(i64::MAX))));
    Ok((limit, rows))
}
