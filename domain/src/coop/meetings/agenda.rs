//! 议题征集: before the meeting its invitees propose agenda items, each maybe about a need,
//! resource or project they see (a street's agenda can take the needs escalated to it); the
//! convener adds items too and drops the ones not taken up, until the minutes are written.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    convened_meeting, convenes, ensure_open, own_invitation, proposals_open, viewer_org_name,
};
use crate::coop::{needs, projects, resources, CoopTx};
use crate::entities::{coop_agenda_item, coop_meeting_invitee};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Row;
use crate::validate::{optional_text, required_text};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaInput {
    pub title: String,
    pub detail: String,
    /// Ids of a need, resource and project the item is about, each optional.
    pub need: String,
    pub resource: String,
    pub project: String,
}

fn optional_id(field: &str, value: &str) -> DomainResult<Option<Uuid>> {
    match value.trim() {
        "" => Ok(None),
        id => Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| DomainError::invalid(field, "not_found")),
    }
}

/// Proposes an item: the convener until the minutes, an invitee until the meeting's day.
pub async fn propose_item(
    tx: &CoopTx,
    meeting_id: Uuid,
    input: &AgendaInput,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    let meeting = super::visible_meeting(tx, meeting_id).await?;
    ensure_open(&meeting)?;
    let invited = tx
        .tx()
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.eq(meeting_id))
        .all(tx.tx())
        .await?
        .iter()
        .any(|i| own_invitation(tx, i));
    proposals_open(convenes(tx, &meeting), invited, meeting.held_on, today)?;
    let title = required_text("agenda_title", &input.title, 100)?;
    let detail = optional_text("detail", &input.detail, 500)?;
    let need = optional_id("need", &input.need)?;
    let resource = optional_id("resource", &input.resource)?;
    let project = optional_id("project", &input.project)?;
    // Only what the proposer sees may be linked.
    if let Some(id) = need {
        if !needs(tx).await?.iter().any(|n| n.id == id) {
            return Err(DomainError::invalid("need", "not_found"));
        }
    }
    if let Some(id) = resource {
        if !resources(tx).await?.iter().any(|r| r.id == id) {
            return Err(DomainError::invalid("resource", "not_found"));
        }
    }
    if let Some(id) = project {
        if !projects(tx, today).await?.iter().any(|p| p.id == id) {
            return Err(DomainError::invalid("project", "not_found"));
        }
    }
    let id = Uuid::now_v7();
    coop_agenda_item::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(id),
        meeting_id: Set(meeting_id),
        title: Set(title),
        detail: Set(detail),
        proposed_by: Set(viewer_org_name(tx).await?),
        need_id: Set(need),
        resource_id: Set(resource),
        project_id: Set(project),
        created_on: Set(today),
    }
    .insert_in(tx.tx())
    .await?;
    Ok(id)
}

/// The convener drops an item, until the minutes are written.
pub async fn remove_item(tx: &CoopTx, meeting_id: Uuid, item_id: Uuid) -> DomainResult<()> {
    let meeting = convened_meeting(tx, meeting_id).await?;
    ensure_open(&meeting)?;
    let removed = tx
        .tx()
        .delete::<coop_agenda_item::Entity>()
        .filter(coop_agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(coop_agenda_item::Column::Id.eq(item_id))
        .exec(tx.tx())
        .await?;
    if removed.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}
