//! What each member gave in a year: activities attended and volunteer time (from verified
//! attendance), for the 双报到 feedback sheet and the volunteer teams.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::checkin::Attendance;
use crate::entities::{activity, activity_signup};
use crate::error::DomainResult;
use crate::tenancy::TenantTx;

/// One verified attendance: who, at which activity (and its team), for how many volunteer
/// minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Served {
    pub member_id: Uuid,
    pub activity_id: Uuid,
    pub team_id: Option<Uuid>,
    pub minutes: u32,
}

/// The start of a local calendar year, as UTC.
pub(crate) fn start_of_year(year: i32) -> Option<DateTime<Utc>> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(crate::clock::from_china)
        .map(|t| t.with_timezone(&Utc))
}

/// Every verified attendance at activities starting in `year` (local time).
pub(crate) async fn attended_in_year(tx: &TenantTx, year: i32) -> DomainResult<Vec<Served>> {
    let (Some(from), Some(to)) = (start_of_year(year), start_of_year(year + 1)) else {
        return Ok(Vec::new());
    };
    let held: HashMap<Uuid, activity::Model> = tx
        .find::<activity::Entity>()
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(to))
        .all(tx)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let attended = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.is_in(held.keys().copied()))
        .filter(activity_signup::Column::Attendance.eq(Attendance::Attended.as_str()))
        .all(tx)
        .await?;
    Ok(attended
        .into_iter()
        .filter_map(|s| {
            let a = held.get(&s.activity_id)?;
            Some(Served {
                member_id: s.member_id,
                activity_id: a.id,
                team_id: a.team_id,
                minutes: u32::try_from(a.volunteer_minutes).unwrap_or(0),
            })
        })
        .collect())
}

/// Per member: (activities attended, volunteer minutes) for activities starting in `year`.
pub(crate) async fn service_in_year(
    tx: &TenantTx,
    year: i32,
) -> DomainResult<HashMap<Uuid, (u32, u32)>> {
    let mut out: HashMap<Uuid, (u32, u32)> = HashMap::new();
    for s in attended_in_year(tx, year).await? {
        let entry = out.entry(s.member_id).or_default();
        entry.0 += 1;
        entry.1 += s.minutes;
    }
    Ok(out)
}
