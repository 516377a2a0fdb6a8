//! The activity figures of a community, by the month an activity starts (local time):
//! activities by kind (not cancelled), attendance marked and attended, and volunteer minutes
//! served. Whenever an activity or an attendance mark changes, the months it touches are
//! recomputed from the community's rows in the same transaction, under the community's
//! rollup lock, so concurrent changes cannot overwrite each other's figures.
use std::collections::BTreeMap;

use crate::activities::{ActivityKind, Attendance};
use crate::db::statement;
use crate::entities::{activity, activity_signup};
use crate::error::DomainResult;
use crate::tenancy::{Runner, Sql, TenantTx};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::ColumnTrait;

/// Every metric name of one month's activity figures.
pub(crate) fn month_metrics(month: &str) -> Vec<String> {
    let mut names: Vec<String> = ActivityKind::ALL
        .iter()
        .map(|k| format!("act.{}.{month}", k.as_str()))
        .collect();
    names.push(format!("att.marked.{month}"));
    names.push(format!("att.attended.{month}"));
    names.push(format!("vol.minutes.{month}"));
    names
}

/// Serialises the rollup refreshes of one community: a no-op write on its lock row, held to
/// the end of the transaction (SQLite's write transaction already holds the database).
pub(crate) async fn lock_community(tx: &TenantTx) -> DomainResult<()> {
    let backend = tx.backend();
    tx.execute_sql(statement(
        backend,
        "INSERT INTO rollup_counts (node_id, metric, value) VALUES ($1, 'lock', 0) \
             ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_counts.value",
        vec![tx.tenant_id().into()],
    ))
    .await?;
    Ok(())
}

/// One month's figures, recomputed from the community's rows.
pub(crate) async fn month_figures(
    tx: &TenantTx,
    month: &str,
) -> DomainResult<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    let Some((from, to)) = month_bounds(month) else {
        return Ok(out);
    };
    let held = tx
        .find::<activity::Entity>()
        .filter(activity::Column::CancelledAt.is_null())
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(to))
        .all(tx)
        .await?;
    for a in &held {
        *out.entry(format!("act.{}.{month}", a.kind.as_str()))
            .or_insert(0) += 1;
    }
    let marked = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.is_in(held.iter().map(|a| a.id)))
        .filter(activity_signup::Column::Attendance.is_not_null())
        .all(tx)
        .await?;
    for s in &marked {
        *out.entry(format!("att.marked.{month}")).or_insert(0) += 1;
        if s.attendance == Some(Attendance::Attended) {
            *out.entry(format!("att.attended.{month}")).or_insert(0) += 1;
            let minutes = held
                .iter()
                .find(|a| a.id == s.activity_id)
                .map_or(0, |a| i64::from(a.volunteer_minutes));
            *out.entry(format!("vol.minutes.{month}")).or_insert(0) += minutes;
        }
    }
    out.retain(|_, v| *v != 0);
    Ok(out)
}

pub(super) async fn refresh_month(tx: &TenantTx, month: &str) -> DomainResult<()> {
    let figures = month_figures(tx, month).await?;
    super::store(tx, tx.tenant_id(), &month_metrics(month), &figures).await
}

/// The first moment of a `YYYY-MM` month and of the next, local time, as UTC.
fn month_bounds(month: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    let at = |d: NaiveDate| {
        crate::clock::CHINA
            .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    Some((at(first)?, at(next)?))
}
