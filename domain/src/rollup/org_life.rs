//! 三会一课 for streets and districts. Each community keeps, per grid branch, kind and year, the
//! months in which a meeting of that kind (not cancelled) started — a 12-bit mask refreshed
//! from the activity rows in the same transaction that changes them — and its cadences as
//! counters. A street then counts the branches behind (a finished period of this year without
//! a meeting) from masks and counters alone, the same rule the community's own view applies.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Local, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RollupScope;
use crate::activities::{default_months, start_of_year, ActivityKind, ORGANISATIONAL_LIFE};
use crate::db::{statement, Db};
use crate::entities::activity;
use crate::error::DomainResult;
use crate::org::{NodeKind, NodeSummary};
use crate::tenancy::TenantTx;

/// The month (0–11) and year of a moment, in local time.
pub(super) fn local_month(t: DateTime<Utc>) -> (i32, u32) {
    let t = t.with_timezone(&Local);
    (t.year(), t.month0())
}

/// Refreshes the masks an activity touches, before (if it existed) and after a change (the
/// caller holds the community's rollup lock).
pub(crate) async fn refresh_activity(
    tx: &TenantTx,
    before: Option<&activity::Model>,
    after: &activity::Model,
) -> DomainResult<()> {
    let mut touched = Vec::new();
    for a in before.into_iter().chain([after]) {
        let kind = ActivityKind::parse(&a.kind).filter(|k| k.is_organisational_life());
        if let (Some(kind), Some(branch)) = (kind, a.branch_id) {
            let key = (branch, kind, local_month(a.starts_at).0);
            if !touched.contains(&key) {
                touched.push(key);
            }
        }
    }
    for (branch, kind, year) in touched {
        refresh(tx, branch, kind, year).await?;
    }
    Ok(())
}

/// Recomputes one mask from the community's activity rows.
async fn refresh(tx: &TenantTx, branch: Uuid, kind: ActivityKind, year: i32) -> DomainResult<()> {
    let (Some(from), Some(to)) = (start_of_year(year), start_of_year(year + 1)) else {
        return Ok(());
    };
    let held = tx
        .find::<activity::Entity>()
        .filter(activity::Column::BranchId.eq(branch))
        .filter(activity::Column::Kind.eq(kind.as_str()))
        .filter(activity::Column::CancelledAt.is_null())
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(to))
        .all(tx.conn())
        .await?;
    let months = held
        .iter()
        .fold(0i32, |mask, a| mask | (1 << local_month(a.starts_at).1));
    let backend = tx.conn().get_database_backend();
    let key = vec![
        tx.tenant_id().into(),
        branch.into(),
        kind.as_str().into(),
        year.into(),
    ];
    let sql = if months == 0 {
        "DELETE FROM rollup_org_life WHERE node_id = $1 AND branch_id = $2 AND kind = $3 AND year = $4"
    } else {
        "INSERT INTO rollup_org_life (node_id, branch_id, kind, year, months) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (node_id, branch_id, kind, year) DO UPDATE SET months = excluded.months"
    };
    let mut values = key;
    if months != 0 {
        values.push(months.into());
    }
    tx.conn()
        .execute_raw(statement(backend, sql, values))
        .await?;
    Ok(())
}

fn cadence_metric(kind: ActivityKind) -> String {
    format!("cadence.{}", kind.as_str())
}

/// Records the community's cadence for a kind (months between meetings).
pub(crate) async fn cadence_set(
    tx: &TenantTx,
    kind: ActivityKind,
    months: i32,
) -> DomainResult<()> {
    let backend = tx.conn().get_database_backend();
    tx.conn()
        .execute_raw(statement(
            backend,
            "INSERT INTO rollup_counts (node_id, metric, value) VALUES ($1, $2, $3) \
             ON CONFLICT (node_id, metric) DO UPDATE SET value = excluded.value",
            vec![
                tx.tenant_id().into(),
                cadence_metric(kind).into(),
                i64::from(months).into(),
            ],
        ))
        .await?;
    Ok(())
}

/// Grid branches, and those behind on 三会一课 this year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgLifeFigures {
    pub branches: i64,
    pub behind: i64,
}

impl OrgLifeFigures {
    fn add(&mut self, other: OrgLifeFigures) {
        self.branches += other.branches;
        self.behind += other.behind;
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildOrgLife {
    pub node: NodeSummary,
    pub figures: OrgLifeFigures,
}

/// Whether a mask has a meeting in each of the first `due` periods of `every` months.
fn covers(months: i32, every: i32, due: i32) -> bool {
    (0..due).all(|p| {
        let period = ((1 << every) - 1) << (p * every);
        months & period != 0
    })
}

/// One community's figures from its counters and masks.
fn community_figures(
    branches: i64,
    cadences: &HashMap<String, i64>,
    masks: &[(Uuid, String, i32)],
    month0: i32,
) -> OrgLifeFigures {
    let due: Vec<(ActivityKind, i32, i32)> = ORGANISATIONAL_LIFE
        .iter()
        .map(|k| {
            let every = cadences
                .get(&cadence_metric(*k))
                .and_then(|m| i32::try_from(*m).ok())
                .filter(|m| (1..=12).contains(m))
                .unwrap_or(default_months(*k));
            (*k, every, month0 / every)
        })
        .filter(|(_, _, due)| *due > 0)
        .collect();
    if due.is_empty() {
        return OrgLifeFigures {
            branches,
            behind: 0,
        };
    }
    let ids: HashSet<Uuid> = masks.iter().map(|m| m.0).collect();
    let on_track = ids
        .into_iter()
        .filter(|branch| {
            due.iter().all(|(kind, every, due)| {
                masks
                    .iter()
                    .find(|m| m.0 == *branch && m.1 == kind.as_str())
                    .is_some_and(|m| covers(m.2, *every, *due))
            })
        })
        .count() as i64;
    OrgLifeFigures {
        branches,
        behind: (branches - on_track).max(0),
    }
}

/// 三会一课 over the scope's subtree as of `now`: the totals and each direct child's (for a
/// community, the community alone). Counts only.
pub async fn org_life(
    db: &Db,
    scope: &RollupScope,
    now: DateTime<Utc>,
) -> DomainResult<(OrgLifeFigures, Vec<ChildOrgLife>)> {
    let (year, month0) = local_month(now);
    let backend = db.backend();
    let like = format!("{}%", scope.path);
    let counters = db
        .conn()
        .query_all_raw(statement(
            backend,
            "SELECT d.id, d.path, r.metric, r.value FROM org_nodes d \
             JOIN rollup_counts r ON r.node_id = d.id \
             WHERE d.path LIKE $1 AND d.kind = 'community' \
             AND (r.metric = 'grid_branches' OR r.metric LIKE 'cadence.%')",
            vec![like.clone().into()],
        ))
        .await?;
    let mut communities: HashMap<Uuid, (String, i64, HashMap<String, i64>)> = HashMap::new();
    for row in counters {
        let id: Uuid = row.try_get("", "id")?;
        let path: String = row.try_get("", "path")?;
        let metric: String = row.try_get("", "metric")?;
        let value: i64 = row.try_get("", "value")?;
        let entry = communities
            .entry(id)
            .or_insert_with(|| (path, 0, HashMap::new()));
        if metric == "grid_branches" {
            entry.1 = value;
        } else {
            entry.2.insert(metric, value);
        }
    }
    let rows = db
        .conn()
        .query_all_raw(statement(
            backend,
            "SELECT o.node_id, o.branch_id, o.kind, o.months FROM org_nodes d \
             JOIN rollup_org_life o ON o.node_id = d.id WHERE d.path LIKE $1 AND o.year = $2",
            vec![like.into(), year.into()],
        ))
        .await?;
    let mut masks: HashMap<Uuid, Vec<(Uuid, String, i32)>> = HashMap::new();
    for row in rows {
        let node: Uuid = row.try_get("", "node_id")?;
        masks.entry(node).or_default().push((
            row.try_get("", "branch_id")?,
            row.try_get("", "kind")?,
            row.try_get("", "months")?,
        ));
    }
    let children = db
        .conn()
        .query_all_raw(statement(
            backend,
            "SELECT id, kind, code, name, path FROM org_nodes WHERE parent_id = $1 ORDER BY code",
            vec![scope.node_id.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(children.len());
    for row in &children {
        let kind: String = row.try_get("", "kind")?;
        out.push((
            row.try_get::<String>("", "path")?,
            ChildOrgLife {
                node: NodeSummary {
                    id: row.try_get("", "id")?,
                    kind: NodeKind::parse(&kind).unwrap_or(NodeKind::Community),
                    code: row.try_get("", "code")?,
                    name: row.try_get("", "name")?,
                },
                figures: OrgLifeFigures::default(),
            },
        ));
    }
    let mut totals = OrgLifeFigures::default();
    for (id, (path, branches, cadences)) in &communities {
        let own = masks.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let figures = community_figures(*branches, cadences, own, month0 as i32);
        totals.add(figures);
        if let Some((_, child)) = out.iter_mut().find(|(p, _)| path.starts_with(p.as_str())) {
            child.figures.add(figures);
        }
    }
    Ok((totals, out.into_iter().map(|(_, c)| c).collect()))
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_mask_covers_the_finished_periods() {
        // Monthly, three months finished: January to March each need a meeting.
        assert!(covers(0b111, 1, 3));
        assert!(!covers(0b101, 1, 3));
        // Quarterly, one quarter finished: any of January to March will do.
        assert!(covers(0b100, 3, 1));
        assert!(!covers(0b1000, 3, 1));
        // Nothing is due before the first period ends.
        assert!(covers(0, 3, 0));
    }
}
