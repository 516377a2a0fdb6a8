//! 关爱帮扶: visits, help given (with money in yuan when money), and 送学上门 for members who
//! cannot come; the care list shows members in hardship or with limited mobility.
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{CareKind, Status};
use super::roster::{ensure_keeper, ensure_staff};
use crate::entities::{member, member_care};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{Row, TenantTx};
use crate::validate::{optional_text, past_date, yuan_cents};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CareInput {
    pub date: String,
    pub kind: String,
    pub help: String,
    /// Yuan, e.g. `500` or `500.50`; empty when no money was given.
    pub amount: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Care {
    pub date: NaiveDate,
    pub kind: CareKind,
    pub help: Option<String>,
    pub amount_cents: Option<i64>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareRow {
    pub member_id: Uuid,
    pub name: String,
    pub hardship: bool,
    pub immobile: bool,
    pub last_care: Option<NaiveDate>,
    pub this_year: usize,
}

pub async fn record_care(
    tx: &TenantTx,
    member_id: Uuid,
    input: &CareInput,
    today: NaiveDate,
) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let on = past_date("care_date", &input.date, today)?
        .ok_or_else(|| DomainError::invalid("care_date", "required"))?;
    let kind = CareKind::parse(&input.kind)
        .ok_or_else(|| DomainError::invalid("care_kind", "not_in_list"))?;
    let help = optional_text("help", &input.help, 100)?;
    let amount = yuan_cents("amount", &input.amount, 100_000_000)?;
    let note = optional_text("note", &input.note, 500)?;
    let exists = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .one(tx)
        .await?;
    if exists.is_none() {
        return Err(DomainError::NotFound);
    }
    let actor = tx.actor_user_id();
    member_care::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        cared_on: Set(on),
        kind: Set(kind),
        help: Set(help),
        amount_cents: Set(amount),
        note: Set(note),
        actor_user_id: Set((!actor.is_nil()).then_some(actor)),
    }
    .insert_in(tx)
    .await?;
    Ok(())
}

/// A member's care records, newest first.
pub async fn care_for(tx: &TenantTx, member_id: Uuid) -> DomainResult<Vec<Care>> {
    ensure_staff(tx)?;
    let rows = tx
        .find::<member_care::Entity>()
        .filter(member_care::Column::MemberId.eq(member_id))
        .order_by_desc(member_care::Column::CaredOn)
        .order_by_desc(member_care::Column::Id)
        .all(tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| Care {
            date: c.cared_on,
            kind: c.kind,
            help: c.help,
            amount_cents: c.amount_cents,
            note: c.note,
        })
        .collect())
}

/// Members in hardship or with limited mobility, least recently cared for first.
pub async fn care_list(tx: &TenantTx, today: NaiveDate) -> DomainResult<Vec<CareRow>> {
    ensure_staff(tx)?;
    let people = tx
        .find::<member::Entity>()
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()))
        .filter(
            sea_orm::Condition::any()
                .add(member::Column::Hardship.eq(true))
                .add(member::Column::Immobile.eq(true)),
        )
        .order_by_asc(member::Column::Id)
        .all(tx)
        .await?;
    let records = tx.find::<member_care::Entity>().all(tx).await?;
    let mut rows: Vec<CareRow> = people
        .into_iter()
        .map(|m| {
            let own: Vec<_> = records.iter().filter(|c| c.member_id == m.id).collect();
            CareRow {
                member_id: m.id,
                name: m.name,
                hardship: m.hardship,
                immobile: m.immobile,
                last_care: own.iter().map(|c| c.cared_on).max(),
                this_year: own
                    .iter()
                    .filter(|c| c.cared_on.year() == today.year())
                    .count(),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.last_care);
    Ok(rows)
}
