//! The points rules: defaults every community starts with, and the community's own numbers.
use sea_orm::{ColumnTrait, Set};

use crate::entities::points_rule;
use crate::error::{DomainError, DomainResult};
use crate::members::ensure_keeper;
use crate::tenancy::{Row, TenantTx};

pub use crate::kinds::Rule;

impl Rule {
    pub fn default_points(self) -> i32 {
        match self {
            Rule::Attend => 2,
            Rule::VolunteerHour => 2,
            Rule::Wish => 3,
            Rule::Absence => 2,
        }
    }
}

/// Every rule with the community's number (or the default).
pub async fn rules(tx: &TenantTx) -> DomainResult<Vec<(Rule, i32)>> {
    let own = tx.find::<points_rule::Entity>().all(tx).await?;
    Ok(Rule::ALL
        .iter()
        .map(|r| {
            let points = own
                .iter()
                .find(|o| o.rule == *r)
                .map(|o| o.points)
                .unwrap_or(r.default_points());
            (*r, points)
        })
        .collect())
}

pub async fn rule_points(tx: &TenantTx, rule: Rule) -> DomainResult<i32> {
    Ok(rules(tx)
        .await?
        .into_iter()
        .find(|(r, _)| *r == rule)
        .map(|(_, p)| p)
        .unwrap_or(rule.default_points()))
}

/// Sets the community's number for a rule (0 to 100; the absence rule is deducted).
pub async fn set_rule(tx: &TenantTx, rule: &str, points: &str) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let rule = Rule::parse(rule).ok_or_else(|| DomainError::invalid("rule", "not_in_list"))?;
    let points: i32 = points
        .trim()
        .parse()
        .map_err(|_| DomainError::invalid("points", "bad_value"))?;
    if points < 0 {
        return Err(DomainError::invalid("points", "negative"));
    }
    if points > 100 {
        return Err(DomainError::invalid("points", "too_large"));
    }
    let existing = tx
        .find::<points_rule::Entity>()
        .filter(points_rule::Column::Rule.eq(rule.as_str()))
        .one(tx)
        .await?;
    match existing {
        Some(row) => {
            let mut active: points_rule::ActiveModel = row.into();
            active.points = Set(points);
            active.update_in(tx).await?;
        }
        None => {
            points_rule::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                rule: Set(rule),
                points: Set(points),
            }
            .insert_in(tx)
            .await?;
        }
    }
    Ok(())
}
