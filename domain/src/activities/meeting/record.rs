//! A meeting's record as its organiser sees and prints it: the meeting, the minutes, and each
//! person on the roll with their mark and any leave asked for.
use chrono::{DateTime, Utc};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::list::{shown, Activity};
use super::super::{ensure_organiser, load, Attendance};
use super::roll::{expected, is_meeting};
use crate::entities::{activity_signup, meeting_minutes, member};
use crate::error::{DomainError, DomainResult};
use crate::kinds::LeaveState;
use crate::tenancy::TenantTx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    pub host: String,
    pub recorder: String,
    pub topic: String,
    pub minutes: String,
    pub saved_at: DateTime<Utc>,
}

/// One person on the roll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollEntry {
    pub member_id: Uuid,
    pub name: String,
    /// None until checked in or marked.
    pub attendance: Option<Attendance>,
    pub leave: Option<LeaveState>,
    pub leave_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub activity: Activity,
    pub minutes: Option<Minutes>,
    /// 应到, by name.
    pub roll: Vec<RollEntry>,
    pub photos: Vec<super::Photo>,
}

impl MeetingRecord {
    /// Those on the roll marked so.
    pub fn marked(&self, mark: Attendance) -> Vec<&RollEntry> {
        self.roll
            .iter()
            .filter(|r| r.attendance == Some(mark))
            .collect()
    }

    /// Leave asked for and not yet decided, as the 工作台 counts it: the person not marked, or
    /// marked 缺席 (marked present or 请假, what was asked is settled).
    pub fn leave_pending(&self) -> usize {
        self.roll
            .iter()
            .filter(|r| r.leave == Some(LeaveState::Asked))
            .filter(|r| matches!(r.attendance, None | Some(Attendance::NoShow)))
            .count()
    }
}

/// The record of a branch meeting (`NotFound` for an activity that is not one, or out of the
/// organiser's reach).
pub async fn meeting_record(tx: &TenantTx, activity_id: Uuid) -> DomainResult<MeetingRecord> {
    ensure_organiser(tx)?;
    let a = load(tx, activity_id).await?;
    if !is_meeting(&a) {
        return Err(DomainError::NotFound);
    }
    let roll = expected(tx, &a).await?;
    let rows = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::MemberId.is_in(roll.iter().copied()))
        .all(tx)
        .await?;
    let people = tx.find_ids::<member::Entity>(roll.iter().copied()).await?;
    let mut entries: Vec<RollEntry> = people
        .into_iter()
        .map(|m| {
            let row = rows.iter().find(|r| r.member_id == m.id);
            RollEntry {
                member_id: m.id,
                name: m.name,
                attendance: row.and_then(|r| r.attendance),
                leave: row.and_then(|r| r.leave_state),
                leave_reason: row.and_then(|r| r.leave_reason.clone()),
            }
        })
        .collect();
    entries.sort_by_cached_key(|e| {
        (
            crate::collate::name_key(&e.name),
            e.name.clone(),
            e.member_id,
        )
    });
    let minutes = tx
        .find::<meeting_minutes::Entity>()
        .filter(meeting_minutes::Column::ActivityId.eq(a.id))
        .one(tx)
        .await?
        .map(|m| Minutes {
            host: m.host,
            recorder: m.recorder,
            topic: m.topic,
            minutes: m.minutes,
            saved_at: m.saved_at,
        });
    let activity = shown(tx, vec![a], None)
        .await?
        .pop()
        .ok_or(DomainError::NotFound)?;
    Ok(MeetingRecord {
        activity,
        minutes,
        roll: entries,
        photos: super::photos::photos_of(tx, activity_id).await?,
    })
}
