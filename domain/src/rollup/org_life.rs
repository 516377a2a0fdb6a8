//! 三会一课 for streets and districts, as counters that add up across communities. For each
//! month of the year a community keeps how many of its grid branches would be behind as of that
//! month with no meeting at all (`ol.idle.MM`, from its branches and cadences), and, per year,
//! how many fewer are behind thanks to the meetings held (`ol.adj.YYYY-MM`, zero or negative).
//! Branches behind as of a month are then `idle + adj`, summed over any subtree, with nothing to
//! do when a month or year turns. Both are recomputed from the community's rows, in the same
//! transaction, whenever a 三会一课 meeting, a cadence or a grid branch changes — the rule the
//! community's own compliance view applies (a finished period of this year without a meeting).
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RollupScope;
use crate::activities::{default_months, ActivityKind, ORGANISATIONAL_LIFE};
use crate::db::{statement, Db};
use crate::entities::{activity, community_unit, meeting_cadence};
use crate::error::DomainResult;
use crate::kinds::PlacementKind;
use crate::org::NodeSummary;
use crate::tenancy::{Runner, Sql, TenantTx};

/// The year and month (0–11) of a moment, in local time.
pub(super) fn local_month(t: DateTime<Utc>) -> (i32, u32) {
    let t = t.with_timezone(&crate::clock::CHINA);
    (t.year(), t.month0())
}

/// Whether a mask of months has a meeting in each period of `every` months from `first` to
/// before `due`.
fn covers(months: u32, every: u32, first: u32, due: u32) -> bool {
    (first..due).all(|p| {
        let period = ((1u32 << every) - 1) << (p * every);
        months & period != 0
    })
}

/// The community's figures: `ol.idle.MM` and, for each year with meetings, `ol.adj.YYYY-MM`.
pub(crate) async fn figures(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let own = tx.find::<meeting_cadence::Entity>().all(tx).await?;
    let cadences: Vec<(ActivityKind, u32)> = ORGANISATIONAL_LIFE
        .iter()
        .map(|k| {
            let every = own
                .iter()
                .find(|c| c.kind == *k)
                .map_or(default_months(*k), |c| c.every_months);
            (*k, u32::try_from(every).unwrap_or(1).clamp(1, 12))
        })
        .collect();
    let branches: Vec<Uuid> = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
        .all(tx)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let held = tx
        .find::<activity::Entity>()
        .filter(activity::Column::Kind.is_in(ORGANISATIONAL_LIFE.iter().map(|k| k.as_str())))
        .filter(activity::Column::CancelledAt.is_null())
        // A paired unit's activity never counts toward a branch's 三会一课.
        .filter(activity::Column::OrganiserUnitId.is_null())
        .filter(activity::Column::BranchId.is_in(branches.iter().copied()))
        .all(tx)
        .await?;
    // Per year, per branch and kind: the months with a meeting.
    let mut masks: BTreeMap<i32, HashMap<(Uuid, &str), u32>> = BTreeMap::new();
    for a in &held {
        let (year, month0) = local_month(a.starts_at);
        if let Some(branch) = a.branch_id {
            *masks
                .entry(year)
                .or_default()
                .entry((branch, a.kind.as_str()))
                .or_insert(0) |= 1 << month0;
        }
    }
    // 支委会 is owed only by a committee, from the period it was elected in (`year` none: a
    // year after its election, as the idle counts assume).
    let committees = crate::activities::committees_since(tx).await?;
    let behind =
        |month0: u32, year: Option<i32>, year_masks: Option<&HashMap<(Uuid, &str), u32>>| {
            branches
                .iter()
                .filter(|b| {
                    cadences.iter().any(|(kind, every)| {
                        let first = match (*kind == ActivityKind::BranchCommittee, year) {
                            (false, _) => Some(0),
                            (true, None) => committees.get(*b).map(|_| 0),
                            (true, Some(year)) => committees.get(*b).and_then(|since| {
                                crate::activities::first_owed_period(*since, year, *every)
                            }),
                        };
                        let Some(first) = first else {
                            return false;
                        };
                        let mask = year_masks
                            .and_then(|m| m.get(&(**b, kind.as_str())))
                            .copied()
                            .unwrap_or(0);
                        !covers(mask, *every, first, month0 / every)
                    })
                })
                .count() as i64
        };
    let mut out = BTreeMap::new();
    let idle: Vec<i64> = (0..12).map(|m| behind(m, None, None)).collect();
    for (m, n) in idle.iter().enumerate() {
        out.insert(format!("ol.idle.{:02}", m + 1), *n);
    }
    // The years with meetings, and those a committee was elected in (owing less that year).
    let mut years: std::collections::BTreeSet<i32> = masks.keys().copied().collect();
    years.extend(committees.values().map(|since| since.year()));
    for year in years {
        let year_masks = masks.get(&year);
        for (m, idle) in idle.iter().enumerate() {
            let adj = behind(m as u32, Some(year), year_masks) - idle;
            out.insert(format!("ol.adj.{year:04}-{:02}", m + 1), adj);
        }
    }
    out.retain(|_, n| *n != 0);
    Ok(out)
}

/// Recomputes the community's 三会一课 counters (the caller holds its rollup lock).
pub(crate) async fn refresh(tx: &TenantTx) -> DomainResult<()> {
    let fresh = figures(tx).await?;
    let rows = tx
        .query_all_sql(statement(
            tx.backend(),
            "SELECT metric FROM rollup_counts WHERE node_id = $1 AND metric LIKE 'ol.%'",
            vec![tx.tenant_id().into()],
        ))
        .await?;
    let mut names: Vec<String> = fresh.keys().cloned().collect();
    for row in rows {
        names.push(row.try_get("", "metric")?);
    }
    names.sort();
    names.dedup();
    super::store(tx, tx.tenant_id(), &names, &fresh).await
}

/// Grid branches, and those behind on 三会一课 this year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgLifeFigures {
    pub branches: i64,
    pub behind: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildOrgLife {
    pub node: NodeSummary,
    pub figures: OrgLifeFigures,
}

/// The names to sum for `now`: the idle count of this month and this year's adjustment.
pub(super) fn names_for(now: DateTime<Utc>) -> (String, String) {
    let (year, month0) = local_month(now);
    (
        format!("ol.idle.{:02}", month0 + 1),
        format!("ol.adj.{year:04}-{:02}", month0 + 1),
    )
}

/// The figures of one set of summed counters as of `now`.
pub(super) fn of_sums(sums: &HashMap<String, i64>, now: DateTime<Utc>) -> OrgLifeFigures {
    let (idle, adj) = names_for(now);
    let get = |name: &str| sums.get(name).copied().unwrap_or(0);
    OrgLifeFigures {
        branches: get("grid_branches"),
        behind: (get(&idle) + get(&adj)).max(0),
    }
}

/// 三会一课 over the scope's subtree as of `now`: the totals and each direct child's. Counts only.
pub async fn org_life(
    db: &Db,
    scope: &RollupScope,
    now: DateTime<Utc>,
) -> DomainResult<(OrgLifeFigures, Vec<ChildOrgLife>)> {
    let (idle, adj) = names_for(now);
    let names = vec!["grid_branches".to_owned(), idle, adj];
    let (own, children) = super::sums(db, scope, &names).await?;
    let out = children
        .into_iter()
        .map(|(node, sums)| ChildOrgLife {
            node,
            figures: of_sums(&sums, now),
        })
        .collect();
    Ok((of_sums(&own, now), out))
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
