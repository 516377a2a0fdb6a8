//! The monthly remittance summary (党费收缴月报): per grid branch, members due, 应交 and 实交,
//! and each member's line, for the community to print, download and hand upward.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::assess::{assessments, due_in, pays_here};
use super::model::month_of;
use crate::entities::{dues_payment, member};
use crate::error::DomainResult;
use crate::kinds::{PaymentMethod, PlacementKind};
use crate::members::{placements_in_reach, reach};
use crate::org::placements::Placement;
use crate::tenancy::TenantTx;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchDues {
    /// The grid branch; none for members placed in no branch (and for the total).
    pub branch_id: Option<Uuid>,
    pub name: String,
    pub members_due: i64,
    pub due_cents: i64,
    pub payers: i64,
    pub paid_cents: i64,
    /// Payments made on a member's behalf (代缴).
    pub by_proxy: i64,
}

impl BranchDues {
    /// 收缴率: members due who paid, `98.5%` (empty when none was due).
    pub fn paid_share(&self) -> String {
        if self.members_due == 0 {
            return String::new();
        }
        format!(
            "{:.1}%",
            self.payers as f64 * 100.0 / self.members_due as f64
        )
    }

    /// Counts a line: members due, and of them those who paid (as the street's figures count;
    /// a payment by someone no longer due is listed, not counted).
    fn add(&mut self, line: &MonthLine) {
        let Some(due) = line.due_cents else {
            return;
        };
        self.members_due += 1;
        self.due_cents += due;
        if let Some(paid) = line.paid_cents {
            self.payers += 1;
            self.paid_cents += paid;
            self.by_proxy += i64::from(line.proxy.is_some());
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthLine {
    pub member_id: Uuid,
    pub name: String,
    pub branch: String,
    pub base_cents: Option<i64>,
    pub rate_permille: Option<i32>,
    /// 应交 (none: not due this month, yet paid before leaving, say).
    pub due_cents: Option<i64>,
    /// 实交 (none: not paid).
    pub paid_cents: Option<i64>,
    pub method: Option<PaymentMethod>,
    pub paid_on: Option<NaiveDate>,
    pub proxy: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDues {
    pub month: NaiveDate,
    pub branches: Vec<BranchDues>,
    pub total: BranchDues,
    pub lines: Vec<MonthLine>,
}

/// The grid branch a placement belongs to (itself, or the branch above its building group;
/// a few levels at most, so a damaged chain ends).
fn branch_of(units: &[Placement], unit: Option<Uuid>) -> Option<&Placement> {
    let mut at = units.iter().find(|u| Some(u.id) == unit)?;
    for _ in 0..8 {
        if at.kind == PlacementKind::GridBranch {
            return Some(at);
        }
        at = units.iter().find(|u| Some(u.id) == at.parent_id)?;
    }
    None
}

/// `month_dues` for a download, recorded in the audit log (it names members and their bases).
pub async fn export_month(
    db: &crate::db::Db,
    scope: &crate::tenancy::TenantScope,
    month: NaiveDate,
) -> DomainResult<MonthDues> {
    let tx = scope.read(db).await?;
    let dues = month_dues(&tx, month).await?;
    crate::tenancy::Commit::commit(tx).await?;
    crate::audit::record(
        db,
        crate::audit::AuditEvent::new("dues_exported", scope.tenant_id().to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(scope.tenant_id()))
            .detail(serde_json::json!({
                "month": super::model::month_label(dues.month),
                "lines": dues.lines.len(),
            })),
    )
    .await?;
    Ok(dues)
}

/// The month's summary over the actor's reach: who was due, who paid, per branch.
pub async fn month_dues(tx: &TenantTx, month: NaiveDate) -> DomainResult<MonthDues> {
    let month = month_of(month);
    let reach = reach(tx).await?;
    let units = placements_in_reach(tx).await?;
    let people = tx
        .find::<member::Entity>()
        .filter(reach.members())
        .order_by_asc(member::Column::Id)
        .all(tx)
        .await?;
    let all = assessments(tx, None).await?;
    let mut assessed: BTreeMap<Uuid, Vec<_>> = BTreeMap::new();
    for a in &all {
        assessed.entry(a.member_id).or_default().push(a);
    }
    let paid: BTreeMap<Uuid, dues_payment::Model> = tx
        .find::<dues_payment::Entity>()
        .filter(dues_payment::Column::Month.eq(month))
        .all(tx)
        .await?
        .into_iter()
        .map(|p| (p.member_id, p))
        .collect();
    let mut branches: BTreeMap<(String, Option<Uuid>), BranchDues> = BTreeMap::new();
    let mut total = BranchDues::default();
    let mut lines = Vec::new();
    for m in people {
        let own = assessed.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        let due = due_in(own, month).filter(|_| pays_here(&m));
        let payment = paid.get(&m.id);
        if due.is_none() && payment.is_none() {
            continue;
        }
        let rate = own.iter().rev().find(|a| a.from_month <= month);
        let branch = branch_of(&units, m.unit_id);
        let line = MonthLine {
            member_id: m.id,
            name: m.name,
            branch: branch.map(|b| b.name.clone()).unwrap_or_default(),
            base_cents: rate.and_then(|a| a.base_cents),
            rate_permille: rate.and_then(|a| a.rate_permille),
            due_cents: due,
            paid_cents: payment.map(|p| p.amount_cents),
            method: payment.map(|p| p.method),
            paid_on: payment.map(|p| p.paid_on),
            proxy: payment.and_then(|p| p.proxy.clone()),
        };
        let key = (line.branch.clone(), branch.map(|b| b.id));
        let row = branches.entry(key).or_insert_with(|| BranchDues {
            branch_id: branch.map(|b| b.id),
            name: line.branch.clone(),
            ..BranchDues::default()
        });
        row.add(&line);
        total.add(&line);
        lines.push(line);
    }
    lines.sort_by_cached_key(|l| {
        let name = crate::collate::name_key(&l.name);
        (l.branch.clone(), name, l.name.clone(), l.member_id)
    });
    Ok(MonthDues {
        month,
        branches: branches.into_values().collect(),
        total,
        lines,
    })
}
