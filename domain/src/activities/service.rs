//! What each member gave in a year: activities attended and volunteer time (from verified
//! attendance), for the 双报到 feedback sheet.
use std::collections::HashMap;

use chrono::{Local, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, QueryFilter};
use uuid::Uuid;

use super::checkin::Attendance;
use crate::entities::{activity, activity_signup};
use crate::error::DomainResult;
use crate::tenancy::TenantTx;

/// Per member: (activities attended, volunteer minutes) for activities starting in `year`
/// (local time).
pub(crate) async fn service_in_year(
    tx: &TenantTx,
    year: i32,
) -> DomainResult<HashMap<Uuid, (u32, u32)>> {
    let start_of = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| Local.from_local_datetime(&t).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    let (Some(from), Some(to)) = (start_of(year), start_of(year + 1)) else {
        return Ok(HashMap::new());
    };
    let held = tx
        .find::<activity::Entity>()
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(to))
        .all(tx.conn())
        .await?;
    let attended = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.is_in(held.iter().map(|a| a.id)))
        .filter(activity_signup::Column::Attendance.eq(Attendance::Attended.as_str()))
        .all(tx.conn())
        .await?;
    let mut out: HashMap<Uuid, (u32, u32)> = HashMap::new();
    for s in attended {
        let minutes = held
            .iter()
            .find(|a| a.id == s.activity_id)
            .map(|a| u32::try_from(a.volunteer_minutes).unwrap_or(0))
            .unwrap_or(0);
        let entry = out.entry(s.member_id).or_default();
        entry.0 += 1;
        entry.1 += minutes;
    }
    Ok(out)
}
