//! 联席会议: the street's joint meeting (街道党建联席会议, units and communities of the street) and a
//! community's (社区大党委联席会议, its paired units and its branches). The convener — the street's
//! staff, or the community's — plans it, invites, collects agenda items (议题征集), signs people
//! in and records the minutes; the invited see the meetings they are invited to.
mod agenda;
mod attendance;
mod minutes;
mod plan;

pub use agenda::{propose_item, remove_item, AgendaInput};
pub use attendance::{clear_sign_in, sign_in};
pub use minutes::record_minutes;
pub use plan::{invite, save_meeting, uninvite, MeetingInput};

pub(crate) use super::convening::{
    actor_name, convened_meeting, convenes, convening_level, ensure_open, viewer_org_name,
    visible_meeting, visible_meetings,
};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::resolutions::{self, Completion, Resolution};
use super::{CoopTx, Viewer};
use crate::entities::{
    coop_agenda_item, coop_meeting, coop_meeting_invitee, coop_need, coop_project, coop_resource,
};
use crate::error::{DomainError, DomainResult};

pub use crate::kinds::InviteeKind;

/// A meeting in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: Uuid,
    /// The community whose meeting it is; none for the street's.
    pub community_id: Option<Uuid>,
    pub title: String,
    pub convener: String,
    pub held_on: NaiveDate,
    pub starts_at: String,
    pub venue: String,
    pub minutes_on: Option<NaiveDate>,
    pub invited: usize,
    pub signed_in: usize,
    pub resolutions: Completion,
    /// The viewer convenes it (and so may change it).
    pub convening: bool,
}

impl MeetingSummary {
    /// On the convener's to-do list: the day has passed and no minutes were written.
    pub fn needs_minutes(&self, today: NaiveDate) -> bool {
        minutes_owed(self.held_on, self.minutes_on, today)
    }
}

/// The day has passed and no minutes were written.
pub(crate) fn minutes_owed(
    held_on: NaiveDate,
    minutes_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    held_on < today && minutes_on.is_none()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    pub id: Uuid,
    pub kind: InviteeKind,
    pub name: String,
    pub attendee: Option<String>,
    pub signed_in_at: Option<DateTime<Utc>>,
    /// This invitation is the viewer's own (their unit or community).
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: Uuid,
    pub title: String,
    pub detail: Option<String>,
    pub proposed_by: String,
    pub created_on: NaiveDate,
    pub need: Option<(Uuid, String)>,
    pub resource: Option<(Uuid, String)>,
    pub project: Option<(Uuid, String)>,
}

/// One meeting with everything the minutes show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub summary: MeetingSummary,
    pub minutes: Option<String>,
    pub invitees: Vec<Invitee>,
    pub agenda: Vec<AgendaItem>,
    pub resolutions: Vec<Resolution>,
}

impl Meeting {
    /// The viewer's own invitation, if invited.
    pub fn my_invitation(&self) -> Option<&Invitee> {
        self.invitees.iter().find(|i| i.mine)
    }

    /// The viewer may propose agenda items now (the rule `propose_item` applies).
    pub fn may_propose(&self, today: NaiveDate) -> bool {
        let s = &self.summary;
        s.minutes_on.is_none()
            && proposals_open(
                s.convening,
                self.my_invitation().is_some(),
                s.held_on,
                today,
            )
            .is_ok()
    }

    /// The viewer may sign this invitee in now (the rule `sign_in` applies).
    pub fn may_sign_in(&self, invitee: &Invitee, today: NaiveDate) -> bool {
        let s = &self.summary;
        s.minutes_on.is_none()
            && invitee.signed_in_at.is_none()
            && sign_in_open(s.convening, invitee.mine, s.held_on, today).is_ok()
    }
}

/// 议题征集 is open to the viewer: the convener until the minutes, an invitee until the day.
pub(crate) fn proposals_open(
    convening: bool,
    invited: bool,
    held_on: NaiveDate,
    today: NaiveDate,
) -> DomainResult<()> {
    if convening {
        return Ok(());
    }
    if !invited {
        return Err(DomainError::Forbidden);
    }
    if today > held_on {
        return Err(DomainError::invalid("agenda", "collection_closed"));
    }
    Ok(())
}

/// 签到 is open to the viewer: the convener signs anyone in from the meeting's day on, an
/// invitee only themselves and only on the day.
pub(crate) fn sign_in_open(
    convening: bool,
    own: bool,
    held_on: NaiveDate,
    today: NaiveDate,
) -> DomainResult<()> {
    if !convening && !own {
        return Err(DomainError::Forbidden);
    }
    if today < held_on {
        return Err(DomainError::invalid("sign_in", "before_meeting"));
    }
    if !convening && today != held_on {
        return Err(DomainError::invalid("sign_in", "not_meeting_day"));
    }
    Ok(())
}

/// The invitation rows that are the viewer's own: their community's or their unit's.
fn own_invitation(tx: &CoopTx, row: &coop_meeting_invitee::Model) -> bool {
    match tx.viewer() {
        Viewer::Community(c) => row.kind == InviteeKind::Community && row.community_id == Some(c),
        Viewer::Unit(u) => row.unit_id == Some(u),
        Viewer::Street => false,
    }
}

/// `meetings` for the scope's viewer, read in its own transaction and kept until something is
/// written in the street's co-construction space (as `coop::todo_of`), at most 5 s: the
/// street's and communities' staff open it often.
pub async fn meetings_of(
    db: &crate::Db,
    scope: &super::CoopScope,
) -> DomainResult<Vec<MeetingSummary>> {
    let key = scope.kept_read("coop.meetings", crate::clock::today());
    db.kept(key, async {
        let tx = scope.read(db).await?;
        let meetings = meetings(&tx).await?;
        tx.commit().await?;
        Ok(meetings)
    })
    .await
}

/// The meetings the viewer convenes or is invited to, latest first.
pub async fn meetings(tx: &CoopTx) -> DomainResult<Vec<MeetingSummary>> {
    let found = visible_meetings(tx).await?;
    let ids: Vec<Uuid> = found.iter().map(|m| m.id).collect();
    let invitees = invitee_rows(tx, ids.clone()).await?;
    let rates = resolutions::completion_by_meeting(tx, ids).await?;
    Ok(found
        .into_iter()
        .map(|m| {
            let mine = invitees.iter().filter(|i| i.meeting_id == m.id);
            let invited = mine.clone().count();
            let signed_in = mine.filter(|i| i.signed_in_at.is_some()).count();
            let rate = rates.get(&m.id).copied().unwrap_or_default();
            summary(tx, m, invited, signed_in, rate)
        })
        .collect())
}

fn summary(
    tx: &CoopTx,
    m: coop_meeting::Model,
    invited: usize,
    signed_in: usize,
    resolutions: Completion,
) -> MeetingSummary {
    MeetingSummary {
        convening: convenes(tx, &m),
        id: m.id,
        community_id: m.community_id,
        title: m.title,
        convener: m.convener,
        held_on: m.held_on,
        starts_at: m.starts_at,
        venue: m.venue,
        minutes_on: m.minutes_on,
        invited,
        signed_in,
        resolutions,
    }
}

async fn invitee_rows(
    tx: &CoopTx,
    meetings: Vec<Uuid>,
) -> DomainResult<Vec<coop_meeting_invitee::Model>> {
    let mut rows = tx
        .tx()
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.is_in(meetings))
        .all(tx.tx())
        .await?;
    crate::collate::sort_by_label(&mut rows, |i| &i.name);
    rows.sort_by(|a, b| a.kind.as_str().cmp(b.kind.as_str()));
    Ok(rows)
}

/// One meeting with its invitees, agenda, minutes and resolutions.
pub async fn meeting(tx: &CoopTx, id: Uuid, today: NaiveDate) -> DomainResult<Meeting> {
    let m = visible_meeting(tx, id).await?;
    let invitees: Vec<Invitee> = invitee_rows(tx, vec![id])
        .await?
        .into_iter()
        .map(|i| Invitee {
            mine: own_invitation(tx, &i),
            id: i.id,
            kind: i.kind,
            name: i.name,
            attendee: i.attendee,
            signed_in_at: i.signed_in_at,
        })
        .collect();
    let agenda = agenda_items(tx, id).await?;
    let resolutions = resolutions::of_meeting(tx, &m, today).await?;
    let rate = Completion::of(&resolutions);
    let minutes = m.minutes.clone();
    let signed_in = invitees.iter().filter(|i| i.signed_in_at.is_some()).count();
    Ok(Meeting {
        summary: summary(tx, m, invitees.len(), signed_in, rate),
        minutes,
        invitees,
        agenda,
        resolutions,
    })
}

async fn agenda_items(tx: &CoopTx, meeting: Uuid) -> DomainResult<Vec<AgendaItem>> {
    let rows = tx
        .tx()
        .find::<coop_agenda_item::Entity>()
        .filter(coop_agenda_item::Column::MeetingId.eq(meeting))
        .order_by_asc(coop_agenda_item::Column::Id)
        .all(tx.tx())
        .await?;
    // Titles of what the items are about, read across the street: the items are on a meeting
    // the viewer sees, and only titles are shown.
    let needs = tx
        .tx()
        .find_ids::<coop_need::Entity>(rows.iter().filter_map(|r| r.need_id))
        .await?;
    let resources = tx
        .tx()
        .find_ids::<coop_resource::Entity>(rows.iter().filter_map(|r| r.resource_id))
        .await?;
    let projects = tx
        .tx()
        .find_ids::<coop_project::Entity>(rows.iter().filter_map(|r| r.project_id))
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| AgendaItem {
            need: r.need_id.and_then(|id| {
                let n = needs.iter().find(|n| n.id == id)?;
                Some((id, n.title.clone()))
            }),
            resource: r.resource_id.and_then(|id| {
                let x = resources.iter().find(|x| x.id == id)?;
                Some((id, x.name.clone()))
            }),
            project: r.project_id.and_then(|id| {
                let p = projects.iter().find(|p| p.id == id)?;
                Some((id, p.title.clone()))
            }),
            id: r.id,
            title: r.title,
            detail: r.detail,
            proposed_by: r.proposed_by,
            created_on: r.created_on,
        })
        .collect())
}
