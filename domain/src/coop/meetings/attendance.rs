//! 签到: on the meeting's day an invited unit or community signs itself in on screen; the
//! convener signs anyone in (from the paper sheet, or at the door) and can take a mark back.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use super::{
    actor_name, convenes, ensure_open, own_invitation, sign_in_open, visible_meeting, InviteeKind,
};
use crate::coop::CoopTx;
use crate::entities::coop_meeting_invitee;
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Row;
use crate::validate::optional_text;

async fn invitation(
    tx: &CoopTx,
    meeting_id: Uuid,
    invitee_id: Uuid,
) -> DomainResult<coop_meeting_invitee::Model> {
    tx.tx()
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.eq(meeting_id))
        .filter(coop_meeting_invitee::Column::Id.eq(invitee_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)
}

/// Signs an invitee in as present, with who came (an invitee signing itself in defaults to
/// the signed-in user; a person invited by name to that name). From the meeting's day on for
/// the convener, on the day itself for the invitee.
pub async fn sign_in(
    tx: &CoopTx,
    meeting_id: Uuid,
    invitee_id: Uuid,
    attendee: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> DomainResult<()> {
    let meeting = visible_meeting(tx, meeting_id).await?;
    ensure_open(&meeting)?;
    let row = invitation(tx, meeting_id, invitee_id).await?;
    let convener = convenes(tx, &meeting);
    sign_in_open(convener, own_invitation(tx, &row), meeting.held_on, today)?;
    let attendee = match optional_text("attendee", attendee, 64)? {
        Some(name) => name,
        None if row.kind == InviteeKind::Person => row.name.clone(),
        None if !convener => actor_name(tx).await?,
        None => return Err(DomainError::invalid("attendee", "required")),
    };
    let mut active: coop_meeting_invitee::ActiveModel = row.into();
    active.attendee = Set(Some(attendee));
    active.signed_in_at = Set(Some(now));
    active.update_in(tx.tx()).await?;
    Ok(())
}

/// The convener takes a sign-in back (marked by mistake).
pub async fn clear_sign_in(tx: &CoopTx, meeting_id: Uuid, invitee_id: Uuid) -> DomainResult<()> {
    let meeting = super::convened_meeting(tx, meeting_id).await?;
    ensure_open(&meeting)?;
    let mut active: coop_meeting_invitee::ActiveModel =
        invitation(tx, meeting_id, invitee_id).await?.into();
    active.attendee = Set(None);
    active.signed_in_at = Set(None);
    active.update_in(tx.tx()).await?;
    Ok(())
}
