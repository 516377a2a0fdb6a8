//! What the co-construction space tells people in their message centres (消息):
//!
//! - an invited community's staff and an invited unit's liaison: the invitation, a reminder a
//!   day before the meeting, and its minutes once recorded;
//! - the owner (a community's staff, a unit's liaison) of a resolution: that it was given to
//!   them, three days before it is due, and the morning after if it is still open (督办);
//! - a community's staff: that a micro-wish of theirs was claimed, and delivered (to confirm).
//!
//! A community's staff receive in their community, a liaison in the street (where their role
//! is). What is due later is queued (`notices::later`) and sent by the scheduler through
//! `remind`, which reads whom it reaches at that moment.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::entities::{
    coop_meeting, coop_meeting_invitee, coop_need, coop_resolution, coop_unit, role_assignment,
};
use crate::error::DomainResult;
use crate::kinds::{InviteeKind, MessageKind, ResolutionStatus, Role};
use crate::notices::{self, later};
use crate::tenancy::{shared, TenantTx};

/// A meeting's reminder is due this long before it starts.
const MEETING_AHEAD: Duration = Duration::hours(24);
/// A resolution's owner is reminded this many days before it is due.
const DUE_SOON_DAYS: i64 = 3;
/// Reminders of a due date go out at this time of the morning (China time).
const MORNING: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => panic!("09:00 is a time"),
};

/// Who is told: a community's staff, or a unit's liaison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Party {
    Community(Uuid),
    Unit(Uuid),
}

impl Party {
    fn of_invitee(i: &coop_meeting_invitee::Model) -> Option<Party> {
        match i.kind {
            InviteeKind::Community => i.community_id.map(Party::Community),
            InviteeKind::Unit => i.unit_id.map(Party::Unit),
            // A branch's secretary has no place in the co-construction space; a person named
            // has no account.
            InviteeKind::Branch | InviteeKind::Person => None,
        }
    }

    fn of_resolution(r: &coop_resolution::Model) -> Option<Party> {
        r.owner_community_id
            .map(Party::Community)
            .or(r.owner_unit_id.map(Party::Unit))
    }

    /// The node they receive at and their accounts; `tx` is the street's.
    async fn people(self, tx: &TenantTx) -> DomainResult<(Uuid, Vec<Uuid>)> {
        match self {
            Party::Community(c) => {
                let held = shared::find::<role_assignment::Entity>()
                    .filter(role_assignment::Column::NodeId.eq(c))
                    .all(tx)
                    .await?;
                let mut staff: Vec<Uuid> = held
                    .into_iter()
                    .filter(|a| a.role.manages() && a.role != Role::BranchSecretary)
                    .map(|a| a.user_id)
                    .collect();
                staff.sort_unstable();
                staff.dedup();
                Ok((c, staff))
            }
            Party::Unit(u) => {
                let liaison = tx
                    .find::<coop_unit::Entity>()
                    .filter(coop_unit::Column::Id.eq(u))
                    .one(tx)
                    .await?
                    .and_then(|unit| unit.liaison_user_id);
                Ok((tx.tenant_id(), liaison.into_iter().collect()))
            }
        }
    }

    /// A message of `kind` about `subject` to them (how many it reached); the actor is left
    /// out, who knows.
    async fn tell(
        self,
        tx: &TenantTx,
        kind: MessageKind,
        subject: Uuid,
        now: DateTime<Utc>,
    ) -> DomainResult<usize> {
        let (node, mut users) = self.people(tx).await?;
        users.retain(|u| *u != tx.actor_user_id());
        notices::tell_at(tx, node, kind, subject, &users, now).await
    }

    async fn forget(self, tx: &TenantTx, subject: Uuid) -> DomainResult<()> {
        let (node, users) = self.people(tx).await?;
        notices::in_node(tx, node, async |there: &TenantTx| {
            notices::forget(there, subject, None, &users).await
        })
        .await
    }
}

/// Someone was invited to a meeting.
pub(crate) async fn invited(
    tx: &TenantTx,
    invitee: &coop_meeting_invitee::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if let Some(party) = Party::of_invitee(invitee) {
        party
            .tell(tx, MessageKind::MeetingInvited, invitee.meeting_id, now)
            .await?;
    }
    Ok(())
}

/// An invitation was taken back: what they were told of the meeting goes.
pub(crate) async fn uninvited(
    tx: &TenantTx,
    invitee: &coop_meeting_invitee::Model,
) -> DomainResult<()> {
    match Party::of_invitee(invitee) {
        Some(party) => party.forget(tx, invitee.meeting_id).await,
        None => Ok(()),
    }
}

/// A meeting was planned or its day or time changed: its reminder is (re)set.
pub(crate) async fn meeting_planned(
    tx: &TenantTx,
    meeting: &coop_meeting::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Some(starts) = meeting_start(meeting) else {
        return Ok(());
    };
    later::schedule(
        tx,
        MessageKind::MeetingSoon,
        meeting.id,
        starts - MEETING_AHEAD,
        now,
    )
    .await
}

/// The minutes of a meeting were recorded for the first time: its invitees are told.
pub(crate) async fn minutes_published(
    tx: &TenantTx,
    meeting_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    for party in invited_parties(tx, meeting_id).await? {
        party
            .tell(tx, MessageKind::MinutesPublished, meeting_id, now)
            .await?;
    }
    Ok(())
}

/// A resolution was given to a community or unit: they are told, and reminded as it comes due.
pub(crate) async fn resolution_assigned(
    tx: &TenantTx,
    r: &coop_resolution::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Some(party) = Party::of_resolution(r) else {
        return Ok(());
    };
    party
        .tell(tx, MessageKind::ResolutionAssigned, r.id, now)
        .await?;
    let soon = morning_of(r.due_on - Duration::days(DUE_SOON_DAYS));
    let late = morning_of(r.due_on + Duration::days(1));
    later::schedule(tx, MessageKind::ResolutionDueSoon, r.id, soon, now).await?;
    later::schedule(tx, MessageKind::ResolutionOverdue, r.id, late, now).await
}

/// A resolution was closed (销号): nothing more is sent about it.
pub(crate) async fn resolution_closed(
    tx: &TenantTx,
    id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    later::unschedule(tx, id, now).await
}

/// A micro-wish was claimed (`NeedClaimed`) or delivered (`NeedDelivered`, for them to
/// confirm): its community's staff are told.
pub(crate) async fn need_moved(
    tx: &TenantTx,
    need: &coop_need::Model,
    kind: MessageKind,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    Party::Community(need.community_id)
        .tell(tx, kind, need.id, now)
        .await
        .map(|_| ())
}

/// A queued message of `kind` about `subject`, due now (sent by the scheduler in the street's
/// transaction `tx`): to whom it concerns at this moment, unless it no longer applies (the
/// meeting has started, the resolution is closed). How many it reached.
pub(crate) async fn remind(
    tx: &TenantTx,
    kind: MessageKind,
    subject: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let parties = match kind {
        MessageKind::MeetingSoon => {
            let meeting = tx
                .find::<coop_meeting::Entity>()
                .filter(coop_meeting::Column::Id.eq(subject))
                .one(tx)
                .await?;
            match meeting.as_ref().and_then(meeting_start) {
                Some(starts) if starts > now => invited_parties(tx, subject).await?,
                _ => Vec::new(),
            }
        }
        MessageKind::ResolutionDueSoon | MessageKind::ResolutionOverdue => {
            let r = tx
                .find::<coop_resolution::Entity>()
                .filter(coop_resolution::Column::Id.eq(subject))
                .one(tx)
                .await?;
            r.filter(|r| r.status != ResolutionStatus::Done)
                .as_ref()
                .and_then(Party::of_resolution)
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    };
    let mut reached = 0;
    for party in parties {
        reached += party.tell(tx, kind, subject, now).await?;
    }
    Ok(reached)
}

/// The communities and units invited to a meeting.
async fn invited_parties(tx: &TenantTx, meeting_id: Uuid) -> DomainResult<Vec<Party>> {
    let invitees = tx
        .find::<coop_meeting_invitee::Entity>()
        .filter(coop_meeting_invitee::Column::MeetingId.eq(meeting_id))
        .all(tx)
        .await?;
    Ok(invitees.iter().filter_map(Party::of_invitee).collect())
}

/// When a meeting starts (its day and `HH:MM`, China time).
fn meeting_start(m: &coop_meeting::Model) -> Option<DateTime<Utc>> {
    let time = NaiveTime::parse_from_str(&m.starts_at, "%H:%M").ok()?;
    Some(crate::clock::from_china(m.held_on.and_time(time)))
}

fn morning_of(day: NaiveDate) -> DateTime<Utc> {
    crate::clock::from_china(day.and_time(MORNING))
}
