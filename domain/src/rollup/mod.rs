//! Aggregates for streets and districts. Figures come from per-node counters kept in step with
//! the tenants' rows (same transaction); nothing returned here carries a person.
mod activity_figures;
mod apply;
mod coop_figures;
mod dashboard;
mod dues_figures;
mod export;
mod member_figures;
mod org_life;
mod reconcile;
mod review_figures;
mod totals;

pub use crate::db::COMPACT_LOCK;
pub use dashboard::{
    dashboard, Activity, ChildDashboard, Coop, Dashboard, KindFigures, MonthPoint,
};
pub use dues_figures::{dues, ChildDues, DuesFigures};
pub use export::dashboard_workbook;
pub use member_figures::MemberFigures;
pub use org_life::{org_life, ChildOrgLife, OrgLifeFigures};
pub use reconcile::{reconcile, Difference};
pub use review_figures::{reviews, ChildReviews, ReviewFigures};
pub(crate) use totals::add_to_totals;
pub use totals::{compact, lag, Lag};

use std::collections::HashMap;

use sea_orm::DbBackend;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::changes::Metric;
use crate::db::{statement, Db};
use crate::error::DomainResult;
use crate::kinds::{Category, Status};
use crate::org::{NodeKind, NodeSummary};
use crate::tenancy::{Runner, Sql, TenantTx};

pub use crate::tenancy::RollupScope;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub communities: i64,
    pub members: i64,
    pub grid_branches: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildFigures {
    pub node: NodeSummary,
    pub figures: Figures,
}

/// Subtree totals of the scope's node and of each direct child (children without any counter
/// included) as stored — on PostgreSQL the district and above as of the last `compact`, about a
/// second behind (`totals`), and then from the read replica if there is one — for the counters `filter` selects (an SQL condition on `t.metric`, written here,
/// never from input; its parameters start at `$2`).
pub(crate) async fn read_totals(
    db: &Db,
    scope: &RollupScope,
    filter: &str,
    params: Vec<sea_orm::Value>,
) -> DomainResult<(
    HashMap<String, i64>,
    Vec<(NodeSummary, HashMap<String, i64>)>,
)> {
    let own = own_totals(db, scope, filter, params.clone()).await?;
    Ok((own, children_totals(db, scope, filter, params).await?))
}

/// Runs a read of a scope's totals: a district's or wider on the replica if there is one (those
/// totals are a second behind anyway), falling back to the primary if the replica fails; a
/// street's or community's on the primary (their staff read what they just wrote, and those
/// totals move at once).
async fn read_aggregates(
    db: &Db,
    scope: &RollupScope,
    sql: sea_orm::Statement,
) -> DomainResult<Vec<sea_orm::QueryResult>> {
    let upper = !matches!(scope.kind(), NodeKind::Community | NodeKind::Street);
    if let Some(replica) = db.replica().filter(|_| upper) {
        match replica.query_all_sql(sql.clone()).await {
            Ok(rows) => return Ok(rows),
            Err(err) => {
                tracing::warn!(error = %err, "the read replica failed: reading from the primary");
                db.replica_failed();
            }
        }
    }
    db.query_all_sql(sql).await
}

/// `read_totals` of the scope's node alone (one statement).
async fn own_totals(
    db: &Db,
    scope: &RollupScope,
    filter: &str,
    params: Vec<sea_orm::Value>,
) -> DomainResult<HashMap<String, i64>> {
    let mut values: Vec<sea_orm::Value> = vec![scope.node_id().into()];
    values.extend(params);
    let rows = read_aggregates(
        db,
        scope,
        statement(
            db.backend(),
            &format!(
                "SELECT t.metric, t.value FROM rollup_totals t WHERE t.node_id = $1 AND ({filter})"
            ),
            values,
        ),
    )
    .await?;
    let mut own = HashMap::new();
    for row in rows {
        *own.entry(row.try_get::<String>("", "metric")?).or_insert(0) +=
            row.try_get::<i64>("", "value")?;
    }
    Ok(own)
}

/// `read_totals` of the direct children alone (one statement).
async fn children_totals(
    db: &Db,
    scope: &RollupScope,
    filter: &str,
    params: Vec<sea_orm::Value>,
) -> DomainResult<Vec<(NodeSummary, HashMap<String, i64>)>> {
    let mut values: Vec<sea_orm::Value> = vec![scope.node_id().into()];
    values.extend(params);
    let rows = read_aggregates(
        db,
        scope,
        statement(
            db.backend(),
            &format!(
                // Each child's totals (a row even without any); a child's rows come together.
                "SELECT c.id, c.kind, c.code, c.name, t.metric, t.value \
                 FROM (SELECT id, kind, code, name FROM org_nodes WHERE parent_id = $1) c \
                 LEFT JOIN rollup_totals t ON t.node_id = c.id AND ({filter}) ORDER BY c.code, c.id"
            ),
            values,
        ),
    )
    .await?;
    let mut children: Vec<(NodeSummary, HashMap<String, i64>)> = Vec::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        if children.last().is_none_or(|(n, _)| n.id != id) {
            let kind: NodeKind = row.try_get("", "kind")?;
            children.push((
                NodeSummary {
                    id,
                    kind,
                    code: row.try_get("", "code")?,
                    name: row.try_get("", "name")?,
                },
                HashMap::new(),
            ));
        }
        let metric: Option<String> = row.try_get("", "metric")?;
        let value: Option<i64> = row.try_get("", "value")?;
        if let (Some(metric), Some(value), Some((_, sums))) = (metric, value, children.last_mut()) {
            *sums.entry(metric).or_insert(0) += value;
        }
    }
    Ok(children)
}

const FIGURES: &str =
    "t.metric IN ('communities', 'members', 'members.reporting', 'grid_branches')";
const MEMBERS: &str = "t.metric LIKE 'members.%'";

/// What a street's, district's or higher node's page shows (and a community's seen from above),
/// read in two statements (the node's own counters, then its children's) and kept (`kept`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    pub totals: Figures,
    pub breakdown: MemberBreakdown,
    pub children: Vec<ChildFigures>,
    pub org_life: org_life::OrgLifeFigures,
    pub org_life_children: Vec<org_life::ChildOrgLife>,
}

pub async fn overview(
    db: &Db,
    scope: &RollupScope,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Overview> {
    kept(db, scope, "overview", now, read_overview(db, scope, now)).await
}

async fn read_overview(
    db: &Db,
    scope: &RollupScope,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Overview> {
    let (idle, adj) = org_life::names_for(now);
    let figures =
        "t.metric IN ('communities', 'members', 'members.reporting', 'grid_branches', $2, $3)";
    let params = || vec![idle.as_str().into(), adj.as_str().into()];
    let own = own_totals(db, scope, &format!("{figures} OR {MEMBERS}"), params()).await?;
    let children = children_totals(db, scope, figures, params()).await?;
    Ok(Overview {
        totals: figures_of(&own),
        breakdown: breakdown_of(&own),
        org_life: org_life::of_sums(&own, now),
        org_life_children: children
            .iter()
            .map(|(node, sums)| org_life::ChildOrgLife {
                node: node.clone(),
                figures: org_life::of_sums(sums, now),
            })
            .collect(),
        children: children
            .into_iter()
            .map(|(node, sums)| ChildFigures {
                node,
                figures: figures_of(&sums),
            })
            .collect(),
    })
}

/// `read` (the figures `what` of the scope's node as of `now`), kept per node and day in China
/// until a commit changes that node's totals (`Db::kept`): every street and district page reads
/// the same few figures, which change only when something below is written.
async fn kept<T: Clone + Send + Sync + 'static>(
    db: &Db,
    scope: &RollupScope,
    what: &'static str,
    now: chrono::DateTime<chrono::Utc>,
    read: impl std::future::Future<Output = DomainResult<T>>,
) -> DomainResult<T> {
    let key = crate::tenancy::recent::NodeRead {
        node: scope.node_id(),
        what,
        whom: None,
        day: now.with_timezone(&crate::clock::CHINA).date_naive(),
    };
    db.kept(key, read).await
}

pub(super) fn figures_of(sums: &HashMap<String, i64>) -> Figures {
    let get = |name: &str| sums.get(name).copied().unwrap_or(0);
    Figures {
        communities: get("communities"),
        // The roster less the 报到党员, whose Party relation is at their employer.
        members: get("members") - get("members.reporting"),
        grid_branches: get("grid_branches"),
    }
}

/// Figures of each direct child of the scope's node, over the child's whole subtree.
pub async fn children(db: &Db, scope: &RollupScope) -> DomainResult<Vec<ChildFigures>> {
    let children = children_totals(db, scope, FIGURES, vec![]).await?;
    Ok(children
        .into_iter()
        .map(|(node, sums)| ChildFigures {
            node,
            figures: figures_of(&sums),
        })
        .collect())
}

/// Figures of the scope's node itself, over its subtree.
pub async fn totals(db: &Db, scope: &RollupScope) -> DomainResult<Figures> {
    Ok(figures_of(&own_totals(db, scope, FIGURES, vec![]).await?))
}

/// Members by category and by status over the scope's subtree (counts only, never a person).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberBreakdown {
    pub by_category: Vec<(Category, i64)>,
    pub by_status: Vec<(Status, i64)>,
}

pub async fn member_breakdown(db: &Db, scope: &RollupScope) -> DomainResult<MemberBreakdown> {
    Ok(breakdown_of(&own_totals(db, scope, MEMBERS, vec![]).await?))
}

pub(super) fn breakdown_of(totals: &HashMap<String, i64>) -> MemberBreakdown {
    let get = |metric: Metric| totals.get(&metric.name()).copied().unwrap_or(0);
    MemberBreakdown {
        by_category: Category::ALL
            .iter()
            .map(|c| (*c, get(Metric::MembersByCategory(*c))))
            .collect(),
        by_status: Status::ALL
            .iter()
            .map(|s| (*s, get(Metric::MembersByStatus(*s))))
            .collect(),
    }
}

/// Totals of the counters `names` for the scope's node and each direct child.
pub(crate) async fn sums(
    db: &Db,
    scope: &RollupScope,
    names: &[String],
) -> DomainResult<(
    HashMap<String, i64>,
    Vec<(NodeSummary, HashMap<String, i64>)>,
)> {
    let placeholders: Vec<String> = (0..names.len()).map(|i| format!("${}", i + 2)).collect();
    let filter = format!("t.metric IN ({})", placeholders.join(", "));
    let params = names.iter().map(|n| n.as_str().into()).collect();
    read_totals(db, scope, &filter, params).await
}

/// The names of the community's stored counters starting `prefix`.
async fn stored_names(tx: &TenantTx, prefix: &str) -> DomainResult<Vec<String>> {
    let rows = tx
        .query_all_sql(statement(
            tx.backend(),
            "SELECT metric FROM rollup_counts WHERE node_id = $1 AND metric LIKE $2",
            vec![tx.tenant_id().into(), format!("{prefix}%").into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get("", "metric")?)).collect()
}

/// Adds `delta` to the counter `metric` of `node` (a community's figure written from the
/// street's transaction names the community).
pub(crate) async fn bump_node(
    conn: &impl Runner,
    node: Uuid,
    metric: &str,
    delta: i64,
) -> DomainResult<()> {
    let backend: DbBackend = conn.backend();
    conn.execute_sql(statement(
        backend,
        "INSERT INTO rollup_counts (node_id, metric, value) VALUES ($1, $2, $3) \
         ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_counts.value + excluded.value",
        vec![node.into(), metric.into(), delta.into()],
    ))
    .await?;
    let deltas = std::collections::BTreeMap::from([(metric.to_owned(), delta)]);
    totals::propagate(conn, node, &deltas).await
}

/// Sets the counters `names` of `node` to `values` (absent or zero: no row).
pub(crate) async fn store(
    conn: &impl Runner,
    node: Uuid,
    names: &[String],
    values: &std::collections::BTreeMap<String, i64>,
) -> DomainResult<()> {
    let backend: DbBackend = conn.backend();
    if names.is_empty() {
        return Ok(());
    }
    // What the node holds now, so the totals above move by the difference.
    let placeholders: Vec<String> = (0..names.len()).map(|i| format!("${}", i + 2)).collect();
    let mut params: Vec<sea_orm::Value> = vec![node.into()];
    params.extend(names.iter().map(|n| n.as_str().into()));
    let current = conn
        .query_all_sql(statement(
            backend,
            &format!(
                "SELECT metric, value FROM rollup_counts WHERE node_id = $1 AND metric IN ({})",
                placeholders.join(", ")
            ),
            params,
        ))
        .await?;
    let mut deltas: std::collections::BTreeMap<String, i64> = names
        .iter()
        .map(|n| (n.clone(), values.get(n).copied().unwrap_or(0)))
        .collect();
    for row in current {
        let metric: String = row.try_get("", "metric")?;
        let value: i64 = row.try_get("", "value")?;
        *deltas.entry(metric).or_insert(0) -= value;
    }
    for name in names {
        if deltas.get(name).copied().unwrap_or(0) == 0 {
            continue;
        }
        let statement = match values.get(name).copied().unwrap_or(0) {
            0 => statement(
                backend,
                "DELETE FROM rollup_counts WHERE node_id = $1 AND metric = $2",
                vec![node.into(), name.as_str().into()],
            ),
            value => statement(
                backend,
                "INSERT INTO rollup_counts (node_id, metric, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (node_id, metric) DO UPDATE SET value = excluded.value",
                vec![node.into(), name.as_str().into(), value.into()],
            ),
        };
        conn.execute_sql(statement).await?;
    }
    totals::propagate(conn, node, &deltas).await
}
