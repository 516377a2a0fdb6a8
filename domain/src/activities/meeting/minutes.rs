//! The minutes of a meeting, written by its organiser (any time, until it is cancelled).
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::{ensure_organiser, lock};
use super::roll::is_meeting;
use crate::entities::meeting_minutes;
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{Row, TenantTx};
use crate::validate::required_text;

/// The minutes are at most this many characters (a long meeting's record fits).
pub const MINUTES_MAX: usize = 10_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MinutesInput {
    /// 主持人 and 记录人, by name.
    pub host: String,
    pub recorder: String,
    /// 会议议题.
    pub topic: String,
    /// 会议内容: what was said and decided.
    pub minutes: String,
}

pub async fn save_minutes(
    tx: &TenantTx,
    activity_id: Uuid,
    input: &MinutesInput,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let host = required_text("meeting_host", &input.host, 20)?;
    let recorder = required_text("meeting_recorder", &input.recorder, 20)?;
    let topic = required_text("meeting_topic", &input.topic, 200)?;
    let minutes = required_text("meeting_minutes", &input.minutes, MINUTES_MAX)?;
    let a = lock(tx, activity_id).await?;
    if !is_meeting(&a) {
        return Err(DomainError::NotFound);
    }
    if a.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    let existing = tx
        .find::<meeting_minutes::Entity>()
        .filter(meeting_minutes::Column::ActivityId.eq(a.id))
        .one(tx)
        .await?;
    match existing {
        Some(row) => {
            let mut active: meeting_minutes::ActiveModel = row.into();
            active.host = Set(host);
            active.recorder = Set(recorder);
            active.topic = Set(topic);
            active.minutes = Set(minutes);
            active.saved_at = Set(now);
            active.saved_by = Set(tx.actor_user_id());
            active.update_in(tx).await?;
        }
        None => {
            meeting_minutes::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                id: Set(Uuid::now_v7()),
                activity_id: Set(a.id),
                host: Set(host),
                recorder: Set(recorder),
                topic: Set(topic),
                minutes: Set(minutes),
                saved_at: Set(now),
                saved_by: Set(tx.actor_user_id()),
            }
            .insert_in(tx)
            .await?;
        }
    }
    Ok(())
}
