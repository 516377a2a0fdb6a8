//! What a write changed that the aggregates follow. A writer records its changes on its
//! transaction (`TenantTx::record`) and knows nothing of the counters; `rollup` turns what was
//! recorded into counters when the transaction commits, in that same transaction. So the
//! writers (members, activities, points, reporting, coop, org) never import `rollup`.
use uuid::Uuid;

use crate::kinds::{Category, Status};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A counter of `node` moves by `delta`.
    Count {
        node: Uuid,
        metric: String,
        delta: i64,
    },
    /// An activity was published, changed or cancelled, or its attendance marked: the activity
    /// figures of these months (`2026-11`) are recomputed, and the 三会一课 ones if it counts
    /// toward them.
    Activities { months: Vec<String>, org_life: bool },
    /// A cadence changed or a grid branch was added: the 三会一课 figures are recomputed.
    OrgLife,
    /// A 双报到 report was made or decided: the report figures are recomputed.
    Reports,
    /// The street's co-construction rows changed: its figures are recomputed.
    Coop,
    /// Dues were paid (or a payment undone) for these months (`2026-11`): their figures are
    /// recomputed.
    DuesPaid { months: Vec<String> },
    /// A member's dues were assessed: the counts of members due are recomputed.
    DuesAssessed,
    /// Who pays dues here changed (a member left the roster or their Party relation moved):
    /// every dues figure is recomputed.
    DuesPayers,
    /// A branch decided its 民主评议 (or reopened it): the review figures are recomputed.
    Reviews,
}

impl Change {
    /// `metric` of `node` moves by `delta`.
    pub fn count(node: Uuid, metric: Metric, delta: i64) -> Change {
        Change::Count {
            node,
            metric: metric.name(),
            delta,
        }
    }
}

/// A per-node counter a writer moves directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Members on the active roster (everyone but those transferred out).
    Members,
    /// Of those, the 报到党员 (their Party relation at their employer): the community's own
    /// members are the difference.
    ReportingMembers,
    GridBranches,
    MembersByCategory(Category),
    MembersByStatus(Status),
}

impl Metric {
    pub fn name(self) -> String {
        match self {
            Metric::Members => "members".into(),
            Metric::ReportingMembers => "members.reporting".into(),
            Metric::GridBranches => "grid_branches".into(),
            Metric::MembersByCategory(c) => format!("members.category.{}", c.as_str()),
            Metric::MembersByStatus(s) => format!("members.status.{}", s.as_str()),
        }
    }
}

/// The points counter of a local month (`pts.2026-11`).
pub fn points_metric(month: &str) -> String {
    format!("pts.{month}")
}
