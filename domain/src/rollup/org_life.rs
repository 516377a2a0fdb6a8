//! 三会一课 for streets and districts, as counters that add up across communities. For each
//! month of the year a community keeps how many of its grid branches would be behind as of that
//! month with no meeting at all (`ol.idle.MM`, from its branches and cadences), and, per year,
//! how many fewer are behind thanks to the meetings held (`ol.adj.YYYY-MM`, zero or negative).
//! Branches behind as of a month are then `idle + adj`, summed over any subtree, with nothing to
//! do when a month or year turns. Both are recomputed from the community's rows, in the same
//! transaction, whenever a counted meeting (三会一课, 主题党日), a cadence, a committee, a grid
//! branch or a building group (its 成立日期 too) changes — by the rule the community's own compliance view applies
//! (`activities::Ledger`: a finished period of this year without a meeting).
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::RollupScope;
use crate::activities::Ledger;
use crate::db::{statement, Db};
use crate::error::DomainResult;
use crate::org::NodeSummary;
use crate::tenancy::{Runner, Sql, TenantTx};

/// The community's figures: `ol.idle.MM` and, for each year with meetings, `ol.adj.YYYY-MM`.
pub(crate) async fn figures(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let ledger = Ledger::read(tx, chrono::Utc::now()).await?;
    let behind = |month0: u32, year: Option<i32>| {
        ledger
            .branches
            .iter()
            .filter(|(branch, _)| ledger.behind(*branch, month0, year))
            .count() as i64
    };
    let mut out = BTreeMap::new();
    let idle: Vec<i64> = (0..12).map(|m| behind(m, None)).collect();
    for (m, n) in idle.iter().enumerate() {
        out.insert(format!("ol.idle.{:02}", m + 1), *n);
    }
    // The years with meetings, and those a committee was elected or a unit founded in (owing
    // less that year).
    for year in ledger.years() {
        for (m, idle) in idle.iter().enumerate() {
            let adj = behind(m as u32, Some(year)) - idle;
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
    let (year, month0) = crate::clock::local_month(now);
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
