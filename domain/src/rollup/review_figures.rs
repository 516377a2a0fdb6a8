//! 民主评议 for streets and districts: per year, the branches that decided their review
//! (`review.2026.branches`) and the members graded in those reviews by grade
//! (`review.2026.excellent`, …). A draft counts for nothing until the branch decides. Recomputed
//! from the community's rows in the writing transaction; no names.
use std::collections::{BTreeMap, HashMap};

use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RollupScope;
use crate::db::Db;
use crate::entities::{branch_review, member_review};
use crate::error::DomainResult;
use crate::kinds::ReviewGrade;
use crate::org::NodeSummary;
use crate::tenancy::TenantTx;

const PREFIX: &str = "review.";

fn name(year: i32, what: &str) -> String {
    format!("{PREFIX}{year}.{what}")
}

/// Every review counter of the community, from its rows.
pub(crate) async fn figures(tx: &TenantTx) -> DomainResult<BTreeMap<String, i64>> {
    let decided: HashMap<Uuid, i32> = tx
        .find::<branch_review::Entity>()
        .filter(branch_review::Column::DecidedOn.is_not_null())
        .all(tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.year))
        .collect();
    let mut out = BTreeMap::new();
    for year in decided.values() {
        *out.entry(name(*year, "branches")).or_insert(0) += 1;
    }
    let grades = tx
        .find::<member_review::Entity>()
        .filter(member_review::Column::ReviewId.is_in(decided.keys().copied()))
        .all(tx)
        .await?;
    for g in grades {
        *out.entry(name(g.year, g.grade.as_str())).or_insert(0) += 1;
    }
    Ok(out)
}

/// Recomputes the community's review counters (the caller holds its rollup lock).
pub(super) async fn refresh(tx: &TenantTx) -> DomainResult<()> {
    let fresh = figures(tx).await?;
    let mut names = super::stored_names(tx, PREFIX).await?;
    names.extend(fresh.keys().cloned());
    names.sort();
    names.dedup();
    super::store(tx, tx.tenant_id(), &names, &fresh).await
}

/// 民主评议 of a year over a subtree: grid branches, those that decided, members by grade.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFigures {
    pub branches: i64,
    pub decided: i64,
    /// In `ReviewGrade::ALL` order.
    pub grades: [i64; 4],
}

impl ReviewFigures {
    pub fn graded(&self) -> i64 {
        self.grades.iter().sum()
    }

    /// The share of members graded who were graded 优秀, in percent (none without any).
    pub fn excellent_share(&self) -> Option<f64> {
        let graded = self.graded();
        (graded > 0).then(|| self.grades[0] as f64 * 100.0 / graded as f64)
    }

    fn of_sums(sums: &HashMap<String, i64>, year: i32) -> ReviewFigures {
        let get = |n: String| sums.get(&n).copied().unwrap_or(0);
        let mut grades = [0; 4];
        for (slot, grade) in grades.iter_mut().zip(ReviewGrade::ALL) {
            *slot = get(name(year, grade.as_str()));
        }
        ReviewFigures {
            branches: get("grid_branches".into()),
            decided: get(name(year, "branches")),
            grades,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildReviews {
    pub node: NodeSummary,
    pub figures: ReviewFigures,
}

/// 民主评议 of `year` over the scope's subtree, and each direct child's. Counts only.
pub async fn reviews(
    db: &Db,
    scope: &RollupScope,
    year: i32,
) -> DomainResult<(ReviewFigures, Vec<ChildReviews>)> {
    let mut names = vec!["grid_branches".to_owned(), name(year, "branches")];
    names.extend(ReviewGrade::ALL.iter().map(|g| name(year, g.as_str())));
    let (own, children) = super::sums(db, scope, &names).await?;
    let out = children
        .into_iter()
        .map(|(node, sums)| ChildReviews {
            node,
            figures: ReviewFigures::of_sums(&sums, year),
        })
        .collect();
    Ok((ReviewFigures::of_sums(&own, year), out))
}
