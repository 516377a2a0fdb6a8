//! Form endpoints for points: adjust, reverse, set a rule (the secretary or a worker).
use domain::points;
use leptos::prelude::*;

use super::POINTS_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Activities;
use crate::routes::{self, Href};

/// Runs `act` on the community `node` and returns to its points page, `to` of it.
async fn on_points(
    node: &str,
    to: impl FnOnce(Href) -> Href,
    act: impl AsyncFnOnce(&domain::tenancy::TenantTx) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let form = Form::on(node, POINTS_FORM)?;
    let page = to(routes::points(form.node));
    form.back(page.clone())
        .submit::<Activities>(async |tx| {
            act(tx).await?;
            Ok(page.saved())
        })
        .await
}

/// A manual adjustment with its reason.
#[server(endpoint = "points/adjust")]
pub async fn adjust_points(
    node: String,
    member: String,
    points: String,
    reason: String,
) -> Result<(), AppError> {
    let member = id(&member)?;
    on_points(
        &node,
        |p| p.query("member", member),
        async |tx| {
            points::adjust(tx, member, &points, &reason, chrono::Utc::now())
                .await
                .map(|_| ())
        },
    )
    .await
}

/// Reverses an entry by a counter-entry.
#[server(endpoint = "points/reverse")]
pub async fn reverse_points(
    node: String,
    member: String,
    entry: String,
    reason: String,
) -> Result<(), AppError> {
    let (member, entry) = (id(&member)?, id(&entry)?);
    on_points(
        &node,
        |p| p.query("member", member),
        async |tx| points::reverse(tx, entry, &reason, chrono::Utc::now()).await,
    )
    .await
}

/// Sets the community's number for a points rule.
#[server(endpoint = "points/rule")]
pub async fn set_rule(node: String, rule: String, points: String) -> Result<(), AppError> {
    on_points(
        &node,
        |p| p.at("rules"),
        async |tx| points::set_rule(tx, &rule, &points).await,
    )
    .await
}

/// Freezes a finished year's totals for its ranking.
#[server(endpoint = "points/freeze")]
pub async fn freeze_year(node: String, year: String) -> Result<(), AppError> {
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| domain::DomainError::invalid("year", "bad_value"))?;
    on_points(
        &node,
        |p| p.query("year", year),
        async |tx| {
            points::freeze_year(tx, year, chrono::Utc::now())
                .await
                .map(|_| ())
        },
    )
    .await
}
