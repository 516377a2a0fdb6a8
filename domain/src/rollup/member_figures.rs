//! The member figures a dashboard shows beside the roster counts: in-service members and their
//! 双报到 (reports confirmed, waiting), and members out of contact (失联). Report counters are
//! recomputed from the community's report rows whenever a report is made or decided.
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::changes::Metric;
use crate::entities::member_report;
use crate::error::DomainResult;
use crate::kinds::ReportStatus;
use crate::members::{Category, Status};
use crate::tenancy::TenantTx;

fn report_metric(status: ReportStatus) -> String {
    format!("reports.{}", status.as_str())
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFigures {
    pub in_service: i64,
    /// In-service members whose report the community confirmed.
    pub reported: i64,
    /// Reports waiting for the secretary.
    pub reports_pending: i64,
    pub lost_contact: i64,
}

impl MemberFigures {
    /// 报到率: confirmed reports of in-service members, in percent (none without any).
    pub fn reported_rate(&self) -> Option<f64> {
        (self.in_service > 0).then(|| self.reported as f64 * 100.0 / self.in_service as f64)
    }
}

pub(crate) fn of_sums(sums: &HashMap<String, i64>) -> MemberFigures {
    let get = |name: String| sums.get(&name).copied().unwrap_or(0);
    MemberFigures {
        in_service: get(Metric::MembersByCategory(Category::InService).name()),
        reported: get(report_metric(ReportStatus::Confirmed)),
        reports_pending: get(report_metric(ReportStatus::Pending)),
        lost_contact: get(Metric::MembersByStatus(Status::LostContact).name()),
    }
}

/// The community's report counters, from its rows.
pub(crate) async fn report_figures(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    for r in tx.find::<member_report::Entity>().all(tx).await? {
        *out.entry(report_metric(r.status)).or_insert(0) += 1;
    }
    Ok(out)
}

/// The report counters, recomputed (the caller holds the community's rollup lock).
pub(super) async fn refresh_reports(tx: &TenantTx) -> DomainResult<()> {
    let names: Vec<String> = ReportStatus::ALL.into_iter().map(report_metric).collect();
    let figures = report_figures(tx).await?;
    super::store(tx, tx.tenant_id(), &names, &figures).await
}
