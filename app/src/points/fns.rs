//! Form endpoints for points: adjust, reverse, set a rule (the secretary or a worker).
use leptos::prelude::*;

use crate::error::AppError;

/// Runs `act` on the community `node` and returns to its points page at `back`.
#[cfg(feature = "ssr")]
async fn on_points(
    node: &str,
    back: &str,
    act: impl AsyncFnOnce(
        &domain::tenancy::TenantTx,
        chrono::DateTime<chrono::Utc>,
    ) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let page = format!("/points{back}");
    let done = match page.split_once('#') {
        _ if page.contains('?') => page.replacen('?', "?saved=1&", 1),
        Some((path, anchor)) => format!("{path}?saved=1#{anchor}"),
        None => format!("{page}?saved=1"),
    };
    crate::activities::on_community(
        node,
        super::POINTS_FORM,
        &page,
        Default::default(),
        async |tx, now| act(tx, now).await.map(|_| done),
    )
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
    let member_id = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    on_points(&node, &format!("?member={member_id}"), async |tx, now| {
        domain::points::adjust(tx, member_id, &points, &reason, now)
            .await
            .map(|_| ())
    })
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
    let member_id = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let entry = domain::validate::parse_id(&entry).map_err(crate::error::fail)?;
    on_points(&node, &format!("?member={member_id}"), async |tx, now| {
        domain::points::reverse(tx, entry, &reason, now).await
    })
    .await
}

/// Sets the community's number for a points rule.
#[server(endpoint = "points/rule")]
pub async fn set_rule(node: String, rule: String, points: String) -> Result<(), AppError> {
    on_points(&node, "#rules", async |tx, _| {
        domain::points::set_rule(tx, &rule, &points).await
    })
    .await
}

/// Freezes a finished year's totals for its ranking.
#[server(endpoint = "points/freeze")]
pub async fn freeze_year(node: String, year: String) -> Result<(), AppError> {
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| crate::error::fail(domain::DomainError::invalid("year", "bad_value")))?;
    on_points(&node, &format!("?year={year}"), async |tx, now| {
        domain::points::freeze_year(tx, year, now).await.map(|_| ())
    })
    .await
}
