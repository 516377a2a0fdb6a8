//! Planning a meeting: when and where, who convenes it, and who is invited — a street invites
//! its units and communities, a community its paired units and its grid branches; anyone may be
//! invited by name.
use chrono::{NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{convened_meeting, convening_level, ensure_open, InviteeKind};
use crate::coop::convening::invite_choices;
use crate::coop::messages;
use crate::coop::CoopTx;
use crate::entities::{coop_meeting, coop_meeting_invitee, coop_resolution, coop_unit};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Row;
use crate::validate::{plain_date, required_text};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    pub title: String,
    pub convener: String,
    pub held_on: String,
    /// `HH:MM`.
    pub starts_at: String,
    pub venue: String,
}

/// Plans a meeting at the viewer's level (street or community staff), or changes one they
/// convene until its minutes are recorded.
pub async fn save_meeting(
    tx: &CoopTx,
    id: Option<Uuid>,
    input: &MeetingInput,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    let level = convening_level(tx)?;
    let title = required_text("meeting_title", &input.title, 100)?;
    let convener = required_text("convener", &input.convener, 64)?;
    let held_on = plain_date("held_on", &input.held_on)?;
    let starts_at = NaiveTime::parse_from_str(input.starts_at.trim(), "%H:%M")
        .map_err(|_| DomainError::invalid("starts_at", "bad_value"))?
        .format("%H:%M")
        .to_string();
    let venue = required_text("venue", &input.venue, 100)?;
    if let Some(id) = id {
        let found = convened_meeting(tx, id).await?;
        ensure_open(&found)?;
        if held_on != found.held_on && under_way(tx, id).await? {
            return Err(DomainError::invalid("held_on", "meeting_under_way"));
        }
        let moved = held_on != found.held_on || starts_at != found.starts_at;
        let mut active: coop_meeting::ActiveModel = found.into();
        active.title = Set(title);
        active.convener = Set(convener);
        active.held_on = Set(held_on);
        active.starts_at = Set(starts_at);
        active.venue = Set(venue);
        let saved = active.update_in(tx.tx()).await?;
        if moved {
            messages::meeting_planned(tx.tx(), &saved, Utc::now()).await?;
        }
        return Ok(id);
    }
    let id = Uuid::now_v7();
    let planned = coop_meeting::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(id),
        community_id: Set(level),
        title: Set(title),
        convener: Set(convener),
        held_on: Set(held_on),
        starts_at: Set(starts_at),
        venue: Set(venue),
        minutes: Set(None),
        minutes_on: Set(None),
        created_on: Set(today),
    }
    .insert_in(tx.tx())
    .await?;
    messages::meeting_planned(tx.tx(), &planned, Utc::now()).await?;
    Ok(id)
}

/// Someone signed in or a resolution was recorded: the meeting took place on its day.
async fn under_way(tx: &CoopTx, id: Uuid) -> DomainResult<bool> {
    let signed_in = tx
        .tx()
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.eq(id))
        .filter(coop_meeting_invitee::Column::SignedInAt.is_not_null())
        .count(tx.tx())
        .await?;
    let decided = tx
        .tx()
        .find::<coop_resolution::Entity>()
        .filter(coop_resolution::Column::MeetingId.eq(id))
        .count(tx.tx())
        .await?;
    Ok(signed_in + decided > 0)
}

/// Invites a unit, community or branch (by id) or a person (by name) to a meeting the viewer
/// convenes. A community meeting invites only units paired with the community. Inviting again
/// changes nothing.
pub async fn invite(tx: &CoopTx, meeting_id: Uuid, kind: &str, who: &str) -> DomainResult<()> {
    let meeting = convened_meeting(tx, meeting_id).await?;
    ensure_open(&meeting)?;
    let kind =
        InviteeKind::parse(kind).ok_or_else(|| DomainError::invalid("invitee", "required"))?;
    let pick = |field: &str| {
        Uuid::parse_str(who.trim()).map_err(|_| DomainError::invalid(field, "required"))
    };
    let choices = invite_choices(tx).await?;
    let chosen = |list: &[(Uuid, String)], id: Uuid, field: &str, reason: &str| {
        list.iter()
            .find(|(c, _)| *c == id)
            .map(|(_, name)| name.clone())
            .ok_or_else(|| DomainError::invalid(field, reason))
    };
    let (mut unit, mut community, mut branch) = (None, None, None);
    let name = match kind {
        InviteeKind::Unit => {
            let id = pick("unit")?;
            let name = match chosen(&choices.units, id, "unit", "not_paired_here") {
                Err(refused) if is_street_unit(tx, id).await? => return Err(refused),
                Err(_) => return Err(DomainError::NotFound),
                Ok(name) => name,
            };
            unit = Some(id);
            name
        }
        InviteeKind::Community => {
            let id = pick("community")?;
            community = Some(id);
            chosen(&choices.communities, id, "community", "other_street")?
        }
        InviteeKind::Branch => {
            let id = pick("branch")?;
            branch = Some(id);
            chosen(&choices.branches, id, "branch", "not_found")?
        }
        InviteeKind::Person => required_text("person", who, 64)?,
    };
    let already = tx
        .tx()
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.eq(meeting_id))
        .filter(coop_meeting_invitee::Column::Kind.eq(kind.as_str()))
        .all(tx.tx())
        .await?
        .into_iter()
        .any(|i| {
            (unit.is_some() && i.unit_id == unit)
                || (community.is_some() && i.community_id == community)
                || (branch.is_some() && i.branch_id == branch)
                || (kind == InviteeKind::Person && i.name == name)
        });
    if already {
        return Ok(());
    }
    let invited = coop_meeting_invitee::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting_id),
        kind: Set(kind),
        unit_id: Set(unit),
        community_id: Set(community),
        branch_id: Set(branch),
        name: Set(name),
        attendee: Set(None),
        signed_in_at: Set(None),
    }
    .insert_in(tx.tx())
    .await?;
    messages::invited(tx.tx(), &invited, Utc::now()).await
}

/// A unit registered at the street (for telling "not paired" from "no such unit").
async fn is_street_unit(tx: &CoopTx, id: Uuid) -> DomainResult<bool> {
    Ok(tx
        .tx()
        .find::<coop_unit::Entity>()
        .filter(coop_unit::Column::Id.eq(id))
        .one(tx.tx())
        .await?
        .is_some())
}

/// Takes an invitation back (not once they signed in).
pub async fn uninvite(tx: &CoopTx, meeting_id: Uuid, invitee_id: Uuid) -> DomainResult<()> {
    let meeting = convened_meeting(tx, meeting_id).await?;
    ensure_open(&meeting)?;
    let row = tx
        .tx()
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.eq(meeting_id))
        .filter(coop_meeting_invitee::Column::Id.eq(invitee_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.signed_in_at.is_some() {
        return Err(DomainError::invalid("invitee", "signed_in"));
    }
    messages::uninvited(tx.tx(), &row).await?;
    tx.tx()
        .delete::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::Id.eq(invitee_id))
        .exec(tx.tx())
        .await?;
    Ok(())
}
