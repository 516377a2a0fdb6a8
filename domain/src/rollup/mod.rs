//! Aggregates for streets and districts. Figures come from per-node counters kept in step with
//! the tenants' rows (same transaction); nothing returned here carries a person.
mod activity_figures;
mod coop_figures;
mod dashboard;
mod export;
mod org_life;
mod reconcile;

pub(crate) use activity_figures::{activity_changed, attendance_changed, month_key};
pub(crate) use coop_figures::coop_changed;
pub use dashboard::{dashboard, Activity, ChildDashboard, Coop, Dashboard, MonthPoint};
pub use export::dashboard_xlsx;
pub use org_life::{org_life, ChildOrgLife, OrgLifeFigures};
pub use reconcile::{reconcile, Difference};

use sea_orm::{ConnectionTrait, DbBackend};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::{statement, Db};
use crate::error::DomainResult;
use crate::members::{Category, Status};
use crate::org::{NodeKind, NodeSummary};
use crate::tenancy::TenantTx;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Members on the active roster (everyone but those transferred out).
    Members,
    GridBranches,
    MembersByCategory(Category),
    MembersByStatus(Status),
}

impl Metric {
    fn name(self) -> String {
        match self {
            Metric::Members => "members".into(),
            Metric::GridBranches => "grid_branches".into(),
            Metric::MembersByCategory(c) => format!("members.category.{}", c.as_str()),
            Metric::MembersByStatus(s) => format!("members.status.{}", s.as_str()),
        }
    }
}

/// Proof that the caller may read aggregates of one node's subtree; built by `auth::authz`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollupScope {
    node_id: Uuid,
    path: String,
    kind: NodeKind,
}

impl RollupScope {
    pub(crate) fn new(node_id: Uuid, path: String, kind: NodeKind) -> Self {
        RollupScope {
            node_id,
            path,
            kind,
        }
    }

    pub fn node_id(&self) -> Uuid {
        self.node_id
    }

    pub fn kind(&self) -> NodeKind {
        self.kind
    }
}

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

const SUBTREE_SUMS: &str = "COUNT(DISTINCT CASE WHEN d.kind = 'community' THEN d.id END) AS communities, \
     CAST(COALESCE(SUM(CASE WHEN r.metric = 'members' THEN r.value END), 0) AS BIGINT) AS members, \
     CAST(COALESCE(SUM(CASE WHEN r.metric = 'grid_branches' THEN r.value END), 0) AS BIGINT) AS grid_branches";

/// Figures of each direct child of the scope's node, over the child's whole subtree.
pub async fn children(db: &Db, scope: &RollupScope) -> DomainResult<Vec<ChildFigures>> {
    let sql = format!(
        "SELECT c.id, c.kind, c.code, c.name, {SUBTREE_SUMS} \
         FROM org_nodes c \
         JOIN org_nodes d ON d.path LIKE c.path || '%' \
         LEFT JOIN rollup_counts r ON r.node_id = d.id \
         WHERE c.parent_id = $1 \
         GROUP BY c.id, c.kind, c.code, c.name ORDER BY c.code"
    );
    let rows = db
        .conn()
        .query_all_raw(statement(db.backend(), &sql, vec![scope.node_id.into()]))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        out.push(ChildFigures {
            node: NodeSummary {
                id: row.try_get("", "id")?,
                kind: NodeKind::parse(&kind).unwrap_or(NodeKind::Community),
                code: row.try_get("", "code")?,
                name: row.try_get("", "name")?,
            },
            figures: figures_of(&row)?,
        });
    }
    Ok(out)
}

/// Figures of the scope's node itself, over its subtree.
pub async fn totals(db: &Db, scope: &RollupScope) -> DomainResult<Figures> {
    let sql = format!(
        "SELECT {SUBTREE_SUMS} FROM org_nodes d \
         LEFT JOIN rollup_counts r ON r.node_id = d.id \
         WHERE d.path LIKE $1"
    );
    let row = db
        .conn()
        .query_one_raw(statement(
            db.backend(),
            &sql,
            vec![format!("{}%", scope.path).into()],
        ))
        .await?;
    match row {
        Some(row) => figures_of(&row),
        None => Ok(Figures::default()),
    }
}

/// Members by category and by status over the scope's subtree (counts only, never a person).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberBreakdown {
    pub by_category: Vec<(Category, i64)>,
    pub by_status: Vec<(Status, i64)>,
}

pub async fn member_breakdown(db: &Db, scope: &RollupScope) -> DomainResult<MemberBreakdown> {
    let sql = "SELECT r.metric, CAST(SUM(r.value) AS BIGINT) AS total \
               FROM org_nodes d JOIN rollup_counts r ON r.node_id = d.id \
               WHERE d.path LIKE $1 AND r.metric LIKE 'members.%' GROUP BY r.metric";
    let rows = db
        .conn()
        .query_all_raw(statement(
            db.backend(),
            sql,
            vec![format!("{}%", scope.path).into()],
        ))
        .await?;
    let mut totals = std::collections::HashMap::new();
    for row in rows {
        let metric: String = row.try_get("", "metric")?;
        let total: i64 = row.try_get("", "total")?;
        totals.insert(metric, total);
    }
    let get = |metric: Metric| totals.get(&metric.name()).copied().unwrap_or(0);
    Ok(MemberBreakdown {
        by_category: Category::ALL
            .iter()
            .map(|c| (*c, get(Metric::MembersByCategory(*c))))
            .collect(),
        by_status: Status::ALL
            .iter()
            .map(|s| (*s, get(Metric::MembersByStatus(*s))))
            .collect(),
    })
}

fn figures_of(row: &sea_orm::QueryResult) -> DomainResult<Figures> {
    Ok(Figures {
        communities: row.try_get("", "communities")?,
        members: row.try_get("", "members")?,
        grid_branches: row.try_get("", "grid_branches")?,
    })
}

/// Sums of the counters `names` over the scope's subtree, and over each direct child's.
pub(crate) async fn sums(
    db: &Db,
    scope: &RollupScope,
    names: &[String],
) -> DomainResult<(
    std::collections::HashMap<String, i64>,
    Vec<(NodeSummary, std::collections::HashMap<String, i64>)>,
)> {
    use std::collections::HashMap;
    let backend = db.backend();
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
            NodeSummary {
                id: row.try_get("", "id")?,
                kind: NodeKind::parse(&kind).unwrap_or(NodeKind::Community),
                code: row.try_get("", "code")?,
                name: row.try_get("", "name")?,
            },
            HashMap::new(),
        ));
    }
    let placeholders: Vec<String> = (0..names.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT d.path, r.metric, r.value FROM org_nodes d JOIN rollup_counts r ON r.node_id = d.id \
         WHERE d.path LIKE $1 AND r.metric IN ({})",
        placeholders.join(", ")
    );
    let mut values: Vec<sea_orm::Value> = vec![format!("{}%", scope.path).into()];
    values.extend(names.iter().map(|n| n.as_str().into()));
    let rows = db
        .conn()
        .query_all_raw(statement(backend, &sql, values))
        .await?;
    let mut own: HashMap<String, i64> = HashMap::new();
    for row in rows {
        let path: String = row.try_get("", "path")?;
        let metric: String = row.try_get("", "metric")?;
        let value: i64 = row.try_get("", "value")?;
        *own.entry(metric.clone()).or_insert(0) += value;
        if let Some((_, _, child)) = out
            .iter_mut()
            .find(|(p, _, _)| path.starts_with(p.as_str()))
        {
            *child.entry(metric).or_insert(0) += value;
        }
    }
    Ok((
        own,
        out.into_iter()
            .map(|(_, node, sums)| (node, sums))
            .collect(),
    ))
}

/// The rollup lock, the cadence counter and the 三会一课 counters after a cadence changed.
pub(crate) async fn cadence_changed(
    tx: &TenantTx,
    kind: crate::activities::ActivityKind,
    months: i32,
) -> DomainResult<()> {
    activity_figures::lock_community(tx).await?;
    org_life::cadence_set(tx, kind, months).await?;
    org_life::refresh(tx).await
}

/// The 三会一课 counters after a grid branch was added.
pub(crate) async fn branches_changed(tx: &TenantTx) -> DomainResult<()> {
    activity_figures::lock_community(tx).await?;
    org_life::refresh(tx).await
}

/// Adds `delta` to one counter of the transaction's tenant.
pub(crate) async fn bump(tx: &TenantTx, metric: Metric, delta: i64) -> DomainResult<()> {
    bump_node(tx.conn(), tx.tenant_id(), &metric.name(), delta).await
}

/// Adds `delta` to the counter `metric` of `node` (a community's figure written from the
/// street's transaction names the community).
pub(crate) async fn bump_node<C: ConnectionTrait>(
    conn: &C,
    node: Uuid,
    metric: &str,
    delta: i64,
) -> DomainResult<()> {
    let backend: DbBackend = conn.get_database_backend();
    conn.execute_raw(statement(
        backend,
        "INSERT INTO rollup_counts (node_id, metric, value) VALUES ($1, $2, $3) \
         ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_counts.value + excluded.value",
        vec![node.into(), metric.into(), delta.into()],
    ))
    .await?;
    Ok(())
}

/// Sets the counters `names` of `node` to `values` (absent or zero: no row).
pub(crate) async fn store<C: ConnectionTrait>(
    conn: &C,
    node: Uuid,
    names: &[String],
    values: &std::collections::BTreeMap<String, i64>,
) -> DomainResult<()> {
    let backend: DbBackend = conn.get_database_backend();
    for name in names {
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
        conn.execute_raw(statement).await?;
    }
    Ok(())
}
