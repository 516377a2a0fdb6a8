//! 议定事项: what a meeting decided, who answers for it (a community, a unit or a person), by
//! when, the dated progress the owner reports and the evidence the convener closes it on (销号).
//! A street's resolution assigned to a community lands in that community's task list, one
//! assigned to a unit on its liaison's page (督办交办, audited).
mod followup;
mod progress;

pub use followup::{followup, Completion, Followup, RateRow};
pub use progress::{close_resolution, report_progress};

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::convening::{convened_meeting, convenes};
use super::{partners, CoopTx, Viewer};
use crate::audit::{self, AuditEvent};
use crate::entities::{coop_meeting, coop_resolution, coop_resolution_note, org_node};
use crate::error::{DomainError, DomainResult};
use crate::kinds::NodeKind;
use crate::kinds::Role;
use crate::tenancy::{shared, Row};
use crate::validate::{plain_date, required_text};

pub use crate::kinds::{OwnerKind, ResolutionStatus};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResolutionInput {
    pub content: String,
    pub owner_kind: String,
    /// A community's or unit's id, or a person's name.
    pub owner: String,
    pub due_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressNote {
    pub noted_on: NaiveDate,
    pub note: String,
    pub author: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub held_on: NaiveDate,
    pub content: String,
    pub owner_kind: OwnerKind,
    pub owner_id: Option<Uuid>,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: ResolutionStatus,
    pub evidence: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub notes: Vec<ProgressNote>,
    /// The viewer may report progress (the owner community or unit, or the convener).
    pub may_report: bool,
    /// The viewer convenes the meeting and so closes it.
    pub may_close: bool,
}

/// Records a resolution of a meeting the viewer convenes, from the meeting's day on. The owner
/// is required; the due date may not be before the meeting. Assigning it to a community or a
/// unit is audited: it crosses into their task list.
pub async fn add_resolution(
    tx: &CoopTx,
    meeting_id: Uuid,
    input: &ResolutionInput,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    let meeting = convened_meeting(tx, meeting_id).await?;
    if today < meeting.held_on {
        return Err(DomainError::invalid("resolution", "before_meeting"));
    }
    let content = required_text("resolution_content", &input.content, 500)?;
    let kind = OwnerKind::parse(&input.owner_kind)
        .ok_or_else(|| DomainError::invalid("owner", "required"))?;
    let due_on = plain_date("due_on", &input.due_on)?;
    if due_on < meeting.held_on {
        return Err(DomainError::invalid("due_on", "before_meeting"));
    }
    let owner_id = || {
        Uuid::parse_str(input.owner.trim()).map_err(|_| DomainError::invalid("owner", "required"))
    };
    let (mut community, mut unit) = (None, None);
    let owner_name = match kind {
        OwnerKind::Person => required_text("owner", &input.owner, 64)?,
        OwnerKind::Community => {
            let id = owner_id()?;
            community = Some(id);
            owner_community(tx, &meeting, id).await?
        }
        OwnerKind::Unit => {
            let id = owner_id()?;
            unit = Some(id);
            partners(tx)
                .await?
                .into_iter()
                .find(|u| u.id == id)
                .map(|u| u.name)
                .ok_or_else(|| {
                    let reason = match meeting.community_id {
                        Some(_) => "not_paired_here",
                        None => "not_found",
                    };
                    DomainError::invalid("owner", reason)
                })?
        }
    };
    let id = Uuid::now_v7();
    let assigned = coop_resolution::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(id),
        meeting_id: Set(meeting_id),
        content: Set(content),
        owner_kind: Set(kind),
        owner_community_id: Set(community),
        owner_unit_id: Set(unit),
        owner_name: Set(owner_name),
        due_on: Set(due_on),
        status: Set(ResolutionStatus::NotStarted),
        evidence: Set(None),
        closed_on: Set(None),
        created_on: Set(today),
    }
    .insert_in(tx.tx())
    .await?;
    super::messages::resolution_assigned(tx.tx(), &assigned, chrono::Utc::now()).await?;
    if community.is_some() || unit.is_some() {
        let actor = tx.tx().actor_user_id();
        audit::record(
            tx.tx(),
            AuditEvent::new("resolution_assigned", id.to_string())
                .actor((!actor.is_nil()).then_some(actor))
                .node(Some(meeting.community_id.unwrap_or(tx.street_id())))
                .detail(serde_json::json!({
                    "meeting": meeting_id,
                    "community": community,
                    "unit": unit,
                })),
        )
        .await?;
    }
    Ok(id)
}

/// Who a resolution of a meeting the viewer convenes may go to: a community (any of the
/// street's for a street meeting, the community itself for its own) or a unit the viewer sees.
pub async fn owner_choices(
    tx: &CoopTx,
    meeting_id: Uuid,
) -> DomainResult<Vec<(OwnerKind, Uuid, String)>> {
    let meeting = convened_meeting(tx, meeting_id).await?;
    let invite = super::convening::invite_choices(tx).await?;
    let communities = match meeting.community_id {
        None => invite.communities,
        Some(own) => shared::find::<org_node::Entity>()
            .filter(org_node::Column::Id.eq(own))
            .one(tx.tx())
            .await?
            .map(|n| vec![(own, n.name)])
            .unwrap_or_default(),
    };
    let communities = communities
        .into_iter()
        .map(|(id, name)| (OwnerKind::Community, id, name));
    let units = invite
        .units
        .into_iter()
        .map(|(id, name)| (OwnerKind::Unit, id, name));
    Ok(communities.chain(units).collect())
}

/// The community a resolution may go to: any of the street's for a street meeting, the
/// community itself for its own meeting.
async fn owner_community(
    tx: &CoopTx,
    meeting: &coop_meeting::Model,
    id: Uuid,
) -> DomainResult<String> {
    let node = shared::find::<org_node::Entity>()
        .filter(org_node::Column::Id.eq(id))
        .one(tx.tx())
        .await?;
    let allowed = node.as_ref().is_some_and(|n| {
        n.kind == NodeKind::Community
            && n.parent_id == Some(tx.street_id())
            && meeting.community_id.is_none_or(|own| own == id)
    });
    match node {
        Some(n) if allowed => Ok(n.name),
        _ => Err(DomainError::invalid("owner", "other_street")),
    }
}

/// The resolutions the viewer follows: of the meetings they convene, and those assigned to
/// their community or unit. Soonest due first.
pub async fn resolutions(tx: &CoopTx, today: NaiveDate) -> DomainResult<Vec<Resolution>> {
    let convened = super::convening::convened_meetings(tx).await?;
    let rows = followed(tx, convened.iter().map(|m| m.id).collect()).await?;
    shown(tx, rows, today).await
}

/// `resolutions` as stored, given the meetings the viewer convenes.
pub(crate) async fn followed(
    tx: &CoopTx,
    convened: Vec<Uuid>,
) -> DomainResult<Vec<coop_resolution::Model>> {
    let owned = match (tx.viewer(), tx.tx().role()) {
        (Viewer::Community(_), Role::Member) => return Err(DomainError::Forbidden),
        (Viewer::Street, _) => None,
        (Viewer::Community(c), _) => Some(coop_resolution::Column::OwnerCommunityId.eq(c)),
        (Viewer::Unit(u), _) => Some(coop_resolution::Column::OwnerUnitId.eq(u)),
    };
    let mut any = sea_orm::Condition::any().add(coop_resolution::Column::MeetingId.is_in(convened));
    if let Some(owned) = owned {
        any = any.add(owned);
    }
    tx.tx()
        .find::<coop_resolution::Entity>()
        .filter(any)
        .order_by_asc(coop_resolution::Column::DueOn)
        .order_by_asc(coop_resolution::Column::Id)
        .all(tx.tx())
        .await
}

/// All resolutions of a meeting the viewer sees (they are part of its minutes).
pub(crate) async fn of_meeting(
    tx: &CoopTx,
    meeting: &coop_meeting::Model,
    today: NaiveDate,
) -> DomainResult<Vec<Resolution>> {
    let rows = tx
        .tx()
        .find::<coop_resolution::Entity>()
        .filter(coop_resolution::Column::MeetingId.eq(meeting.id))
        .order_by_asc(coop_resolution::Column::Id)
        .all(tx.tx())
        .await?;
    shown(tx, rows, today).await
}

/// Done and total resolutions of each meeting.
pub(crate) async fn completion_by_meeting(
    tx: &CoopTx,
    meetings: Vec<Uuid>,
) -> DomainResult<HashMap<Uuid, Completion>> {
    let rows = tx
        .tx()
        .find::<coop_resolution::Entity>()
        .filter(coop_resolution::Column::MeetingId.is_in(meetings))
        .all(tx.tx())
        .await?;
    let mut rates: HashMap<Uuid, Completion> = HashMap::new();
    for row in rows {
        let rate = rates.entry(row.meeting_id).or_default();
        rate.total += 1;
        if row.status == ResolutionStatus::Done {
            rate.done += 1;
        }
    }
    Ok(rates)
}

/// The status as shown on `today`.
pub(crate) fn shown_status(row: &coop_resolution::Model, today: NaiveDate) -> ResolutionStatus {
    let stored = row.status;
    if stored != ResolutionStatus::Done && row.due_on < today {
        ResolutionStatus::Overdue
    } else {
        stored
    }
}

/// Whether the viewer answers for this resolution (its owner community's staff, its unit).
pub(crate) fn owns(tx: &CoopTx, row: &coop_resolution::Model) -> bool {
    match (tx.viewer(), tx.tx().role()) {
        (Viewer::Community(_), Role::Member) | (Viewer::Street, _) => false,
        (Viewer::Community(c), _) => row.owner_community_id == Some(c),
        (Viewer::Unit(u), _) => row.owner_unit_id == Some(u),
    }
}

async fn shown(
    tx: &CoopTx,
    rows: Vec<coop_resolution::Model>,
    today: NaiveDate,
) -> DomainResult<Vec<Resolution>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let meetings = tx
        .tx()
        .find_ids::<coop_meeting::Entity>(rows.iter().map(|r| r.meeting_id))
        .await?;
    let notes = tx
        .tx()
        .find::<coop_resolution_note::Entity>()
        .filter(coop_resolution_note::Column::ResolutionId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(coop_resolution_note::Column::Id)
        .all(tx.tx())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let meeting = meetings.iter().find(|m| m.id == r.meeting_id)?;
            let status = shown_status(&r, today);
            let open = status != ResolutionStatus::Done;
            let convener = convenes(tx, meeting);
            Some(Resolution {
                may_report: open && (convener || owns(tx, &r)),
                may_close: open && convener,
                id: r.id,
                meeting_id: r.meeting_id,
                meeting_title: meeting.title.clone(),
                held_on: meeting.held_on,
                owner_kind: r.owner_kind,
                owner_id: r.owner_community_id.or(r.owner_unit_id),
                owner_name: r.owner_name,
                notes: notes
                    .iter()
                    .filter(|n| n.resolution_id == r.id)
                    .map(|n| ProgressNote {
                        noted_on: n.noted_on,
                        note: n.note.clone(),
                        author: n.author.clone(),
                    })
                    .collect(),
                content: r.content,
                due_on: r.due_on,
                status,
                evidence: r.evidence,
                closed_on: r.closed_on,
            })
        })
        .collect())
}
