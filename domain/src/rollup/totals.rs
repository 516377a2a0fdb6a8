//! Subtree totals (`rollup_totals`): every change of a node's own counter by a delta adds the
//! same delta to the totals of the node and of each of its ancestors, in the same transaction.
//! Readers take a node's totals and its children's, so no dashboard sums a subtree.
use std::collections::{BTreeMap, HashMap};

use sea_orm::DbBackend;
use uuid::Uuid;

use crate::db::statement;
use crate::error::DomainResult;
use crate::tenancy::{Runner, Sql};

/// The node and its ancestors, read from its path (`/country/…/node/`).
async fn lineage(conn: &impl Runner, node: Uuid) -> DomainResult<Vec<Uuid>> {
    let backend = conn.backend();
    let row = conn
        .query_one_sql(statement(
            backend,
            "SELECT path FROM org_nodes WHERE id = $1",
            vec![node.into()],
        ))
        .await?;
    let path: String = match row {
        Some(row) => row.try_get("", "path")?,
        None => return Ok(vec![node]),
    };
    Ok(path
        .split('/')
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect())
}

/// Adds each delta to the totals of `node` and its ancestors.
pub(crate) async fn propagate(
    conn: &impl Runner,
    node: Uuid,
    deltas: &BTreeMap<String, i64>,
) -> DomainResult<()> {
    let changed: Vec<(&String, &i64)> = deltas.iter().filter(|(_, d)| **d != 0).collect();
    if changed.is_empty() {
        return Ok(());
    }
    let backend: DbBackend = conn.backend();
    let lineage = lineage(conn, node).await?;
    for id in &lineage {
        for (metric, delta) in &changed {
            conn.execute_sql(statement(
                backend,
                "INSERT INTO rollup_totals (node_id, metric, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value",
                vec![(*id).into(), metric.as_str().into(), (**delta).into()],
            ))
            .await?;
        }
    }
    conn.totals_changed(&lineage);
    Ok(())
}

/// Adds `n` to the total `metric` of each node of `added` in bulk (500 nodes a statement), for
/// counters created in bulk whose lineage sums the caller already has (a divisions import).
pub(crate) async fn add_to_totals(
    conn: &impl Runner,
    metric: &str,
    added: &HashMap<Uuid, i64>,
) -> DomainResult<()> {
    const BATCH: usize = 500;
    let backend = conn.backend();
    let added: Vec<(&Uuid, &i64)> = added.iter().collect();
    for chunk in added.chunks(BATCH) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let values = chunk
            .iter()
            .flat_map(|(node, n)| [(**node).into(), metric.into(), (**n).into()])
            .collect();
        conn.execute_sql(statement(
            backend,
            &format!(
                "INSERT INTO rollup_totals (node_id, metric, value) VALUES {} \
                 ON CONFLICT (node_id, metric) DO UPDATE \
                 SET value = rollup_totals.value + excluded.value",
                rows.join(", ")
            ),
            values,
        ))
        .await?;
    }
    let nodes: Vec<Uuid> = added.iter().map(|(node, _)| **node).collect();
    conn.totals_changed(&nodes);
    Ok(())
}

/// The totals that the own counters imply, for comparison (`reconcile`).
pub(crate) async fn expected(conn: &impl Runner) -> DomainResult<HashMap<(Uuid, String), i64>> {
    let backend = conn.backend();
    let rows = conn
        .query_all_sql(statement(
            backend,
            "SELECT d.path, r.metric, r.value FROM rollup_counts r \
             JOIN org_nodes d ON d.id = r.node_id WHERE r.metric <> 'lock'",
            vec![],
        ))
        .await?;
    let mut out: HashMap<(Uuid, String), i64> = HashMap::new();
    for row in rows {
        let path: String = row.try_get("", "path")?;
        let metric: String = row.try_get("", "metric")?;
        let value: i64 = row.try_get("", "value")?;
        for id in path.split('/').filter_map(|id| Uuid::parse_str(id).ok()) {
            *out.entry((id, metric.clone())).or_insert(0) += value;
        }
    }
    out.retain(|_, v| *v != 0);
    Ok(out)
}

/// The totals as stored.
pub(crate) async fn stored(conn: &impl Runner) -> DomainResult<HashMap<(Uuid, String), i64>> {
    let rows = conn
        .query_all_sql(statement(
            conn.backend(),
            "SELECT node_id, metric, value FROM rollup_totals",
            vec![],
        ))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let value: i64 = row.try_get("", "value")?;
        if value != 0 {
            out.insert(
                (row.try_get("", "node_id")?, row.try_get("", "metric")?),
                value,
            );
        }
    }
    Ok(out)
}
