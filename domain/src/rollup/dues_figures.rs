//! 党费 for streets and districts, as counters that add up across communities, none of them
//! changing as time passes: `dues.start.2026-01`, the members who pay here whose first assessed
//! month that is (so the members due in a month are those started by then), and per month paid
//! for `dues.payers.2026-11` and `dues.paid.2026-11` (fen), of members who pay here. Recomputed
//! from the community's rows in the writing transaction; no names.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RollupScope;
use crate::db::Db;
use crate::entities::{dues_assessment, dues_payment, member};
use crate::error::DomainResult;
use crate::kinds::{PartyRelation, Status};
use crate::org::NodeSummary;
use crate::tenancy::TenantTx;

const START: &str = "dues.start.";
const PAYERS: &str = "dues.payers.";
const PAID: &str = "dues.paid.";

/// `2026-11` of a month's first day.
fn key(month: NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

/// The members who pay dues here (on the active roster, their Party relation here), of `among`
/// (all when none).
async fn paying_here(tx: &TenantTx, among: Option<Vec<Uuid>>) -> DomainResult<BTreeSet<Uuid>> {
    let mut select = tx
        .find::<member::Entity>()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()))
        .filter(member::Column::Relation.eq(PartyRelation::Here.as_str()));
    if let Some(ids) = among {
        select = select.filter(member::Column::Id.is_in(ids));
    }
    Ok(select
        .into_tuple::<Uuid>()
        .all(tx)
        .await?
        .into_iter()
        .collect())
}

/// `dues.start.*`: members who pay here, by their first assessed month.
async fn start_figures(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let here = paying_here(tx, None).await?;
    let mut first: BTreeMap<Uuid, NaiveDate> = BTreeMap::new();
    let rows: Vec<(Uuid, NaiveDate)> = tx
        .find::<dues_assessment::Entity>()
        .select_only()
        .column(dues_assessment::Column::MemberId)
        .column(dues_assessment::Column::FromMonth)
        .into_tuple()
        .all(tx)
        .await?;
    for (m, from) in rows {
        let at = first.entry(m).or_insert(from);
        *at = (*at).min(from);
    }
    let mut out = BTreeMap::new();
    for (m, from) in first {
        if here.contains(&m) {
            *out.entry(format!("{START}{}", key(from))).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// `dues.payers.*` and `dues.paid.*` of some months (every month paid for when none).
async fn payment_figures(
    tx: &TenantTx,
    months: Option<&BTreeSet<String>>,
) -> DomainResult<BTreeMap<String, i64>> {
    let mut select = tx
        .find::<dues_payment::Entity>()
        .select_only()
        .column(dues_payment::Column::MemberId)
        .column(dues_payment::Column::Month)
        .column(dues_payment::Column::AmountCents);
    if let Some(months) = months {
        let firsts: Vec<NaiveDate> = months
            .iter()
            .filter_map(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
            .collect();
        select = select.filter(dues_payment::Column::Month.is_in(firsts));
    }
    let payments: Vec<(Uuid, NaiveDate, i64)> = select.into_tuple().all(tx).await?;
    let payers: BTreeSet<Uuid> = payments.iter().map(|p| p.0).collect();
    let here = paying_here(tx, months.map(|_| payers.into_iter().collect())).await?;
    let mut out = BTreeMap::new();
    for (m, month, cents) in payments {
        if here.contains(&m) {
            let month = key(month);
            *out.entry(format!("{PAYERS}{month}")).or_insert(0) += 1;
            *out.entry(format!("{PAID}{month}")).or_insert(0) += cents;
        }
    }
    Ok(out)
}

/// Every dues counter of the community, from its rows (for `reconcile`).
pub(crate) async fn figures(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let mut out = payment_figures(tx, None).await?;
    out.extend(start_figures(tx).await?);
    out.retain(|_, n| *n != 0);
    Ok(out)
}

/// What a transaction asks of the dues counters.
#[derive(Default)]
pub(super) struct DuesDue {
    /// Months paid for or undone.
    pub months: BTreeSet<String>,
    /// Assessed: the start counters.
    pub starts: bool,
    /// Who pays here changed: the start counters and every month.
    pub payers: bool,
}

/// Recomputes what `due` asks (the caller holds the community's rollup lock).
pub(super) async fn refresh(tx: &TenantTx, due: &DuesDue) -> DomainResult<()> {
    let node = tx.tenant_id();
    if due.starts || due.payers {
        let fresh = start_figures(tx).await?;
        let mut names = super::stored_names(tx, START).await?;
        names.extend(fresh.keys().cloned());
        super::store(tx, node, &names, &fresh).await?;
    }
    if due.payers {
        let fresh = payment_figures(tx, None).await?;
        let mut names = super::stored_names(tx, PAYERS).await?;
        names.extend(super::stored_names(tx, PAID).await?);
        names.extend(fresh.keys().cloned());
        super::store(tx, node, &names, &fresh).await?;
    } else if !due.months.is_empty() {
        let fresh = payment_figures(tx, Some(&due.months)).await?;
        let names: Vec<String> = due
            .months
            .iter()
            .flat_map(|m| [format!("{PAYERS}{m}"), format!("{PAID}{m}")])
            .collect();
        super::store(tx, node, &names, &fresh).await?;
    }
    Ok(())
}

/// Dues over a subtree for one month: members due, how many of them paid, how much.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesFigures {
    pub members: i64,
    pub payers: i64,
    pub paid_cents: i64,
}

impl DuesFigures {
    /// The share of members due who paid for the month, in percent (none without any).
    pub fn paid_share(&self) -> Option<f64> {
        (self.members > 0).then(|| self.payers as f64 * 100.0 / self.members as f64)
    }

    fn of_sums(sums: &HashMap<String, i64>, month: &str) -> DuesFigures {
        let get = |name: String| sums.get(&name).copied().unwrap_or(0);
        DuesFigures {
            members: sums
                .iter()
                .filter(|(name, _)| name.starts_with(START))
                .map(|(_, n)| n)
                .sum(),
            payers: get(format!("{PAYERS}{month}")),
            paid_cents: get(format!("{PAID}{month}")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildDues {
    pub node: NodeSummary,
    pub figures: DuesFigures,
}

/// 党费 of `month` over the scope's subtree, and each direct child's. Counts only.
pub async fn dues(
    db: &Db,
    scope: &RollupScope,
    month: NaiveDate,
) -> DomainResult<(DuesFigures, Vec<ChildDues>)> {
    let month = key(month);
    // The start counters up to the month (their names sort as their months), and the month's.
    let filter = "(t.metric > 'dues.start.' AND t.metric <= $2) OR t.metric IN ($3, $4)";
    let params = vec![
        format!("{START}{month}").into(),
        format!("{PAYERS}{month}").into(),
        format!("{PAID}{month}").into(),
    ];
    let (own, children) = super::read_totals(db, scope, filter, params).await?;
    let out = children
        .into_iter()
        .map(|(node, sums)| ChildDues {
            node,
            figures: DuesFigures::of_sums(&sums, &month),
        })
        .collect();
    Ok((DuesFigures::of_sums(&own, &month), out))
}
