//! 三会一课 compliance: each grid branch is expected to hold 支部委员会 and 党小组会 every month and
//! 支部党员大会 and 党课 every quarter (the community may set other cadences). A period counts as
//! held when a meeting of that kind for the branch started in it and was not cancelled (for a
//! finished period, it has taken place; the current one counts once the meeting is over). A
//! branch is behind when a finished period of this year has none. Streets read the same rule
//! through `rollup::org_life`.
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{committees_since, first_owed_period, ActivityKind};
use crate::entities::{activity, community_unit, meeting_cadence};
use crate::error::{DomainError, DomainResult};
use crate::kinds::PlacementKind;
use crate::members::ensure_keeper;
use crate::tenancy::{Row, TenantTx};

/// The four kinds of 三会一课, in the order they are shown.
pub const ORGANISATIONAL_LIFE: [ActivityKind; 4] = [
    ActivityKind::BranchAssembly,
    ActivityKind::BranchCommittee,
    ActivityKind::GroupMeeting,
    ActivityKind::PartyLesson,
];

pub(crate) fn default_months(kind: ActivityKind) -> i32 {
    match kind {
        ActivityKind::BranchCommittee | ActivityKind::GroupMeeting => 1,
        _ => 3,
    }
}

/// Months between meetings for each kind of 三会一课 (the community's or the default).
pub async fn cadences(tx: &TenantTx) -> DomainResult<Vec<(ActivityKind, i32)>> {
    crate::members::reach(tx).await?;
    let own = tx.find::<meeting_cadence::Entity>().all(tx).await?;
    Ok(ORGANISATIONAL_LIFE
        .iter()
        .map(|k| {
            let months = own
                .iter()
                .find(|c| c.kind == *k)
                .map_or(default_months(*k), |c| c.every_months);
            (*k, months)
        })
        .collect())
}

/// Sets a cadence: every 1, 2, 3, 6 or 12 months.
pub async fn set_cadence(tx: &TenantTx, kind: &str, months: &str) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let kind = ActivityKind::parse(kind)
        .filter(|k| k.is_organisational_life())
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchCompliance {
    pub branch_id: Uuid,
    pub name: String,
    /// A branch without a committee is not expected to hold 支委会 (not among its kinds).
    pub has_committee: bool,
    pub kinds: Vec<KindCompliance>,
}

impl BranchCompliance {
    pub fn behind(&self) -> bool {
        self.kinds.iter().any(KindCompliance::behind)
    }
}

/// Each grid branch's standing this year, as of `now` (a 支部书记's own branch only).
pub async fn compliance(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<Vec<BranchCompliance>> {
    let cadences = cadences(tx).await?;
    let own = crate::members::reach(tx).await?.branch();
    let local = now.with_timezone(&crate::clock::CHINA);
    let (year, month0) = (local.year(), local.month0() as i32);
    let branches = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
        .all(tx)
        .await?
        .into_iter()
        .filter(|b| own.is_none_or(|own| own == b.id))
        .collect::<Vec<_>>();
    let held = tx
        .find::<activity::Entity>()
        .filter(activity::Column::Kind.is_in(ORGANISATIONAL_LIFE.iter().map(|k| k.as_str())))
        .filter(activity::Column::CancelledAt.is_null())
        // A paired unit's activity never counts toward a branch's 三会一课.
        .filter(activity::Column::OrganiserUnitId.is_null())
        .all(tx)
        .await?;
    let committees = committees_since(tx).await?;
    let mut out = Vec::with_capacity(branches.len());
    for b in branches {
        let since = committees.get(&b.id).copied();
        let kinds = cadences
            .iter()
            .filter_map(|(kind, every)| {
                // 支委会 is owed by a committee, from the period it was elected in.
                let first = match (*kind == ActivityKind::BranchCommittee, since) {
                    (false, _) => 0,
                    (true, None) => return None,
                    (true, Some(since)) => {
                        first_owed_period(since, year, u32::try_from(*every).unwrap_or(1))? as i32
                    }
                };
                Some((kind, every, first))
            })
            .map(|(kind, every, first)| {
                let period_of = |t: DateTime<Utc>| {
                    let t = t.with_timezone(&crate::clock::CHINA);
                    (t.year() == year).then(|| t.month0() as i32 / every)
                };
                let current = month0 / every;
                let meetings: Vec<(i32, bool)> = held
                    .iter()
                    .filter(|a| a.kind == *kind && a.branch_id == Some(b.id))
                    .filter_map(|a| period_of(a.starts_at).map(|p| (p, a.ends_at <= now)))
                    .collect();
                let held = (first..current)
                    .filter(|p| meetings.iter().any(|(q, _)| q == p))
                    .count() as u32;
                KindCompliance {
                    kind: *kind,
                    every_months: *every,
                    held,
                    due: (current - first).max(0) as u32,
                    current_held: meetings.contains(&(current, true)),
                }
            })
            .collect();
        out.push(BranchCompliance {
            branch_id: b.id,
            name: b.name,
            has_committee: since.is_some(),
            kinds,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
