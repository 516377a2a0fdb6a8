//! The reconcile check: every community's figures recomputed from its rows and compared with
//! the stored counters. Any difference means a write went around the domain;
//! with `fix` the stored figures are rewritten from the rows.
use crate::tenancy::Commit;
use std::collections::{BTreeMap, BTreeSet};

use sea_orm::ColumnTrait;
use serde::Serialize;
use uuid::Uuid;

use super::activity_figures::month_figures;
use super::coop_figures;
use crate::changes::Metric;
use crate::clock::month_key;
use crate::db::{statement, Db};
use crate::entities::{activity, community_unit, member, org_node, points_entry};
use crate::error::DomainResult;
use crate::kinds::PlacementKind;
use crate::kinds::Role;
use crate::kinds::{PartyRelation, Status};
use crate::tenancy::{Runner, Sql, TenantScope, TenantTx};

/// One figure that does not match its rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub node: Uuid,
    pub metric: String,
    pub stored: i64,
    pub expected: i64,
}

/// Compares (and with `fix`, repairs) the figures of every community, and the
/// co-construction figures of every street.
pub async fn reconcile(db: &Db, fix: bool) -> DomainResult<Vec<Difference>> {
    let communities = crate::tenancy::shared::find::<org_node::Entity>()
        .filter(org_node::Column::Kind.eq("community"))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for community in communities {
        // The system acts here, as for the demo: no person, the community's own tenant.
        let scope = TenantScope::new(community.id, Uuid::nil(), Role::CommunitySecretary);
        let tx = scope.write(db).await?;
        let found = reconcile_community(&tx, fix).await?;
        tx.commit().await?;
        out.extend(found);
    }
    let streets = crate::tenancy::shared::find::<org_node::Entity>()
        .filter(org_node::Column::Kind.eq("street"))
        .all(db)
        .await?;
    for street in streets {
        let scope = TenantScope::new(street.id, Uuid::nil(), Role::StreetStaff);
        let tx = scope.write(db).await?;
        let expected = coop_figures::expected(&tx).await?;
        let stored = coop_figures::stored(&tx).await?;
        let mut nodes: Vec<&Uuid> = expected.keys().chain(stored.keys()).collect();
        nodes.sort();
        nodes.dedup();
        let empty = BTreeMap::new();
        let mut found = Vec::new();
        for node in nodes {
            let (e, s) = (
                expected.get(node).unwrap_or(&empty),
                stored.get(node).unwrap_or(&empty),
            );
            for name in e.keys().chain(s.keys()).collect::<BTreeSet<_>>() {
                let (want, have) = (
                    e.get(name).copied().unwrap_or(0),
                    s.get(name).copied().unwrap_or(0),
                );
                if want != have {
                    found.push(Difference {
                        node: *node,
                        metric: name.clone(),
                        stored: have,
                        expected: want,
                    });
                }
            }
        }
        if fix && !found.is_empty() {
            coop_figures::write(&tx, &expected, &stored).await?;
        }
        tx.commit().await?;
        out.extend(found);
    }
    // The subtree totals against the own counters (after the repairs above, with `fix`).
    let expected = super::totals::expected(db).await?;
    let stored = super::totals::stored(db).await?;
    let mut keys: Vec<&(Uuid, String)> = expected.keys().chain(stored.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut wrong = false;
    for key in keys {
        let (e, s) = (
            expected.get(key).copied().unwrap_or(0),
            stored.get(key).copied().unwrap_or(0),
        );
        if e != s {
            wrong = true;
            out.push(Difference {
                node: key.0,
                metric: format!("total.{}", key.1),
                stored: s,
                expected: e,
            });
        }
    }
    if fix && wrong {
        db.rebuild_totals().await?;
    }
    Ok(out)
}

async fn reconcile_community(tx: &TenantTx, fix: bool) -> DomainResult<Vec<Difference>> {
    let node = tx.tenant_id();
    let expected_counts = expected_counters(tx).await?;
    let stored_counts = stored_counters(tx).await?;
    let mut out = Vec::new();
    let names: BTreeSet<&String> = expected_counts.keys().chain(stored_counts.keys()).collect();
    for name in names {
        let (e, s) = (
            expected_counts.get(name).copied().unwrap_or(0),
            stored_counts.get(name).copied().unwrap_or(0),
        );
        if e != s {
            out.push(Difference {
                node,
                metric: name.clone(),
                stored: s,
                expected: e,
            });
        }
    }
    if fix && !out.is_empty() {
        let names: Vec<String> = expected_counts
            .keys()
            .chain(stored_counts.keys())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        super::store(tx, node, &names, &expected_counts).await?;
    }
    Ok(out)
}

/// Counters as the rows say: members, reports, grid branches, 三会一课, activity and points months,
/// 党费.
async fn expected_counters(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    let mut add = |name: String, n: i64| *out.entry(name).or_insert(0) += n;
    // The community counts itself (written when it was imported).
    add("communities".into(), 1);
    for m in tx.find::<member::Entity>().all(tx).await? {
        let status = m.status;
        let category = m.category;
        add(Metric::MembersByStatus(status).name(), 1);
        add(Metric::MembersByCategory(category).name(), 1);
        if status != Status::TransferredOut {
            add(Metric::Members.name(), 1);
            if m.relation == PartyRelation::Reporting {
                add(Metric::ReportingMembers.name(), 1);
            }
        }
    }
    let branches = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
        .all(tx)
        .await?;
    add(Metric::GridBranches.name(), branches.len() as i64);
    for e in tx.find::<points_entry::Entity>().all(tx).await? {
        add(
            crate::changes::points_metric(&month_key(e.created_at)),
            i64::from(e.points),
        );
    }
    for (name, n) in super::member_figures::report_figures(tx).await? {
        add(name, n);
    }
    for (name, n) in super::org_life::figures(tx).await? {
        add(name, n);
    }
    for (name, n) in super::dues_figures::figures(tx).await? {
        add(name, n);
    }
    for (name, n) in super::review_figures::figures(tx).await? {
        add(name, n);
    }
    let months: BTreeSet<String> = tx
        .find::<activity::Entity>()
        .all(tx)
        .await?
        .iter()
        .map(|a| month_key(a.starts_at))
        .collect();
    for month in months {
        for (name, n) in month_figures(tx, &month).await? {
            add(name, n);
        }
    }
    out.retain(|_, n| *n != 0);
    Ok(out)
}

async fn stored_counters(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let rows = tx
        .query_all_sql(statement(
            tx.backend(),
            "SELECT metric, value FROM rollup_counts WHERE node_id = $1 AND metric <> 'lock' \
             AND metric NOT LIKE 'coop.%'",
            vec![tx.tenant_id().into()],
        ))
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let value: i64 = row.try_get("", "value")?;
        if value != 0 {
            out.insert(row.try_get("", "metric")?, value);
        }
    }
    Ok(out)
}
