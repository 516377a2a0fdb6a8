//! 会议纪要: once the meeting's day has come the convener writes what was discussed and decided;
//! the record then holds (the plan, agenda and attendance no longer change), but the minutes
//! text may still be corrected.
use chrono::NaiveDate;
use sea_orm::Set;
use uuid::Uuid;

use super::convened_meeting;
use crate::coop::CoopTx;
use crate::entities::coop_meeting;
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Row;
use crate::validate::required_text;

pub async fn record_minutes(
    tx: &CoopTx,
    meeting_id: Uuid,
    text: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    let meeting = convened_meeting(tx, meeting_id).await?;
    if today < meeting.held_on {
        return Err(DomainError::invalid("minutes", "before_meeting"));
    }
    let text = required_text("minutes", text, 5000)?;
    let published = meeting.minutes_on.is_none();
    let first = meeting.minutes_on.unwrap_or(today);
    let mut active: coop_meeting::ActiveModel = meeting.into();
    active.minutes = Set(Some(text));
    active.minutes_on = Set(Some(first));
    let saved = active.update_in(tx.tx()).await?;
    // Told once: a later correction is not news.
    if published {
        crate::coop::messages::minutes_published(tx.tx(), saved.id, chrono::Utc::now()).await?;
    }
    Ok(())
}
