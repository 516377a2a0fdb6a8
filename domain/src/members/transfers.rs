//! 组织关系接转: members transferring their Party relation in or out, with the date and the
//! counterpart organisation. Transferring out leaves the active roster and keeps the history.
use chrono::NaiveDate;
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{record, EventKind};
use super::model::{MemberInput, Status};
use super::roster::{self, ensure_keeper};
use crate::entities::{member, member_event};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::TenantTx;
use crate::validate::required_text;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub member_id: Uuid,
    pub name: String,
    /// `transfer_in` or `transfer_out`.
    pub kind: String,
    pub date: String,
    pub counterpart: String,
}

fn checked(date: &str, counterpart: &str, today: NaiveDate) -> DomainResult<(NaiveDate, String)> {
    let date = crate::validate::past_date("transfer_date", date, today)?
        .ok_or_else(|| DomainError::invalid("transfer_date", "required"))?;
    let counterpart = required_text("counterpart", counterpart, 100)?;
    Ok((date, counterpart))
}

/// Records a transfer out and takes the member off the active roster.
pub async fn transfer_out(
    tx: &TenantTx,
    id: Uuid,
    date: &str,
    counterpart: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let (date, counterpart) = checked(date, counterpart, today)?;
    let current = roster::get(tx, id).await?;
    if current.member.status == Status::TransferredOut {
        return Err(DomainError::Conflict("already transferred out".into()));
    }
    roster::set_status(tx, id, Status::TransferredOut).await?;
    // Off the branch's roster from the day they left, not the day it was recorded.
    let left = crate::clock::from_china(date.and_time(chrono::NaiveTime::MIN));
    super::spans::left_on(tx, id, left).await?;
    record(
        tx,
        id,
        EventKind::TransferOut,
        serde_json::json!({ "date": date.to_string(), "counterpart": counterpart }),
    )
    .await
}

/// Adds a member who transfers in from another organisation.
pub async fn transfer_in(
    tx: &TenantTx,
    input: &MemberInput,
    date: &str,
    counterpart: &str,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    ensure_keeper(tx)?;
    let (date, counterpart) = checked(date, counterpart, today)?;
    let id = roster::create(tx, input, None, today).await?;
    // Not on the branch's roster before the day they came.
    let came = crate::clock::from_china(date.and_time(chrono::NaiveTime::MIN));
    super::spans::joined_on(tx, id, came).await?;
    record(
        tx,
        id,
        EventKind::TransferIn,
        serde_json::json!({ "date": date.to_string(), "counterpart": counterpart }),
    )
    .await?;
    Ok(id)
}

/// All transfers of the community, newest first.
pub async fn transfers(tx: &TenantTx) -> DomainResult<Vec<Transfer>> {
    ensure_keeper(tx)?;
    let events = tx
        .find::<member_event::Entity>()
        .filter(member_event::Column::Kind.is_in([
            EventKind::TransferIn.as_str(),
            EventKind::TransferOut.as_str(),
        ]))
        .order_by_desc(member_event::Column::Id)
        .all(tx)
        .await?;
    let ids: Vec<Uuid> = events.iter().map(|e| e.member_id).collect();
    let names: Vec<(Uuid, String)> = tx
        .find_ids::<member::Entity>(ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    Ok(events
        .into_iter()
        .map(|e| {
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let text = |key: &str| detail[key].as_str().unwrap_or_default().to_owned();
            Transfer {
                member_id: e.member_id,
                name: names
                    .iter()
                    .find(|(id, _)| *id == e.member_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                kind: e.kind.as_str().to_owned(),
                date: text("date"),
                counterpart: text("counterpart"),
            }
        })
        .collect())
}
