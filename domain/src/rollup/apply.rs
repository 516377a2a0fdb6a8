//! Turning the changes a transaction recorded into counters, in that transaction, just before
//! it commits: the one place writers' changes reach the aggregates.
use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::{
    activity_figures, coop_figures, dues_figures, member_figures, org_life, review_figures,
};
use crate::changes::Change;
use crate::error::DomainResult;
use crate::tenancy::{Commit, TenantTx};

impl Commit for TenantTx {
    async fn commit(self) -> DomainResult<()> {
        apply(&self).await?;
        self.commit_applied().await
    }
}

/// What the recorded changes ask of one tenant, merged (a month refreshed once, counters summed).
#[derive(Default)]
struct Due {
    months: BTreeSet<String>,
    org_life: bool,
    reports: bool,
    coop: bool,
    reviews: bool,
    dues: dues_figures::DuesDue,
}

async fn apply(tx: &TenantTx) -> DomainResult<()> {
    let mut counts: BTreeMap<(Uuid, String), i64> = BTreeMap::new();
    let mut due: BTreeMap<Uuid, Due> = BTreeMap::new();
    for (tenant, change) in tx.take_changes() {
        let due = due.entry(tenant).or_default();
        match change {
            Change::Count {
                node,
                metric,
                delta,
            } => *counts.entry((node, metric)).or_default() += delta,
            Change::Activities { months, org_life } => {
                due.months.extend(months);
                due.org_life |= org_life;
            }
            Change::OrgLife => due.org_life = true,
            Change::Reports => due.reports = true,
            Change::Coop => due.coop = true,
            Change::DuesPaid { months } => due.dues.months.extend(months),
            Change::DuesAssessed => due.dues.starts = true,
            Change::DuesPayers => due.dues.payers = true,
            Change::Reviews => due.reviews = true,
        }
    }
    for ((node, metric), delta) in counts {
        if delta != 0 {
            super::bump_node(tx, node, &metric, delta).await?;
        }
    }
    for (tenant, due) in due {
        if tenant == tx.tenant_id() {
            refresh(tx, &due).await?;
        } else {
            tx.in_tenant(tenant, async |there: &TenantTx| refresh(there, &due).await)
                .await?;
        }
    }
    Ok(())
}

/// The figures recomputed from the tenant's rows, under its rollup lock.
async fn refresh(tx: &TenantTx, due: &Due) -> DomainResult<()> {
    let dues = &due.dues;
    let dues_due = !dues.months.is_empty() || dues.starts || dues.payers;
    if due.months.is_empty()
        && !due.org_life
        && !due.reports
        && !due.coop
        && !due.reviews
        && !dues_due
    {
        return Ok(());
    }
    activity_figures::lock_community(tx).await?;
    if due.org_life {
        org_life::refresh(tx).await?;
    }
    for month in &due.months {
        activity_figures::refresh_month(tx, month).await?;
    }
    if due.reports {
        member_figures::refresh_reports(tx).await?;
    }
    if due.coop {
        coop_figures::refresh(tx).await?;
    }
    if dues_due {
        dues_figures::refresh(tx, dues).await?;
    }
    if due.reviews {
        review_figures::refresh(tx).await?;
    }
    Ok(())
}
