//! Publishing, changing and cancelling an activity (the community's staff).
use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::signup::promote_waiting;
use super::{ensure_organiser, lock, ActivityKind, Audience};
use crate::entities::{activity, community_unit, volunteer_team};
use crate::error::{DomainError, DomainResult};
use crate::kinds::PlacementKind;
use crate::tenancy::{Row, TenantTx};
use crate::validate::{optional_text, required_text};

/// As typed in the form; times are local `2026-11-23T14:30` (the browser's datetime-local).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: String,
    pub ends_at: String,
    /// Empty: unlimited.
    pub capacity: String,
    pub signup_opens_at: String,
    pub signup_closes_at: String,
    pub audience: String,
    /// The grid branch, for a branch audience.
    pub branch: String,
    /// The building group whose 党小组会 it is (that kind only).
    pub group: String,
    pub points: String,
    /// Volunteer hours credited for attending, e.g. `1.5`.
    pub volunteer_hours: String,
    /// The volunteer team running it (志愿服务 only; empty: none).
    pub team: String,
}

/// A local date and time from a datetime-local field, as UTC: years 2000–2100, as for dates
/// (chrono reads signed years of six digits, whose ends overflow any arithmetic on them).
fn local_time(field: &str, value: &str) -> DomainResult<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, "required"));
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .ok()
        .filter(|t| (2000..=2100).contains(&chrono::Datelike::year(t)))
        .map(crate::clock::from_china)
        .ok_or_else(|| DomainError::invalid(field, "bad_date"))
}

fn whole(field: &str, value: &str, max: i64) -> DomainResult<i64> {
    let n: i64 = value
        .trim()
        .parse()
        .map_err(|_| DomainError::invalid(field, "bad_value"))?;
    if n < 0 {
        return Err(DomainError::invalid(field, "negative"));
    }
    if n > max {
        return Err(DomainError::invalid(field, "too_large"));
    }
    Ok(n)
}

/// Volunteer hours as minutes: up to 24 hours, in steps of a quarter hour at most.
fn volunteer_minutes(value: &str) -> DomainResult<i32> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(0);
    }
    let hours: f64 = value
        .parse()
        .map_err(|_| DomainError::invalid("volunteer_hours", "bad_value"))?;
    if hours < 0.0 {
        return Err(DomainError::invalid("volunteer_hours", "negative"));
    }
    if !hours.is_finite() || hours > 24.0 {
        return Err(DomainError::invalid("volunteer_hours", "too_large"));
    }
    Ok((hours * 60.0).round() as i32)
}

struct Checked {
    kind: ActivityKind,
    title: String,
    description: Option<String>,
    venue: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: Option<i32>,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    audience: Audience,
    branch: Option<Uuid>,
    group: Option<Uuid>,
    points: i32,
    minutes: i32,
    team: Option<Uuid>,
}

async fn check(tx: &TenantTx, input: &ActivityInput, now: DateTime<Utc>) -> DomainResult<Checked> {
    let kind = ActivityKind::parse(&input.kind)
        .ok_or_else(|| DomainError::invalid("activity_kind", "not_in_list"))?;
    let for_unit = tx.acting_unit().is_some();
    if for_unit && !kind.unit_may_organise() {
        return Err(DomainError::invalid("activity_kind", "not_for_units"));
    }
    let title = required_text("activity_title", &input.title, 100)?;
    let description = optional_text("activity_description", &input.description, 2000)?;
    let venue = required_text("activity_venue", &input.venue, 100)?;
    let starts_at = local_time("starts_at", &input.starts_at)?;
    let ends_at = local_time("ends_at", &input.ends_at)?;
    if ends_at <= starts_at {
        return Err(DomainError::invalid("ends_at", "not_after_start"));
    }
    // Recording a past activity (with its attendance and points) is the staff's alone.
    if for_unit && starts_at < now {
        return Err(DomainError::invalid("starts_at", "in_past"));
    }
    let capacity = match input.capacity.trim() {
        "" => None,
        n => match whole("capacity", n, 100_000)? {
            0 => return Err(DomainError::invalid("capacity", "bad_value")),
            n => Some(n as i32),
        },
    };
    // A branch meeting is not signed up for: its window, left empty, is the week before it.
    let (opens, closes) = match (
        input.signup_opens_at.trim(),
        input.signup_closes_at.trim(),
        kind.is_branch_meeting(),
    ) {
        ("", "", true) => (starts_at - chrono::Duration::days(7), starts_at),
        _ => (
            local_time("signup_opens_at", &input.signup_opens_at)?,
            local_time("signup_closes_at", &input.signup_closes_at)?,
        ),
    };
    if closes <= opens {
        return Err(DomainError::invalid("signup_closes_at", "before_open"));
    }
    if closes > ends_at {
        return Err(DomainError::invalid("signup_closes_at", "after_end"));
    }
    let mut audience = Audience::parse(&input.audience)
        .ok_or_else(|| DomainError::invalid("audience", "not_in_list"))?;
    if for_unit && audience == Audience::Branch {
        return Err(DomainError::invalid("audience", "not_for_units"));
    }
    // A 党小组会 is its building group's: for the group's branch.
    let group = match (kind, for_unit) {
        (ActivityKind::GroupMeeting, false) => Some(building_group(tx, &input.group).await?),
        _ => None,
    };
    if group.is_some() {
        audience = Audience::Branch;
    }
    let branch = match (audience, group) {
        (_, Some((_, branch))) => Some(branch),
        (audience, None) => match audience {
            Audience::Branch => {
                let id = Uuid::parse_str(input.branch.trim())
                    .map_err(|_| DomainError::invalid("branch", "required"))?;
                let found = tx
                    .find::<community_unit::Entity>()
                    .filter(community_unit::Column::Id.eq(id))
                    .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
                    .one(tx)
                    .await?;
                if found.is_none() {
                    return Err(DomainError::invalid("branch", "not_found"));
                }
                Some(id)
            }
            _ => None,
        },
    };
    // 支委会, 党小组会, 支部党员大会 and 组织生活会 are a branch's own meetings (a 党课 or
    // 主题党日 may be the whole community's).
    let branch_only = matches!(
        kind,
        ActivityKind::BranchCommittee
            | ActivityKind::GroupMeeting
            | ActivityKind::BranchAssembly
            | ActivityKind::OrgLifeMeeting
    );
    if branch_only && branch.is_none() && !for_unit {
        return Err(DomainError::invalid("branch", "required_for_meeting"));
    }
    // A branch meeting's roll is its roster: no seats to count.
    let capacity = capacity.filter(|_| branch.is_none() || !kind.is_branch_meeting());
    // A 支部书记 organises their own branch's activities, for their branch.
    if tx.branch().is_some() && branch != tx.branch() {
        return Err(DomainError::invalid("branch", "not_your_branch"));
    }
    let points = match input.points.trim() {
        "" => 0,
        n => whole("points", n, 100)? as i32,
    };
    Ok(Checked {
        kind,
        title,
        description,
        venue,
        starts_at,
        ends_at,
        capacity,
        opens,
        closes,
        audience,
        branch,
        group: group.map(|(group, _)| group),
        points,
        minutes: volunteer_minutes(&input.volunteer_hours)?,
        team: running_team(tx, kind, &input.team).await?,
    })
}

/// The building group named in the form and the grid branch it belongs to.
async fn building_group(tx: &TenantTx, group: &str) -> DomainResult<(Uuid, Uuid)> {
    let id =
        Uuid::parse_str(group.trim()).map_err(|_| DomainError::invalid("group", "required"))?;
    let found = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Id.eq(id))
        .filter(community_unit::Column::Kind.eq(PlacementKind::BuildingGroup.as_str()))
        .one(tx)
        .await?;
    let parent = found
        .and_then(|g| g.parent_id)
        .ok_or_else(|| DomainError::invalid("group", "not_found"))?;
    let branch = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Id.eq(parent))
        .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::invalid("group", "not_found"))?;
    Ok((id, branch.id))
}

/// The volunteer team named in the form, if the activity is 志愿服务 (other kinds have none).
async fn running_team(tx: &TenantTx, kind: ActivityKind, team: &str) -> DomainResult<Option<Uuid>> {
    let team = team.trim();
    if kind != ActivityKind::Volunteer || team.is_empty() {
        return Ok(None);
    }
    // The community's teams are the community's to deploy, not a paired unit's or a branch's.
    if tx.acting_unit().is_some() || tx.branch().is_some() {
        return Err(DomainError::invalid("team", "not_in_list"));
    }
    let id = Uuid::parse_str(team).map_err(|_| DomainError::invalid("team", "not_in_list"))?;
    let found = tx
        .find::<volunteer_team::Entity>()
        .filter(volunteer_team::Column::Id.eq(id))
        .one(tx)
        .await?;
    match found {
        Some(_) => Ok(Some(id)),
        None => Err(DomainError::invalid("team", "not_in_list")),
    }
}

/// Publishes an activity, or changes one that is not cancelled. Capacity may not fall below the
/// members already confirmed; raising it promotes the waitlist in order.
pub async fn save_activity(
    tx: &TenantTx,
    id: Option<Uuid>,
    input: &ActivityInput,
    now: DateTime<Utc>,
) -> DomainResult<Uuid> {
    ensure_organiser(tx)?;
    let c = check(tx, input, now).await?;
    let Some(id) = id else {
        let id = Uuid::now_v7();
        let inserted = activity::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(id),
            kind: Set(c.kind),
            title: Set(c.title),
            description: Set(c.description),
            venue: Set(c.venue),
            starts_at: Set(c.starts_at),
            ends_at: Set(c.ends_at),
            capacity: Set(c.capacity),
            signup_opens_at: Set(c.opens),
            signup_closes_at: Set(c.closes),
            audience: Set(c.audience),
            branch_id: Set(c.branch),
            points: Set(c.points),
            volunteer_minutes: Set(c.minutes),
            cancelled_at: Set(None),
            organiser_user_id: Set(tx.actor_user_id()),
            created_at: Set(now),
            confirmed_count: Set(0),
            waitlist_seq: Set(0),
            checkin_secret: Set(super::checkin::new_secret()),
            team_id: Set(c.team),
            organiser_unit_id: Set(tx.acting_unit()),
            group_id: Set(c.group),
            roll_closed_at: Set(None),
        }
        .insert_in(tx)
        .await?;
        super::record_change(tx, None, &inserted);
        super::reminders::activity_saved(tx, None, &inserted, now).await?;
        return Ok(id);
    };
    let current = lock(tx, id).await?;
    if current.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    if c.capacity.is_some_and(|cap| cap < current.confirmed_count) {
        return Err(DomainError::invalid("capacity", "below_confirmed"));
    }
    // A finished roll keeps its meeting's end too (moved later, leave could be asked again).
    let moves_roll = current.kind != c.kind
        || current.branch_id != c.branch
        || current.group_id != c.group
        || current.starts_at != c.starts_at
        || (current.roll_closed_at.is_some() && current.ends_at != c.ends_at);
    if moves_roll && super::meeting::roll_is_kept(tx, &current).await? {
        // Who was expected is on record: a different meeting is a new one.
        return Err(DomainError::invalid("activity", "roll_kept"));
    }
    let before = current.clone();
    let mut active: activity::ActiveModel = current.into();
    active.kind = Set(c.kind);
    active.group_id = Set(c.group);
    active.title = Set(c.title);
    active.description = Set(c.description);
    active.venue = Set(c.venue);
    active.starts_at = Set(c.starts_at);
    active.ends_at = Set(c.ends_at);
    active.capacity = Set(c.capacity);
    active.signup_opens_at = Set(c.opens);
    active.signup_closes_at = Set(c.closes);
    active.audience = Set(c.audience);
    active.branch_id = Set(c.branch);
    active.points = Set(c.points);
    active.volunteer_minutes = Set(c.minutes);
    active.team_id = Set(c.team);
    let saved = active.update_in(tx).await?;
    super::record_change(tx, Some(&before), &saved);
    super::reminders::activity_saved(tx, Some(&before), &saved, now).await?;
    promote_waiting(tx, &saved, now).await?;
    Ok(id)
}

/// Cancels an activity; its members then see it cancelled.
pub async fn cancel_activity(tx: &TenantTx, id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let current = lock(tx, id).await?;
    if current.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    if super::ended(&current, now) {
        return Err(DomainError::invalid("activity", "past"));
    }
    let before = current.clone();
    let mut active: activity::ActiveModel = current.into();
    active.cancelled_at = Set(Some(now));
    let cancelled = active.update_in(tx).await?;
    super::record_change(tx, Some(&before), &cancelled);
    super::reminders::activity_cancelled(tx, &cancelled, now).await
}
