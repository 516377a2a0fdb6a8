//! Recording 党费 paid: one row per member and month paid for, at that month's assessed amount.
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::assess::{assessments, due_in, member_kept, pays_here};
use super::model::{add_months, month_label, month_of, months_between, parse_month};
use crate::changes::Change;
use crate::entities::dues_payment;
use crate::error::{DomainError, DomainResult};
use crate::kinds::PaymentMethod;
use crate::members::{lock_member, record_event, EventKind};
use crate::tenancy::TenantTx;
use crate::validate::{optional_text, plain_date};

/// Months paid at once, at most (two years).
const MAX_MONTHS_AT_ONCE: usize = 24;
/// How far ahead dues may be paid (预交): to the end of the twelfth month from now.
const AHEAD_MONTHS: i32 = 12;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    /// The first month paid for, `2026-10`.
    pub from_month: String,
    /// The last month paid for; empty for the first alone.
    pub to_month: String,
    /// `cash` or `transfer`.
    pub method: String,
    /// The day it was paid, `2026-12-01`.
    pub paid_on: String,
    /// Who paid on the member's behalf (代缴), for members who cannot come.
    pub proxy: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub month: NaiveDate,
    pub amount_cents: i64,
    pub method: PaymentMethod,
    pub paid_on: NaiveDate,
    pub proxy: Option<String>,
}

/// A member's payments, newest month first.
pub(super) async fn payments_of(tx: &TenantTx, member_id: Uuid) -> DomainResult<Vec<Payment>> {
    Ok(tx
        .find::<dues_payment::Entity>()
        .filter(dues_payment::Column::MemberId.eq(member_id))
        .order_by_desc(dues_payment::Column::Month)
        .all(tx)
        .await?
        .into_iter()
        .map(|p| Payment {
            month: p.month,
            amount_cents: p.amount_cents,
            method: p.method,
            paid_on: p.paid_on,
            proxy: p.proxy,
        })
        .collect())
}

/// Records the months from `from_month` to `to_month` as paid, each at its assessed amount.
/// Every month must be assessed and unpaid; nothing is written otherwise. The months paid.
pub async fn record_payment(
    tx: &TenantTx,
    member_id: Uuid,
    input: &PaymentInput,
    today: NaiveDate,
) -> DomainResult<usize> {
    // One writer of a member's dues at a time; what the member is, read after it.
    lock_member(tx, member_id).await?;
    let m = member_kept(tx, member_id).await?;
    if !pays_here(&m) {
        return Err(DomainError::invalid("relation", "dues_elsewhere"));
    }
    let first = parse_month("dues_from", &input.from_month, today)?;
    let last = match input.to_month.trim() {
        "" => first,
        to => parse_month("dues_to", to, today)?,
    };
    if last < first {
        return Err(DomainError::invalid("dues_to", "before_start"));
    }
    if last > add_months(month_of(today), AHEAD_MONTHS) {
        return Err(DomainError::invalid("dues_to", "too_far_ahead"));
    }
    let months = months_between(first, last);
    if months.len() > MAX_MONTHS_AT_ONCE {
        return Err(DomainError::invalid("dues_to", "too_many_months"));
    }
    let method = PaymentMethod::parse(&input.method)
        .ok_or_else(|| DomainError::invalid("dues_method", "not_in_list"))?;
    let paid_on = plain_date("dues_paid_on", &input.paid_on)?;
    if paid_on > today {
        return Err(DomainError::invalid("dues_paid_on", "in_future"));
    }
    let proxy = optional_text("dues_proxy", &input.proxy, 32)?;
    let own = assessments(tx, Some(member_id)).await?;
    let own: Vec<_> = own.iter().collect();
    let paid: Vec<NaiveDate> = tx
        .find::<dues_payment::Entity>()
        .filter(dues_payment::Column::MemberId.eq(member_id))
        .filter(dues_payment::Column::Month.between(first, last))
        .all(tx)
        .await?
        .into_iter()
        .map(|p| p.month)
        .collect();
    if !paid.is_empty() {
        return Err(DomainError::invalid("dues_from", "already_paid"));
    }
    let actor = tx.actor_user_id();
    let now = Utc::now();
    let mut rows = Vec::with_capacity(months.len());
    let mut total = 0;
    for month in &months {
        let amount = due_in(&own, *month)
            .ok_or_else(|| DomainError::invalid("dues_from", "not_assessed"))?;
        total += amount;
        rows.push(dues_payment::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(Uuid::now_v7()),
            member_id: Set(member_id),
            month: Set(*month),
            amount_cents: Set(amount),
            method: Set(method),
            paid_on: Set(paid_on),
            proxy: Set(proxy.clone()),
            recorded_by: Set((!actor.is_nil()).then_some(actor)),
            recorded_at: Set(now),
        });
    }
    tx.insert_many(rows).await?;
    tx.record(Change::DuesPaid {
        months: months.iter().map(|m| month_label(*m)).collect(),
    });
    record_event(
        tx,
        member_id,
        EventKind::DuesPaid,
        serde_json::json!({
            "from": month_label(first),
            "to": month_label(last),
            "cents": total,
            "method": method.as_str(),
            "proxy": proxy,
        }),
    )
    .await?;
    Ok(months.len())
}

/// Removes a month's payment recorded by mistake (kept in the member's history).
pub async fn undo_payment(
    tx: &TenantTx,
    member_id: Uuid,
    month: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    member_kept(tx, member_id).await?;
    let month = parse_month("dues_from", month, today)?;
    lock_member(tx, member_id).await?;
    let gone = tx
        .delete::<dues_payment::Entity>()
        .filter(dues_payment::Column::MemberId.eq(member_id))
        .filter(dues_payment::Column::Month.eq(month))
        .exec(tx)
        .await?
        .rows_affected;
    if gone == 0 {
        return Err(DomainError::NotFound);
    }
    tx.record(Change::DuesPaid {
        months: vec![month_label(month)],
    });
    record_event(
        tx,
        member_id,
        EventKind::DuesPaymentUndone,
        serde_json::json!({ "month": month_label(month) }),
    )
    .await
}
