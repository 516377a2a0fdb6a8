//! The branch's dues list: each paying member's monthly dues, this month paid or not, the months
//! owed before it, and the six-month early warning (never acted on automatically: 党章 Art. 9
//! leaves it to the branch to find out why and help).
use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveTime};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::assess::{assessments, due_in, pays_here};
use super::model::{add_months, month_of, months_between};
use crate::entities::{activity, activity_signup, dues_payment, member};
use crate::error::DomainResult;
use crate::kinds::Attendance;
use crate::members::reach;
use crate::tenancy::TenantTx;

/// Months unpaid, all before this one, with no activity attended in them: the branch is warned.
pub const WARNING_MONTHS: i32 = 6;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesRow {
    pub member_id: Uuid,
    pub name: String,
    pub unit_id: Option<Uuid>,
    /// This month's dues; none when the member has not been assessed.
    pub monthly_cents: Option<i64>,
    pub paid_this_month: bool,
    /// Assessed months before this one left unpaid, oldest first.
    pub owed_months: Vec<NaiveDate>,
    pub owed_cents: i64,
    pub last_paid: Option<NaiveDate>,
    /// Six months unpaid and none of their activities attended: for the branch to follow up.
    pub warned: bool,
}

/// Every paying member within the actor's reach (a 支部书记: their branch), by name.
pub async fn dues_roster(tx: &TenantTx, today: NaiveDate) -> DomainResult<Vec<DuesRow>> {
    let reach = reach(tx).await?;
    let this_month = month_of(today);
    let mut people: Vec<member::Model> = tx
        .find::<member::Entity>()
        .filter(reach.members())
        .order_by_asc(member::Column::Id)
        .all(tx)
        .await?
        .into_iter()
        .filter(pays_here)
        .collect();
    people.sort_by_cached_key(|m| (crate::collate::name_key(&m.name), m.name.clone(), m.id));
    let all = assessments(tx, None).await?;
    let mut assessed: BTreeMap<Uuid, Vec<_>> = BTreeMap::new();
    for a in &all {
        assessed.entry(a.member_id).or_default().push(a);
    }
    let mut paid: BTreeMap<Uuid, BTreeSet<NaiveDate>> = BTreeMap::new();
    let months: Vec<(Uuid, NaiveDate)> = tx
        .find::<dues_payment::Entity>()
        .select_only()
        .column(dues_payment::Column::MemberId)
        .column(dues_payment::Column::Month)
        .into_tuple()
        .all(tx)
        .await?;
    for (member, month) in months {
        paid.entry(member).or_default().insert(month);
    }
    let attended =
        attended_between(tx, add_months(this_month, -WARNING_MONTHS), this_month).await?;
    let none = Vec::new();
    let nothing = BTreeSet::new();
    Ok(people
        .into_iter()
        .map(|m| {
            let own = assessed.get(&m.id).unwrap_or(&none);
            let paid = paid.get(&m.id).unwrap_or(&nothing);
            let owed_months: Vec<NaiveDate> = match own.first() {
                Some(first) if first.from_month < this_month => {
                    months_between(first.from_month, add_months(this_month, -1))
                        .into_iter()
                        .filter(|month| !paid.contains(month))
                        .collect()
                }
                _ => Vec::new(),
            };
            let owed_cents = owed_months.iter().filter_map(|x| due_in(own, *x)).sum();
            let unpaid_half_year = (1..=WARNING_MONTHS)
                .all(|back| owed_months.contains(&add_months(this_month, -back)));
            DuesRow {
                monthly_cents: due_in(own, this_month),
                paid_this_month: paid.contains(&this_month),
                last_paid: paid.iter().next_back().copied(),
                warned: unpaid_half_year && !attended.contains(&m.id),
                owed_cents,
                owed_months,
                member_id: m.id,
                name: m.name,
                unit_id: m.unit_id,
            }
        })
        .collect())
}

/// Members who attended an activity that started from `from` to before `to` (local dates).
async fn attended_between(
    tx: &TenantTx,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<BTreeSet<Uuid>> {
    let local = |d: NaiveDate| crate::clock::from_china(d.and_time(NaiveTime::MIN));
    let started: Vec<Uuid> = tx
        .find::<activity::Entity>()
        .filter(activity::Column::StartsAt.gte(local(from)))
        .filter(activity::Column::StartsAt.lt(local(to)))
        .all(tx)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if started.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.is_in(started))
        .filter(activity_signup::Column::Attendance.eq(Attendance::Attended.as_str()))
        .all(tx)
        .await?
        .into_iter()
        .map(|s| s.member_id)
        .collect())
}
