//! 签到: at the venue the organiser shows a six-digit code that changes every 30 seconds (and a
//! QR code of it); a member signed up types or scans it within the activity's time. Five wrong
//! codes lock that member's check-in for ten minutes. The organiser can also mark attendance by
//! hand, and after the activity records everyone not checked in as absent. Points follow
//! verified attendance only; a corrected mark reverses what the old one earned.
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, Set};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use super::{ensure_organiser, load, own_member, SignupState};
use crate::entities::{activity, activity_signup, member};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{LeaveState, PartyRelation};
use crate::points::{self, PointsCategory, Rule};
use crate::tenancy::{Row, TenantTx};

/// How long one code is shown.
pub const CODE_SECONDS: i64 = 30;
/// Check-in opens this long before the start.
pub(crate) const OPENS_BEFORE_MINUTES: i64 = 30;
const MAX_FAILURES: i32 = 5;
const LOCK_MINUTES: i64 = 10;

pub use crate::kinds::Attendance;

pub(crate) fn new_secret() -> String {
    rand::random::<[u8; 32]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn code_for(secret: &str, activity: Uuid, window: i64) -> String {
    // The key is never empty here (see `secret_of`), so the MAC always builds.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(activity.as_bytes());
    mac.update(&window.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 1_000_000;
    format!("{n:06}")
}

fn window(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(CODE_SECONDS)
}

/// The activity's key: made with the activity (those from before check-in got theirs in
/// migration 47), so showing the code only reads. None would be a broken row, not a guess.
fn secret_of(a: &activity::Model) -> DomainResult<&str> {
    if a.checkin_secret.is_empty() {
        tracing::error!(activity = %a.id, "an activity without its check-in key");
        return Err(DomainError::Internal);
    }
    Ok(&a.checkin_secret)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInCode {
    pub code: String,
    pub valid_until: DateTime<Utc>,
}

fn check_window(a: &activity::Model, now: DateTime<Utc>) -> DomainResult<()> {
    if a.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    if now + Duration::minutes(OPENS_BEFORE_MINUTES) < a.starts_at {
        return Err(DomainError::invalid("check_in", "not_open"));
    }
    if now > a.ends_at {
        return Err(DomainError::invalid("check_in", "closed"));
    }
    Ok(())
}

/// The code to show now (the organiser), during the check-in window.
pub async fn current_code(
    tx: &TenantTx,
    activity_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<CheckInCode> {
    ensure_organiser(tx)?;
    let a = load(tx, activity_id).await?;
    check_window(&a, now)?;
    let secret = secret_of(&a)?;
    let w = window(now);
    Ok(CheckInCode {
        code: code_for(secret, a.id, w),
        valid_until: DateTime::from_timestamp((w + 1) * CODE_SECONDS, 0).unwrap_or(now),
    })
}

/// What a check-in attempt came to. A wrong code is counted (and so committed), not an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckIn {
    Done,
    WrongCode { attempts_left: i32 },
    Locked { until: DateTime<Utc> },
}

/// A member checks in with the code on the screen (the current or the one just before).
pub async fn check_in(
    tx: &TenantTx,
    activity_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> DomainResult<CheckIn> {
    let me = own_member(tx).await?;
    let mut a = load(tx, activity_id).await?;
    check_window(&a, now)?;
    if super::meeting::is_meeting(&a) {
        // Those on a meeting's roll check in without signing up: their roll row is made here,
        // under the meeting's lock (as its marks and finishing are).
        a = super::lock(tx, activity_id).await?;
        super::meeting::roll_row(tx, &a, me.id, now).await?;
    }
    // Two taps of "check in" queue here; the second then sees the first's mark.
    lock_signups(
        tx,
        Condition::all()
            .add(activity_signup::Column::ActivityId.eq(activity_id))
            .add(activity_signup::Column::MemberId.eq(me.id)),
    )
    .await?;
    let signup = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::MemberId.eq(me.id))
        .filter(activity_signup::Column::State.eq(SignupState::Confirmed.as_str()))
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::invalid("check_in", "not_signed_up"))?;
    if signup.attendance == Some(Attendance::Attended) {
        return Ok(CheckIn::Done);
    }
    if let Some(until) = signup.checkin_locked_until.filter(|u| *u > now) {
        return Ok(CheckIn::Locked { until });
    }
    let secret = secret_of(&a)?;
    let typed = code.trim();
    let w = window(now);
    let right = !typed.is_empty()
        && [w, w - 1]
            .iter()
            .any(|w| code_for(secret, a.id, *w) == typed);
    if !right {
        let failures = signup.checkin_failures + 1;
        let mut active: activity_signup::ActiveModel = signup.into();
        if failures >= MAX_FAILURES {
            let until = now + Duration::minutes(LOCK_MINUTES);
            active.checkin_failures = Set(0);
            active.checkin_locked_until = Set(Some(until));
            active.update_in(tx).await?;
            return Ok(CheckIn::Locked { until });
        }
        active.checkin_failures = Set(failures);
        active.update_in(tx).await?;
        return Ok(CheckIn::WrongCode {
            attempts_left: MAX_FAILURES - failures,
        });
    }
    record_mark(tx, &a, signup, Attendance::Attended, now).await?;
    Ok(CheckIn::Done)
}

/// The organiser marks a confirmed signup by hand, from the activity's start on.
pub async fn mark_attendance(
    tx: &TenantTx,
    signup_id: Uuid,
    mark: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let mark =
        Attendance::parse(mark).ok_or_else(|| DomainError::invalid("attendance", "not_in_list"))?;
    let found = tx
        .find::<activity_signup::Entity>()
        .filter(super::signups_in_reach(tx).await?)
        .filter(activity_signup::Column::Id.eq(signup_id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    let of = load(tx, found.activity_id).await?;
    if super::meeting::is_meeting(&of) {
        // A meeting's rows are marked under the meeting's lock, the order finishing takes.
        return super::meeting::mark_roll(tx, of.id, found.member_id, mark.as_str(), now).await;
    }
    lock_signups(
        tx,
        Condition::all().add(activity_signup::Column::Id.eq(signup_id)),
    )
    .await?;
    let signup = tx
        .find::<activity_signup::Entity>()
        .filter(super::signups_in_reach(tx).await?)
        .filter(activity_signup::Column::Id.eq(signup_id))
        .filter(activity_signup::Column::State.eq(SignupState::Confirmed.as_str()))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    let a = load(tx, signup.activity_id).await?;
    if now < a.starts_at {
        return Err(DomainError::invalid("attendance", "before_activity"));
    }
    if signup.attendance == Some(mark) {
        return Ok(());
    }
    record_mark(tx, &a, signup, mark, now).await
}

/// Takes the write lock of the matching signups for the rest of the transaction (a no-op
/// update), so a mark is read and changed by one transaction at a time.
async fn lock_signups(tx: &TenantTx, which: Condition) -> DomainResult<()> {
    tx.update_many::<activity_signup::Entity>()
        .col_expr(
            activity_signup::Column::CheckinFailures,
            Expr::col(activity_signup::Column::CheckinFailures),
        )
        .filter(which)
        .exec(tx)
        .await?;
    Ok(())
}

/// After the activity: everyone confirmed and not marked is recorded absent. For a meeting,
/// everyone on its roll: 请假 if their leave was approved, else 缺席 (leave still undecided is
/// decided first).
pub async fn finish_attendance(
    tx: &TenantTx,
    activity_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    ensure_organiser(tx)?;
    let a = load(tx, activity_id).await?;
    if now < a.ends_at {
        return Err(DomainError::invalid("attendance", "before_end"));
    }
    if super::meeting::is_meeting(&a) {
        return finish_roll(tx, activity_id, now).await;
    }
    let open = tx
        .find::<activity_signup::Entity>()
        .filter(super::signups_in_reach(tx).await?)
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::State.eq(SignupState::Confirmed.as_str()))
        .filter(activity_signup::Column::Attendance.is_null())
        .all(tx)
        .await?;
    let n = open.len();
    for signup in open {
        record_mark(tx, &a, signup, Attendance::NoShow, now).await?;
    }
    Ok(n)
}

async fn finish_roll(tx: &TenantTx, activity_id: Uuid, now: DateTime<Utc>) -> DomainResult<usize> {
    let a = super::lock(tx, activity_id).await?;
    let roll = super::meeting::sync_roll(tx, &a, now).await?;
    let open: Vec<_> = roll
        .into_iter()
        .filter(|r| r.attendance.is_none())
        .collect();
    // Leave asked by someone since marked (they came after all) waits on nobody.
    if open
        .iter()
        .any(|r| r.leave_state == Some(LeaveState::Asked))
    {
        return Err(DomainError::invalid("attendance", "leave_pending"));
    }
    let n = open.len();
    for row in open {
        let mark = match row.leave_state {
            Some(LeaveState::Approved) => Attendance::Excused,
            _ => Attendance::NoShow,
        };
        record_mark(tx, &a, row, mark, now).await?;
    }
    // From now on the record is these rows, whatever the roster becomes.
    if a.roll_closed_at.is_none() {
        let mut closed: activity::ActiveModel = a.into();
        closed.roll_closed_at = Set(Some(now));
        closed.update_in(tx).await?;
    }
    Ok(n)
}

/// Whether missing the activity costs the member: only the community's own 三会一课 are
/// obligations (a unit's activity never costs), and only for its own members (a 报到党员
/// keeps theirs at their employer).
async fn owes_it(tx: &TenantTx, a: &activity::Model, member_id: Uuid) -> DomainResult<bool> {
    if !a.kind.is_organisational_life() || a.organiser_unit_id.is_some() {
        return Ok(false);
    }
    let reporting = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .filter(member::Column::Relation.eq(PartyRelation::Reporting.as_str()))
        .one(tx)
        .await?;
    Ok(reporting.is_none())
}

/// Sets the mark and settles the points: what an earlier mark earned is reversed, attending
/// earns the activity's points (and volunteer hours by the rule), an unexcused absence from
/// 三会一课 costs the absence rule.
pub(in crate::activities) async fn record_mark(
    tx: &TenantTx,
    a: &activity::Model,
    signup: activity_signup::Model,
    mark: Attendance,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let (id, member) = (signup.id, signup.member_id);
    if signup.attendance.is_some() {
        points::reverse_signup(tx, id, &format!("更正签到：{}", a.title), now).await?;
    }
    let mut active: activity_signup::ActiveModel = signup.into();
    active.attendance = Set(Some(mark));
    active.checked_in_at = Set((mark == Attendance::Attended).then_some(now));
    active.update_in(tx).await?;
    tx.record(crate::changes::Change::Activities {
        months: vec![crate::clock::month_key(a.starts_at)],
        org_life: false,
    });
    let kind = a.kind;
    let absence_costs = mark == Attendance::NoShow && owes_it(tx, a, member).await?;
    match mark {
        Attendance::Attended => {
            if a.points > 0 {
                let reason = format!("参加{}：{}", kind.label(), a.title);
                points::credit(
                    tx,
                    member,
                    PointsCategory::Attendance,
                    a.points,
                    &reason,
                    Some(id),
                    now,
                )
                .await?;
            }
            if a.volunteer_minutes > 0 {
                let per_hour = points::rule_points(tx, Rule::VolunteerHour).await?;
                let earned = (i64::from(a.volunteer_minutes) * i64::from(per_hour) + 30) / 60;
                if earned > 0 {
                    let reason = format!(
                        "志愿服务 {:.1} 小时：{}",
                        f64::from(a.volunteer_minutes) / 60.0,
                        a.title
                    );
                    points::credit(
                        tx,
                        member,
                        PointsCategory::Volunteer,
                        earned as i32,
                        &reason,
                        Some(id),
                        now,
                    )
                    .await?;
                }
            }
        }
        Attendance::NoShow if absence_costs => {
            let cost = points::rule_points(tx, Rule::Absence).await?;
            if cost > 0 {
                let reason = format!("无故缺席{}：{}", kind.label(), a.title);
                points::credit(
                    tx,
                    member,
                    PointsCategory::Absence,
                    -cost,
                    &reason,
                    Some(id),
                    now,
                )
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}
