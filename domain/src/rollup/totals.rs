//! Subtree totals (`rollup_totals`): every change of a node's own counter by a delta adds the
//! same delta to the totals of the node and of each of its ancestors, in the same transaction —
//! directly for the street and below (few writers share those rows), as a pending delta
//! (`rollup_pending`) for the district and above, so no writer waits on a row that writers all
//! over the country move (PostgreSQL; SQLite has one writer at a time and writes them all at
//! once). `compact`, run every second by the server, folds the pending deltas in, in batches:
//! the district and above are read as stored, about a second behind, and a read never walks
//! the queue (whose deleted rows linger until vacuum). `reconcile` counts the queue, so it
//! stays exact. Readers take a node's totals and its children's, so no dashboard sums a subtree.
use std::collections::{BTreeMap, HashMap};

use sea_orm::DbBackend;
use uuid::Uuid;

use crate::db::{statement, Db, COMPACT_LOCK};
use crate::error::DomainResult;
use crate::tenancy::{Runner, Sql};

/// Ancestors at this depth or deeper (0 is the country: 4 is a street) take their deltas at
/// once; those above, as pending deltas.
const DIRECT_DEPTH: usize = 4;

/// Pending deltas `lag` counts, at most (more reads as this many).
const LAG_COUNTED: usize = 100_000;

/// Pending deltas folded in by one `compact`, at most.
const COMPACT_BATCH: usize = 5_000;

/// Totals one statement of `upsert_totals` upserts, at most (three parameters each).
const UPSERT_BATCH: usize = 1_000;

/// The node and its ancestors, read from its path (`/country/…/node/`), the country first.
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
    // SQLite takes one writer at a time: nothing is gained by waiting in line there.
    let deferred = match backend {
        DbBackend::Postgres => DIRECT_DEPTH.min(lineage.len()),
        _ => 0,
    };
    let (above, direct) = lineage.split_at(deferred);
    for id in direct {
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
    if !above.is_empty() {
        // One statement appends every pending delta (a few ancestors × a few counters).
        let mut rows = Vec::new();
        let mut values: Vec<sea_orm::Value> = Vec::new();
        for id in above {
            for (metric, delta) in &changed {
                let n = values.len();
                rows.push(format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5
                ));
                values.extend([
                    node.into(),
                    Uuid::now_v7().into(),
                    (*id).into(),
                    metric.as_str().into(),
                    (**delta).into(),
                ]);
            }
        }
        conn.execute_sql(statement(
            backend,
            &format!(
                "INSERT INTO rollup_pending (source_id, id, node_id, metric, delta) VALUES {}",
                rows.join(", ")
            ),
            values,
        ))
        .await?;
    }
    // The levels above change when their deltas are folded in (`compact` forgets them then).
    conn.totals_changed(direct);
    Ok(())
}

/// Folds up to `COMPACT_BATCH` pending deltas into the stored totals, oldest first, forgets the
/// kept figures of the nodes they moved, and says whether any were (PostgreSQL; SQLite keeps
/// none). Deltas leave the queue and enter the totals in one transaction: `reconcile` sees
/// each once. One process folds at a time (an advisory lock; the others skip their turn):
/// the queue is not shared out by row locks, which Citus refuses across shards.
pub async fn compact(db: &Db) -> DomainResult<bool> {
    if !db.is_postgres() {
        return Ok(false);
    }
    let backend = DbBackend::Postgres;
    let tx = db.begin_shared().await?;
    let turn = tx
        .query_one_sql(statement(
            backend,
            "SELECT pg_try_advisory_xact_lock($1) AS mine",
            vec![COMPACT_LOCK.into()],
        ))
        .await?;
    let mine = match turn {
        Some(row) => row.try_get::<bool>("", "mine")?,
        None => false,
    };
    if !mine {
        return Ok(false);
    }
    let moved = tx
        .query_all_sql(statement(
            backend,
            "DELETE FROM rollup_pending WHERE (source_id, id) IN \
                 (SELECT source_id, id FROM rollup_pending ORDER BY id LIMIT $1) \
             RETURNING node_id, metric, delta",
            vec![(COMPACT_BATCH as i64).into()],
        ))
        .await?;
    let mut sums: BTreeMap<(Uuid, String), i64> = BTreeMap::new();
    for row in &moved {
        let key = (row.try_get("", "node_id")?, row.try_get("", "metric")?);
        *sums.entry(key).or_insert(0) += row.try_get::<i64>("", "delta")?;
    }
    sums.retain(|_, delta| *delta != 0);
    upsert_totals(&tx, &sums).await?;
    tx.commit().await?;
    Ok(!moved.is_empty())
}

/// Adds each delta to its node's total of its metric, in bulk (`UPSERT_BATCH` a statement) and
/// in (node, metric) order — the order `compact` and a divisions import, the only writers of
/// the upper levels' rows in bulk, both take them in, so neither waits on the other
/// crosswise — and forgets the kept figures of the nodes it moved.
async fn upsert_totals(
    conn: &impl Runner,
    deltas: &BTreeMap<(Uuid, String), i64>,
) -> DomainResult<()> {
    let backend = conn.backend();
    let deltas: Vec<(&(Uuid, String), &i64)> = deltas.iter().collect();
    for chunk in deltas.chunks(UPSERT_BATCH) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let values = chunk
            .iter()
            .flat_map(|((node, metric), delta)| {
                [(*node).into(), metric.as_str().into(), (**delta).into()]
            })
            .collect();
        conn.execute_sql(statement(
            backend,
            &format!(
                "INSERT INTO rollup_totals (node_id, metric, value) VALUES {} \
                 ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value",
                rows.join(", ")
            ),
            values,
        ))
        .await?;
    }
    let mut nodes: Vec<Uuid> = deltas.iter().map(|((node, _), _)| *node).collect();
    nodes.dedup();
    conn.totals_changed(&nodes);
    Ok(())
}

/// How far the upper levels' totals are behind: the pending deltas and the age of the oldest
/// (its UUIDv7 id carries when it was written), for the operator's page and `/metrics`.
pub async fn lag(db: &Db) -> DomainResult<Lag> {
    if !db.is_postgres() {
        return Ok(Lag::default());
    }
    let row = db
        .query_one_sql(statement(
            DbBackend::Postgres,
            // Counted up to LAG_COUNTED: a scrape must not walk a long backlog.
            &format!(
                "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM rollup_pending LIMIT {LAG_COUNTED}) q) AS n, \
                 (SELECT id FROM rollup_pending ORDER BY id LIMIT 1) AS oldest"
            ),
            vec![],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(Lag::default());
    };
    let pending: i64 = row.try_get("", "n")?;
    let oldest: Option<Uuid> = row.try_get("", "oldest")?;
    let oldest_ms = oldest.and_then(|id| id.get_timestamp()).map(|ts| {
        let (secs, nanos) = ts.to_unix();
        secs * 1000 + u64::from(nanos / 1_000_000)
    });
    let now_ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
    Ok(Lag {
        pending,
        oldest_ms: oldest_ms.map(|t| now_ms.saturating_sub(t)),
    })
}

/// `lag`'s reading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lag {
    /// Deltas waiting to be folded in (counted up to 100,000).
    pub pending: i64,
    /// How long the oldest has waited, in milliseconds (None: nothing waits).
    pub oldest_ms: Option<u64>,
}

/// Adds `n` to the total `metric` of each node of `added`, for counters created in bulk whose
/// lineage sums the caller already has (a divisions import).
pub(crate) async fn add_to_totals(
    conn: &impl Runner,
    metric: &str,
    added: &HashMap<Uuid, i64>,
) -> DomainResult<()> {
    let deltas = added
        .iter()
        .map(|(node, n)| ((*node, metric.to_owned()), *n))
        .collect();
    upsert_totals(conn, &deltas).await
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

/// The totals as stored, with what is pending for them.
pub(crate) async fn stored(conn: &impl Runner) -> DomainResult<HashMap<(Uuid, String), i64>> {
    let rows = conn
        .query_all_sql(statement(
            conn.backend(),
            "SELECT node_id, metric, value FROM rollup_totals \
             UNION ALL SELECT node_id, metric, delta AS value FROM rollup_pending",
            vec![],
        ))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let value: i64 = row.try_get("", "value")?;
        *out.entry((row.try_get("", "node_id")?, row.try_get("", "metric")?))
            .or_insert(0) += value;
    }
    out.retain(|_, v| *v != 0);
    Ok(out)
}
