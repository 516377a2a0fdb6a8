//! What members and organisers see: the activities (a member: the ones open to them, and any
//! they signed up for), one activity, and its signup list (organisers).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::signup::{waitlist_position, AudienceOf};
use super::{ensure_organiser, load, own_member, ActivityKind, Audience, SignupState};
use crate::entities::{activity, activity_signup, community_unit, member, volunteer_team};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{Attendance, LeaveState, Role};
use crate::tenancy::TenantTx;

/// The viewing member's own signup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySignup {
    pub state: SignupState,
    /// On the waitlist: 1 = next in line.
    pub position: Option<u64>,
    pub attendance: Option<super::Attendance>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub title: String,
    pub description: Option<String>,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<u32>,
    pub signup_opens_at: DateTime<Utc>,
    pub signup_closes_at: DateTime<Utc>,
    pub audience: Audience,
    pub branch: Option<(Uuid, String)>,
    /// The volunteer team running it.
    pub team: Option<(Uuid, String)>,
    /// Run by a paired co-construction unit (its liaison organised it).
    pub by_unit: bool,
    /// A branch meeting kept by roll (会议记录), not signed up for.
    pub meeting: bool,
    /// The building group whose 党小组会 it is.
    pub group: Option<Uuid>,
    pub points: u32,
    pub volunteer_minutes: u32,
    pub cancelled: bool,
    pub confirmed: u32,
    pub waitlisted: u32,
    /// Leave requests waiting for the organiser's decision (organisers' lists; 0 for members).
    pub leave_asked: u32,
    pub mine: Option<MySignup>,
}

impl Activity {
    pub fn seats_left(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.confirmed))
    }

    /// Check-in by code is open at `now` (from half an hour before the start to the end).
    pub fn check_in_open(&self, now: DateTime<Utc>) -> bool {
        // Added to now rather than taken from a stored time, which could be the smallest one.
        let ahead = now + chrono::Duration::minutes(super::checkin::OPENS_BEFORE_MINUTES);
        !self.cancelled && ahead >= self.starts_at && now <= self.ends_at
    }

    /// Signup is possible at `now` (window open, not cancelled, not started).
    pub fn open_at(&self, now: DateTime<Utc>) -> bool {
        !self.cancelled
            && now >= self.signup_opens_at
            && now <= self.signup_closes_at
            && now < self.starts_at
    }
}

/// A member and their live signups (read once, by `held_by`).
pub(super) type Me<'a> = (&'a member::Model, &'a [activity_signup::Model]);

/// Each activity's waiting line, by activity.
type Waiting = HashMap<Uuid, i64>;

pub(super) async fn shown(
    tx: &TenantTx,
    rows: Vec<activity::Model>,
    me: Option<Me<'_>>,
) -> DomainResult<Vec<Activity>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    // Everyone's waiting line counted by the database (an organiser's list spans every activity
    // the community ever held: its signups are not read).
    let waiting: Waiting = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.is_in(ids))
        .filter(activity_signup::Column::State.eq(SignupState::Waitlisted.as_str()))
        .select_only()
        .column(activity_signup::Column::ActivityId)
        .column_as(activity_signup::Column::Id.count(), "waiting")
        .group_by(activity_signup::Column::ActivityId)
        .into_tuple::<(Uuid, i64)>()
        .all(tx)
        .await?
        .into_iter()
        .collect();
    let asked = match me {
        Some(_) => Waiting::new(),
        None => leave_asked(tx, rows.iter().map(|a| a.id).collect()).await?,
    };
    shown_with(tx, rows, me, &waiting, &asked).await
}

/// Leave requests waiting for a decision, by activity (of `ids`), counted by the database: not
/// yet decided, the person not marked or marked 缺席 (approving makes that 请假; marked present
/// or 请假, what was asked is settled).
pub(crate) async fn leave_asked(tx: &TenantTx, ids: Vec<Uuid>) -> DomainResult<Waiting> {
    Ok(tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.is_in(ids))
        .filter(activity_signup::Column::LeaveState.eq(LeaveState::Asked.as_str()))
        .filter(
            sea_orm::Condition::any()
                .add(activity_signup::Column::Attendance.is_null())
                .add(activity_signup::Column::Attendance.eq(Attendance::NoShow.as_str())),
        )
        .select_only()
        .column(activity_signup::Column::ActivityId)
        .column_as(activity_signup::Column::Id.count(), "asked")
        .group_by(activity_signup::Column::ActivityId)
        .into_tuple::<(Uuid, i64)>()
        .all(tx)
        .await?
        .into_iter()
        .collect())
}

/// `shown`, the waiting lines and undecided leave already known.
async fn shown_with(
    tx: &TenantTx,
    rows: Vec<activity::Model>,
    me: Option<Me<'_>>,
    waiting: &Waiting,
    asked: &Waiting,
) -> DomainResult<Vec<Activity>> {
    let branches = tx
        .find_ids::<community_unit::Entity>(rows.iter().filter_map(|a| a.branch_id))
        .await?;
    let teams = tx
        .find_ids::<volunteer_team::Entity>(rows.iter().filter_map(|a| a.team_id))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        let waitlisted = waiting
            .get(&a.id)
            .and_then(|n| u32::try_from(*n).ok())
            .unwrap_or(0);
        let mine = match me {
            Some(me) => mine_of(tx, a.id, me).await?,
            None => None,
        };
        out.push(Activity {
            id: a.id,
            kind: a.kind,
            branch: a.branch_id.and_then(|id| {
                branches
                    .iter()
                    .find(|b| b.id == id)
                    .map(|b| (id, b.name.clone()))
            }),
            team: a.team_id.and_then(|id| {
                teams
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| (id, t.name.clone()))
            }),
            by_unit: a.organiser_unit_id.is_some(),
            meeting: super::meeting::is_meeting(&a),
            group: a.group_id,
            audience: a.audience,
            capacity: a.capacity.and_then(|c| u32::try_from(c).ok()),
            points: u32::try_from(a.points).unwrap_or(0),
            volunteer_minutes: u32::try_from(a.volunteer_minutes).unwrap_or(0),
            cancelled: a.cancelled_at.is_some(),
            confirmed: u32::try_from(a.confirmed_count).unwrap_or(0),
            waitlisted,
            leave_asked: asked
                .get(&a.id)
                .and_then(|n| u32::try_from(*n).ok())
                .unwrap_or(0),
            mine,
            title: a.title,
            description: a.description,
            venue: a.venue,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            signup_opens_at: a.signup_opens_at,
            signup_closes_at: a.signup_closes_at,
        });
    }
    Ok(out)
}

/// The member's own signup for `activity`, if they hold one (their place in line read when
/// they wait).
pub(super) async fn mine_of(
    tx: &TenantTx,
    activity: Uuid,
    (m, held): Me<'_>,
) -> DomainResult<Option<MySignup>> {
    let Some(s) = held
        .iter()
        .find(|s| s.activity_id == activity && s.member_id == m.id)
    else {
        return Ok(None);
    };
    let position = match (s.state, s.queue_no) {
        (SignupState::Waitlisted, Some(q)) => Some(waitlist_position(tx, activity, q).await?),
        _ => None,
    };
    Ok(Some(MySignup {
        state: s.state,
        position,
        attendance: s.attendance,
    }))
}

/// How many past activities an organiser's list shows at a time, the most recent first.
pub const PAST_PER_PAGE: u64 = 20;

/// Past pages beyond this are not offered (a community holding an activity a day for 50 years
/// has ~900 such pages).
const MAX_PAST_PAGE: u64 = 10_000;

/// An organiser's list: on its first page every activity not yet ended (soonest first), then
/// the most recent past ones; on each later page (1, 2, …) the next older past ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganiserList {
    pub activities: Vec<Activity>,
    /// Older past activities exist (a next page).
    pub older: bool,
}

pub async fn organiser_list(
    tx: &TenantTx,
    now: DateTime<Utc>,
    page: u64,
) -> DomainResult<OrganiserList> {
    ensure_organiser(tx)?;
    let page = page.min(MAX_PAST_PAGE);
    let mut rows = if page == 0 {
        tx.find::<activity::Entity>()
            .filter(super::own_unit_only(tx))
            .filter(activity::Column::EndsAt.gt(now))
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .all(tx)
            .await?
    } else {
        Vec::new()
    };
    // One more than a page, to know whether there is an older one.
    let mut past = tx
        .find::<activity::Entity>()
        .filter(super::own_unit_only(tx))
        .filter(activity::Column::EndsAt.lte(now))
        .order_by_desc(activity::Column::StartsAt)
        .order_by_desc(activity::Column::Id)
        .offset(page * PAST_PER_PAGE)
        .limit(PAST_PER_PAGE + 1)
        .all(tx)
        .await?;
    let older = past.len() as u64 > PAST_PER_PAGE && page < MAX_PAST_PAGE;
    past.truncate(PAST_PER_PAGE as usize);
    rows.append(&mut past);
    Ok(OrganiserList {
        activities: shown(tx, rows, None).await?,
        older,
    })
}

/// Organisers: the first page of `organiser_list`. Members: the activities open to them that
/// have not ended, and any they hold a signup for (a cancelled one included, so they see it
/// was cancelled).
pub async fn activities(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<Vec<Activity>> {
    if tx.role() != Role::Member {
        return Ok(organiser_list(tx, now, 0).await?.activities);
    }
    let me = own_member(tx).await?;
    // A member sees none that has ended: not read at all.
    let rows = tx
        .find::<activity::Entity>()
        .filter(super::own_unit_only(tx))
        .filter(activity::Column::EndsAt.gt(now))
        .order_by_asc(activity::Column::StartsAt)
        .order_by_asc(activity::Column::Id)
        .all(tx)
        .await?;
    let held = held_by(tx, &me).await?;
    let rows = open_to(tx, &me, &held, rows, now).await?;
    shown(tx, rows, Some((&me, &held))).await
}

/// The member's live signups (any activity).
pub(super) async fn held_by(
    tx: &TenantTx,
    me: &member::Model,
) -> DomainResult<Vec<activity_signup::Model>> {
    tx.find::<activity_signup::Entity>()
        .filter(activity_signup::Column::MemberId.eq(me.id))
        .filter(activity_signup::Column::State.ne(SignupState::Cancelled.as_str()))
        .all(tx)
        .await
}

/// Of `rows`, those a member sees: not ended, and either held (a live signup of theirs) or not
/// cancelled and open to their audience.
async fn open_to(
    tx: &TenantTx,
    me: &member::Model,
    held: &[activity_signup::Model],
    rows: Vec<activity::Model>,
    now: DateTime<Utc>,
) -> DomainResult<Vec<activity::Model>> {
    let mut open = Vec::new();
    let mut audience = AudienceOf::new(me);
    for a in rows.into_iter().filter(|a| a.ends_at > now) {
        if member_sees(tx, &a, held, &mut audience).await? {
            open.push(a);
        }
    }
    Ok(open)
}

/// Whether a member sees `a` (not ended): they hold a signup for it (even cancelled), or it is
/// not cancelled and open to their audience.
pub(super) async fn member_sees(
    tx: &TenantTx,
    a: &activity::Model,
    held: &[activity_signup::Model],
    audience: &mut AudienceOf<'_>,
) -> DomainResult<bool> {
    let mine = held.iter().any(|s| s.activity_id == a.id);
    Ok(mine || (a.cancelled_at.is_none() && audience.admits(tx, a).await?))
}

/// One activity: for organisers any; for a member one open to them or that they signed up for.
pub async fn activity(tx: &TenantTx, id: Uuid, now: DateTime<Utc>) -> DomainResult<Activity> {
    match tx.role() {
        Role::Member => {
            // The one row, seen as the member's list would show it (not the whole list).
            let me = own_member(tx).await?;
            let row = load(tx, id).await?;
            let held = held_by(tx, &me).await?;
            let open = open_to(tx, &me, &held, vec![row], now).await?;
            if open.is_empty() {
                return Err(DomainError::NotFound);
            }
            shown(tx, open, Some((&me, &held)))
                .await?
                .pop()
                .ok_or(DomainError::NotFound)
        }
        _ => {
            ensure_organiser(tx)?;
            let row = load(tx, id).await?;
            Ok(shown(tx, vec![row], None).await?.remove(0))
        }
    }
}

/// One line of an activity's signup list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupRow {
    pub id: Uuid,
    pub member_id: Uuid,
    pub name: String,
    pub state: SignupState,
    pub position: Option<u64>,
    pub signed_up_at: DateTime<Utc>,
    pub promoted_at: Option<DateTime<Utc>>,
    pub on_behalf: bool,
    pub attendance: Option<super::Attendance>,
}

/// The live signups of an activity: confirmed in signup order, then the waitlist in line.
pub async fn signups(tx: &TenantTx, activity_id: Uuid) -> DomainResult<Vec<SignupRow>> {
    ensure_organiser(tx)?;
    load(tx, activity_id).await?;
    live_signups(tx, activity_id).await
}

/// An organiser's page of one activity: the activity as their list shows it and its live
/// signups (`signups`), the activity's row read once and its waiting line taken from them.
pub async fn with_signups(
    tx: &TenantTx,
    activity_id: Uuid,
) -> DomainResult<(Activity, Vec<SignupRow>)> {
    ensure_organiser(tx)?;
    let row = load(tx, activity_id).await?;
    let signups = live_signups(tx, activity_id).await?;
    let line = signups
        .iter()
        .filter(|s| s.state == SignupState::Waitlisted)
        .count();
    // A branch secretary sees only their branch's signups; the line is everyone's, as on the list.
    let waiting = if tx.role() == Role::BranchSecretary {
        None
    } else {
        Some(HashMap::from([(activity_id, line as i64)]))
    };
    let activity = match waiting {
        Some(waiting) => {
            let asked = leave_asked(tx, vec![activity_id]).await?;
            shown_with(tx, vec![row], None, &waiting, &asked).await?
        }
        None => shown(tx, vec![row], None).await?,
    }
    .pop()
    .ok_or(DomainError::NotFound)?;
    Ok((activity, signups))
}

/// `signups` of an activity already known to be the organiser's.
async fn live_signups(tx: &TenantTx, activity_id: Uuid) -> DomainResult<Vec<SignupRow>> {
    let rows = tx
        .find::<activity_signup::Entity>()
        .filter(super::signups_in_reach(tx).await?)
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::State.ne(SignupState::Cancelled.as_str()))
        .order_by_asc(activity_signup::Column::SignedUpAt)
        .order_by_asc(activity_signup::Column::Id)
        .all(tx)
        .await?;
    let names: HashMap<Uuid, String> = tx
        .find_ids::<member::Entity>(rows.iter().map(|s| s.member_id))
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let (mut confirmed, mut waiting): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|s| s.state == SignupState::Confirmed);
    waiting.sort_by_key(|s| s.queue_no);
    let mut out = Vec::new();
    let mut line = 0u64;
    for s in confirmed.drain(..).chain(waiting) {
        let state = s.state;
        let position = (state == SignupState::Waitlisted).then(|| {
            line += 1;
            line
        });
        out.push(SignupRow {
            id: s.id,
            member_id: s.member_id,
            name: names.get(&s.member_id).cloned().unwrap_or_default(),
            state,
            position,
            signed_up_at: s.signed_up_at,
            promoted_at: s.promoted_at,
            on_behalf: s.on_behalf_by.is_some(),
            attendance: s.attendance,
        });
    }
    Ok(out)
}
