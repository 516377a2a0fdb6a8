//! The co-construction figures of a street, attributed to the community they concern (or to
//! the street): needs by status and escalated, active resources, projects by status, joint
//! meetings held by month, resolutions in all, closed, and open by due date (overdue is read
//! against the day). Every write transaction of the co-construction space recomputes them all
//! from the street's rows before it commits, under the street's rollup lock — a street's
//! co-construction rows are few, and the figures are then exact by construction.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

use crate::db::statement;
use crate::entities::{coop_meeting, coop_need, coop_project, coop_resolution, coop_resource};
use crate::error::DomainResult;
use crate::kinds::ResolutionStatus;
use crate::tenancy::{Runner, Sql, TenantTx};

/// Every co-construction counter of the street, per node (community or street).
pub(crate) async fn expected(tx: &TenantTx) -> DomainResult<HashMap<Uuid, BTreeMap<String, i64>>> {
    let street = tx.tenant_id();
    let mut out: HashMap<Uuid, BTreeMap<String, i64>> = HashMap::new();
    let mut add =
        |node: Uuid, name: String| *out.entry(node).or_default().entry(name).or_insert(0) += 1;
    for n in tx.find::<coop_need::Entity>().all(tx).await? {
        add(n.community_id, format!("coop.needs.{}", n.status.as_str()));
        if n.escalated_on.is_some() {
            add(n.community_id, "coop.needs.escalated".into());
        }
    }
    for r in tx.find::<coop_resource::Entity>().all(tx).await? {
        if r.active {
            add(street, "coop.resources".into());
        }
    }
    for p in tx.find::<coop_project::Entity>().all(tx).await? {
        add(
            p.community_id.unwrap_or(street),
            format!("coop.projects.{}", p.status.as_str()),
        );
    }
    for m in tx.find::<coop_meeting::Entity>().all(tx).await? {
        if m.minutes_on.is_some() {
            let month = m.held_on.format("%Y-%m");
            add(
                m.community_id.unwrap_or(street),
                format!("coop.meetings.{month}"),
            );
        }
    }
    for r in tx.find::<coop_resolution::Entity>().all(tx).await? {
        let node = r.owner_community_id.unwrap_or(street);
        add(node, "coop.res.total".into());
        if r.status == ResolutionStatus::Done {
            add(node, "coop.res.done".into());
        } else {
            add(node, format!("coop.res.open_due.{}", r.due_on));
        }
    }
    Ok(out)
}

/// The co-construction counters stored for the street and its communities.
pub(crate) async fn stored(tx: &TenantTx) -> DomainResult<HashMap<Uuid, BTreeMap<String, i64>>> {
    let backend = tx.backend();
    let rows = tx
        .query_all_sql(statement(
            backend,
            "SELECT r.node_id, r.metric, r.value FROM rollup_counts r \
             JOIN org_nodes d ON d.id = r.node_id \
             WHERE (d.id = $1 OR d.parent_id = $2) AND r.metric LIKE 'coop.%'",
            vec![tx.tenant_id().into(), tx.tenant_id().into()],
        ))
        .await?;
    let mut out: HashMap<Uuid, BTreeMap<String, i64>> = HashMap::new();
    for row in rows {
        let value: i64 = row.try_get("", "value")?;
        if value != 0 {
            out.entry(row.try_get("", "node_id")?)
                .or_default()
                .insert(row.try_get("", "metric")?, value);
        }
    }
    Ok(out)
}

/// Rewrites the street's co-construction counters from its rows (the caller holds the street's
/// rollup lock).
pub(super) async fn refresh(tx: &TenantTx) -> DomainResult<()> {
    let expected = expected(tx).await?;
    let stored = stored(tx).await?;
    write(tx, &expected, &stored).await
}

pub(crate) async fn write(
    tx: &TenantTx,
    expected: &HashMap<Uuid, BTreeMap<String, i64>>,
    stored: &HashMap<Uuid, BTreeMap<String, i64>>,
) -> DomainResult<()> {
    let empty = BTreeMap::new();
    let nodes: BTreeSet<&Uuid> = expected.keys().chain(stored.keys()).collect();
    for node in nodes {
        let want = expected.get(node).unwrap_or(&empty);
        let have = stored.get(node).unwrap_or(&empty);
        if want == have {
            continue;
        }
        let names: Vec<String> = want
            .keys()
            .chain(have.keys())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        super::store(tx, *node, &names, want).await?;
    }
    Ok(())
}
