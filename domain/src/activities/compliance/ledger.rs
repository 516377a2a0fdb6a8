//! What the compliance rules count, read once for a community: the cadences, the grid branches
//! and their building groups, the branches with a committee (since when), and the months in
//! which each holder met. A branch holds its own kinds; each of its building groups holds its
//! own 党小组会 (a branch without groups owes none, as one without a committee owes no 支委会).
//! A branch or group founded this year (成立日期) owes from the period it was founded in, like
//! a committee from its election.
//! The community's view (`compliance`) and the street's counters (`rollup::org_life`) both read
//! it, so they cannot disagree.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::{default_months, COMPLIANCE_KINDS};
use crate::activities::{committees_since, first_owed_period, ActivityKind};
use crate::entities::{activity, community_unit, meeting_cadence};
use crate::error::DomainResult;
use crate::kinds::PlacementKind;
use crate::tenancy::TenantTx;

/// The months (bit `month0`) of one year in which a holder met: any meeting not cancelled, and
/// those already over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Months {
    pub held: u32,
    pub over: u32,
}

pub(crate) struct Ledger {
    /// Each counted kind and its months between meetings (1–12).
    pub cadences: Vec<(ActivityKind, u32)>,
    /// Grid branches: id and name.
    pub branches: Vec<(Uuid, String)>,
    /// Building groups: id, branch and name.
    pub groups: Vec<(Uuid, Uuid, String)>,
    committees: BTreeMap<Uuid, NaiveDate>,
    /// 成立日期 of the branches and groups that have one.
    founded: HashMap<Uuid, NaiveDate>,
    /// The day each building group was added here (China date).
    groups_added: HashMap<Uuid, NaiveDate>,
    /// The years a unit was founded in, when it was added here the same year.
    founded_years: BTreeSet<i32>,
    months: HashMap<(i32, Uuid, ActivityKind), Months>,
}

/// The community's cadence of each counted kind (its own or the default).
pub(crate) fn cadence_of(own: &[meeting_cadence::Model], kind: ActivityKind) -> i32 {
    own.iter()
        .find(|c| c.kind == kind)
        .map_or(default_months(kind), |c| c.every_months)
}

impl Ledger {
    /// Reads the community's rows; `now` tells which meetings are over.
    pub(crate) async fn read(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<Self> {
        let own = tx.find::<meeting_cadence::Entity>().all(tx).await?;
        let cadences = COMPLIANCE_KINDS
            .iter()
            .map(|k| {
                (
                    *k,
                    u32::try_from(cadence_of(&own, *k))
                        .unwrap_or(1)
                        .clamp(1, 12),
                )
            })
            .collect();
        let units = tx
            .find::<community_unit::Entity>()
            .filter(community_unit::Column::Kind.is_in([
                PlacementKind::GridBranch.as_str(),
                PlacementKind::BuildingGroup.as_str(),
            ]))
            .all(tx)
            .await?;
        let branches: Vec<(Uuid, String)> = units
            .iter()
            .filter(|u| u.kind == PlacementKind::GridBranch)
            .map(|u| (u.id, u.name.clone()))
            .collect();
        let founded = units
            .iter()
            .filter_map(|u| Some((u.id, u.founded_on?)))
            .collect();
        // A unit founded the year it was added here owes less that year; the years before it
        // was added are never read (founded no later than added).
        let founded_years = units
            .iter()
            .filter_map(|u| {
                let year = chrono::Datelike::year(&u.founded_on?);
                (year >= crate::clock::local_month(u.created_at).0).then_some(year)
            })
            .collect();
        let groups: Vec<(Uuid, Uuid, String)> = units
            .iter()
            .filter(|u| u.kind == PlacementKind::BuildingGroup)
            .filter_map(|u| Some((u.id, u.parent_id?, u.name.clone())))
            .collect();
        let groups_added = units
            .iter()
            .filter(|u| u.kind == PlacementKind::BuildingGroup)
            .map(|u| (u.id, crate::clock::local_date(u.created_at)))
            .collect();
        let held = tx
            .find::<activity::Entity>()
            .filter(activity::Column::Kind.is_in(COMPLIANCE_KINDS.iter().map(|k| k.as_str())))
            .filter(activity::Column::CancelledAt.is_null())
            // A paired unit's activity never counts toward a branch's obligations.
            .filter(activity::Column::OrganiserUnitId.is_null())
            .all(tx)
            .await?;
        let mut months: HashMap<(i32, Uuid, ActivityKind), Months> = HashMap::new();
        for a in &held {
            let (year, month0) = crate::clock::local_month(a.starts_at);
            // A 党小组会 is its group's; one recorded before groups kept their own (no group)
            // counts for every group of its branch.
            // A 主题党日 or 党课 for the whole community is every branch's.
            let holders: Vec<Uuid> = match (a.kind, a.group_id, a.branch_id) {
                (ActivityKind::GroupMeeting, Some(group), _) => vec![group],
                (ActivityKind::GroupMeeting, None, _) => groups
                    .iter()
                    .filter(|g| Some(g.1) == a.branch_id)
                    .map(|g| g.0)
                    .collect(),
                (_, _, Some(branch)) => vec![branch],
                (ActivityKind::PartyDay | ActivityKind::PartyLesson, _, None) => {
                    branches.iter().map(|b| b.0).collect()
                }
                _ => Vec::new(),
            };
            for holder in holders {
                let m = months.entry((year, holder, a.kind)).or_default();
                m.held |= 1 << month0;
                if a.ends_at <= now {
                    m.over |= 1 << month0;
                }
            }
        }
        Ok(Ledger {
            cadences,
            branches,
            groups,
            committees: committees_since(tx).await?,
            founded,
            groups_added,
            founded_years,
            months,
        })
    }

    pub(crate) fn has_committee(&self, branch: Uuid) -> bool {
        self.committees.contains_key(&branch)
    }

    /// Who holds `kind` for the branch: the branch itself, or for 党小组会 each of its groups.
    pub(crate) fn holders(&self, branch: Uuid, kind: ActivityKind) -> Vec<Uuid> {
        match kind {
            ActivityKind::GroupMeeting => self
                .groups
                .iter()
                .filter(|g| g.1 == branch)
                .map(|g| g.0)
                .collect(),
            _ => vec![branch],
        }
    }

    /// The first period of `year` from which `holder` owes `kind` for the branch, if it owes it
    /// at all that year: not before the branch and the holder were founded, nor (支委会) before
    /// the committee was elected. `year` none: a year after any founding or election, as the
    /// idle counts assume.
    pub(crate) fn first_owed(
        &self,
        branch: Uuid,
        holder: Uuid,
        kind: ActivityKind,
        every: u32,
        year: Option<i32>,
    ) -> Option<u32> {
        let committee = if kind == ActivityKind::BranchCommittee {
            Some(*self.committees.get(&branch)?)
        } else {
            None
        };
        let Some(year) = year else {
            return Some(0);
        };
        // A group owes from its branch's founding only as far as it came with it: one kept here
        // before it was moved under a younger branch still owes from its own start.
        let branch_founded = self.founded.get(&branch).copied().map(|founded| {
            match self.groups_added.get(&holder).filter(|_| holder != branch) {
                Some(&added) => founded.min(added),
                None => founded,
            }
        });
        let since = [
            committee,
            branch_founded,
            self.founded.get(&holder).copied(),
        ];
        since.into_iter().flatten().try_fold(0, |first, date| {
            first_owed_period(date, year, every).map(|p| first.max(p))
        })
    }

    /// The months of `year` in which `holder` held `kind`.
    pub(crate) fn months(&self, year: i32, holder: Uuid, kind: ActivityKind) -> Months {
        self.months
            .get(&(year, holder, kind))
            .copied()
            .unwrap_or_default()
    }

    /// The years with a meeting, a committee elected or a unit founded the year it was added
    /// (the years whose figures differ from a year with none).
    pub(crate) fn years(&self) -> BTreeSet<i32> {
        let mut years: BTreeSet<i32> = self.months.keys().map(|k| k.0).collect();
        years.extend(self.committees.values().map(chrono::Datelike::year));
        years.extend(self.founded_years.iter().copied());
        years
    }

    /// Whether the branch is behind as of month `month0` of `year` (none: a year without a
    /// single meeting): some holder lacks a meeting in a finished period it owes.
    pub(crate) fn behind(&self, branch: Uuid, month0: u32, year: Option<i32>) -> bool {
        self.cadences.iter().any(|(kind, every)| {
            self.holders(branch, *kind).into_iter().any(|holder| {
                let Some(first) = self.first_owed(branch, holder, *kind, *every, year) else {
                    return false;
                };
                let held = year.map_or(0, |y| self.months(y, holder, *kind).held);
                !covers(held, *every, first, month0 / every)
            })
        })
    }
}

/// Whether a mask of months has a meeting in each period of `every` months from `first` to
/// before `due`.
pub(crate) fn covers(months: u32, every: u32, first: u32, due: u32) -> bool {
    (first..due).all(|p| months & period_mask(every, p) != 0)
}

/// The months (bits) of period `p` of `every` months.
pub(crate) fn period_mask(every: u32, p: u32) -> u32 {
    ((1u32 << every) - 1) << (p * every)
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_mask_covers_the_finished_periods() {
        // Monthly, three months finished: January to March each need a meeting.
        assert!(covers(0b111, 1, 0, 3));
        assert!(!covers(0b101, 1, 0, 3));
        // From the second month on (a committee elected in February).
        assert!(covers(0b110, 1, 1, 3));
        // Quarterly, one quarter finished: any of January to March will do.
        assert!(covers(0b100, 3, 0, 1));
        assert!(!covers(0b1000, 3, 0, 1));
        // Nothing is due before the first period ends.
        assert!(covers(0, 3, 0, 0));
    }
}
