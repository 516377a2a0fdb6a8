//! Assessing (核定) a member's monthly dues, and what a member's dues look like on their page.
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{
    month_label, month_of, months_between, of_base, parse_month, standard_dues, RATES_PERMILLE,
};
use super::payments::{payments_of, Payment};
use crate::changes::Change;
use crate::entities::{dues_assessment, member};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{PartyRelation, Status};
use crate::members::{lock_member, reach};
use crate::tenancy::{Row, TenantTx};
use crate::validate::yuan_cents;

/// The most a month's income base or fixed dues may be: 1,000,000 元.
const MAX_CENTS: i64 = 100_000_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DuesInput {
    /// `2026-01`: the first month these dues apply to.
    pub from_month: String,
    /// Monthly income base in yuan (after tax; the pension for the retired).
    pub base: String,
    /// Per mille of the base (`5`, `10`, `15`, `20`); empty for the standard rate.
    pub rate: String,
    /// A fixed monthly amount in yuan instead of a rate (flat dues, or more paid willingly).
    pub fixed: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub from_month: NaiveDate,
    pub base_cents: Option<i64>,
    pub rate_permille: Option<i32>,
    pub monthly_cents: i64,
}

/// A member's dues as their branch keeps them: assessments, newest first, and payments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDues {
    pub member_id: Uuid,
    pub name: String,
    /// 报到党员 pay at their employer: nothing is assessed here.
    pub pays_here: bool,
    pub assessments: Vec<Assessment>,
    pub payments: Vec<Payment>,
    /// The earliest assessed month up to this one left unpaid (what the next payment starts at).
    pub first_unpaid: Option<NaiveDate>,
}

/// The member, if the actor keeps dues for them: community staff for any member, a 支部书记 for
/// their branch's. Anyone else, or a member out of reach, is "not found".
pub(super) async fn member_kept(tx: &TenantTx, member_id: Uuid) -> DomainResult<member::Model> {
    let reach = reach(tx).await?;
    tx.find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .filter(reach.members())
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Whether a member pays dues here: on the active roster, their Party relation here.
pub(super) fn pays_here(m: &member::Model) -> bool {
    m.status != Status::TransferredOut && m.relation == PartyRelation::Here
}

/// Sets a member's dues from a month on (replacing what was set from that same month).
pub async fn assess(
    tx: &TenantTx,
    member_id: Uuid,
    input: &DuesInput,
    today: NaiveDate,
) -> DomainResult<Assessment> {
    // One writer of a member's dues at a time (what is assessed, what is paid at which amount).
    lock_member(tx, member_id).await?;
    let m = member_kept(tx, member_id).await?;
    if m.relation != PartyRelation::Here {
        return Err(DomainError::invalid("relation", "dues_elsewhere"));
    }
    if m.status == Status::TransferredOut {
        return Err(DomainError::NotFound);
    }
    let from_month = parse_month("dues_from", &input.from_month, today)?;
    let base_cents = yuan_cents("dues_base", &input.base, MAX_CENTS)?;
    let fixed = yuan_cents("dues_fixed", &input.fixed, MAX_CENTS)?;
    let (rate_permille, monthly_cents) = match (fixed, input.rate.trim()) {
        (Some(0), _) => return Err(DomainError::invalid("dues_fixed", "bad_value")),
        (Some(fixed), _) => (None, fixed),
        (None, "") => standard_dues(m.category, base_cents)
            .ok_or_else(|| DomainError::invalid("dues_base", "required"))?,
        (None, rate) => {
            let rate: i32 = rate
                .parse()
                .ok()
                .filter(|r| RATES_PERMILLE.contains(r))
                .ok_or_else(|| DomainError::invalid("dues_rate", "not_in_list"))?;
            let base = base_cents.ok_or_else(|| DomainError::invalid("dues_base", "required"))?;
            (Some(rate), of_base(base, rate))
        }
    };
    if monthly_cents == 0 {
        return Err(DomainError::invalid("dues_base", "bad_value"));
    }
    tx.delete::<dues_assessment::Entity>()
        .filter(dues_assessment::Column::MemberId.eq(member_id))
        .filter(dues_assessment::Column::FromMonth.eq(from_month))
        .exec(tx)
        .await?;
    let actor = tx.actor_user_id();
    dues_assessment::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        from_month: Set(from_month),
        base_cents: Set(base_cents),
        rate_permille: Set(rate_permille),
        monthly_cents: Set(monthly_cents),
        set_by: Set((!actor.is_nil()).then_some(actor)),
        set_at: Set(Utc::now()),
    }
    .insert_in(tx)
    .await?;
    tx.record(Change::DuesAssessed);
    crate::members::record_event(
        tx,
        member_id,
        crate::members::EventKind::DuesAssessed,
        serde_json::json!({
            "from": month_label(from_month),
            "monthly_cents": monthly_cents,
            "rate_permille": rate_permille,
        }),
    )
    .await?;
    Ok(Assessment {
        from_month,
        base_cents,
        rate_permille,
        monthly_cents,
    })
}

/// The community's assessments of some members (all when `member` is none), oldest first.
pub(super) async fn assessments(
    tx: &TenantTx,
    member: Option<Uuid>,
) -> DomainResult<Vec<dues_assessment::Model>> {
    let mut select = tx.find::<dues_assessment::Entity>();
    if let Some(member) = member {
        select = select.filter(dues_assessment::Column::MemberId.eq(member));
    }
    select
        .order_by_asc(dues_assessment::Column::MemberId)
        .order_by_asc(dues_assessment::Column::FromMonth)
        .all(tx)
        .await
}

/// What `month` costs a member, from their assessments oldest first (none before the first).
pub(super) fn due_in(own: &[&dues_assessment::Model], month: NaiveDate) -> Option<i64> {
    own.iter()
        .rev()
        .find(|a| a.from_month <= month)
        .map(|a| a.monthly_cents)
}

/// One member's dues as of `today`, for those who keep them.
pub async fn member_dues(
    tx: &TenantTx,
    member_id: Uuid,
    today: NaiveDate,
) -> DomainResult<MemberDues> {
    let m = member_kept(tx, member_id).await?;
    let mut assessments: Vec<Assessment> = assessments(tx, Some(member_id))
        .await?
        .into_iter()
        .map(|a| Assessment {
            from_month: a.from_month,
            base_cents: a.base_cents,
            rate_permille: a.rate_permille,
            monthly_cents: a.monthly_cents,
        })
        .collect();
    assessments.reverse();
    let payments = payments_of(tx, member_id).await?;
    let paid: std::collections::BTreeSet<NaiveDate> = payments.iter().map(|p| p.month).collect();
    let first_unpaid = assessments.last().and_then(|first| {
        months_between(first.from_month, month_of(today))
            .into_iter()
            .find(|month| !paid.contains(month))
    });
    Ok(MemberDues {
        member_id,
        pays_here: pays_here(&m),
        name: m.name,
        assessments,
        payments,
        first_unpaid,
    })
}
