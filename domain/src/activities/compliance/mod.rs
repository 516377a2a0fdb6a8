//! Compliance with the rules of organisational life: each grid branch is expected to hold its
//! 支部委员会 (once it has a committee) and 主题党日 every month, its 支部党员大会 and 党课 every
//! quarter, and each of its building groups a 党小组会 every month (the community may set other
//! cadences). A period counts as held when a meeting of that kind for the holder started in it
//! and was not cancelled (for the current period, once the meeting is over); a 主题党日 or 党课
//! held for the whole community counts for every branch. A branch is behind
//! when, for a finished period of this year, it or one of its groups has none — counted from
//! the period it (or the group) was founded in when that was this year (成立日期). Streets read the
//! same rule through `rollup::org_life`; both take it from `ledger`.
mod ledger;

use chrono::{DateTime, Utc};
pub(crate) use ledger::Ledger;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use ledger::{cadence_of, period_mask, Months};

use super::ActivityKind;
use crate::entities::meeting_cadence;
use crate::error::{DomainError, DomainResult};
use crate::members::ensure_keeper;
use crate::tenancy::{Row, TenantTx};

/// The kinds the rules count, in the order they are shown: 三会一课 and 主题党日.
pub const COMPLIANCE_KINDS: [ActivityKind; 5] = [
    ActivityKind::BranchAssembly,
    ActivityKind::BranchCommittee,
    ActivityKind::GroupMeeting,
    ActivityKind::PartyLesson,
    ActivityKind::PartyDay,
];

pub(crate) fn default_months(kind: ActivityKind) -> i32 {
    match kind {
        ActivityKind::BranchCommittee | ActivityKind::GroupMeeting | ActivityKind::PartyDay => 1,
        _ => 3,
    }
}

/// Months between meetings for each counted kind (the community's or the default).
pub async fn cadences(tx: &TenantTx) -> DomainResult<Vec<(ActivityKind, i32)>> {
    crate::members::reach(tx).await?;
    let own = tx.find::<meeting_cadence::Entity>().all(tx).await?;
    Ok(COMPLIANCE_KINDS
        .iter()
        .map(|k| (*k, cadence_of(&own, *k)))
        .collect())
}

/// Sets a cadence: every 1, 2, 3, 6 or 12 months.
pub async fn set_cadence(tx: &TenantTx, kind: &str, months: &str) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let kind = ActivityKind::parse(kind)
        .filter(|k| COMPLIANCE_KINDS.contains(k))
        .ok_or_else(|| DomainError::invalid("activity_kind", "not_in_list"))?;
    let months: i32 = months
        .trim()
        .parse()
        .ok()
        .filter(|m| [1, 2, 3, 6, 12].contains(m))
        .ok_or_else(|| DomainError::invalid("every_months", "not_in_list"))?;
    let existing = tx
        .find::<meeting_cadence::Entity>()
        .filter(meeting_cadence::Column::Kind.eq(kind.as_str()))
        .one(tx)
        .await?;
    match existing {
        Some(row) => {
            let mut active: meeting_cadence::ActiveModel = row.into();
            active.every_months = Set(months);
            active.update_in(tx).await?;
        }
        None => {
            meeting_cadence::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                kind: Set(kind),
                every_months: Set(months),
            }
            .insert_in(tx)
            .await?;
        }
    }
    tx.record(crate::changes::Change::OrgLife);
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCompliance {
    pub kind: ActivityKind,
    pub every_months: i32,
    /// Finished periods of this year with a meeting, and all finished periods.
    pub held: u32,
    pub due: u32,
    /// The current period already has one.
    pub current_held: bool,
}

impl KindCompliance {
    pub fn behind(&self) -> bool {
        self.held < self.due
    }
}

/// One building group's 党小组会 this year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCompliance {
    pub group_id: Uuid,
    pub name: String,
    pub held: u32,
    pub due: u32,
    pub current_held: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchCompliance {
    pub branch_id: Uuid,
    pub name: String,
    /// A branch without a committee is not expected to hold 支委会 (not among its kinds).
    pub has_committee: bool,
    /// The kinds it owes; 党小组会 (owed by its groups, absent without any) summed over them.
    pub kinds: Vec<KindCompliance>,
    /// Its building groups' 党小组会, each.
    pub groups: Vec<GroupCompliance>,
}

impl BranchCompliance {
    pub fn behind(&self) -> bool {
        self.kinds.iter().any(KindCompliance::behind)
    }
}

/// Periods held and due from `first` to before `current`, and whether `current` has one over.
fn standing(months: Months, every: u32, first: u32, current: u32) -> (u32, u32, bool) {
    let held = (first..current)
        .filter(|p| months.held & period_mask(every, *p) != 0)
        .count() as u32;
    let current_held = months.over & period_mask(every, current) != 0;
    (held, current.saturating_sub(first), current_held)
}

/// Each grid branch's standing this year, as of `now` (a 支部书记's own branch only).
pub async fn compliance(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<Vec<BranchCompliance>> {
    let own = crate::members::reach(tx).await?.branch();
    let ledger = Ledger::read(tx, now).await?;
    let (year, month0) = crate::clock::local_month(now);
    let mut out = Vec::new();
    for (branch, name) in &ledger.branches {
        if own.is_some_and(|own| own != *branch) {
            continue;
        }
        let (mut kinds, mut groups) = (Vec::new(), Vec::new());
        for (kind, every) in &ledger.cadences {
            let current = month0 / every;
            let each: Vec<(Uuid, (u32, u32, bool))> = ledger
                .holders(*branch, *kind)
                .into_iter()
                .filter_map(|h| {
                    let first = ledger.first_owed(*branch, h, *kind, *every, Some(year))?;
                    let months = ledger.months(year, h, *kind);
                    Some((h, standing(months, *every, first, current)))
                })
                .collect();
            if each.is_empty() {
                continue;
            }
            kinds.push(KindCompliance {
                kind: *kind,
                every_months: *every as i32,
                held: each.iter().map(|(_, s)| s.0).sum(),
                due: each.iter().map(|(_, s)| s.1).sum(),
                current_held: each.iter().all(|(_, s)| s.2),
            });
            if *kind == ActivityKind::GroupMeeting {
                groups = each
                    .into_iter()
                    .map(|(group_id, (held, due, current_held))| GroupCompliance {
                        group_id,
                        name: ledger
                            .groups
                            .iter()
                            .find(|g| g.0 == group_id)
                            .map(|g| g.2.clone())
                            .unwrap_or_default(),
                        held,
                        due,
                        current_held,
                    })
                    .collect();
                crate::collate::sort_by_label(&mut groups, |g| &g.name);
            }
        }
        out.push(BranchCompliance {
            branch_id: *branch,
            name: name.clone(),
            has_committee: ledger.has_committee(*branch),
            kinds,
            groups,
        });
    }
    crate::collate::sort_by_label(&mut out, |b| &b.name);
    Ok(out)
}
