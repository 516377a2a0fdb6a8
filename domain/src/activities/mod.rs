//! 活动: a community's activities — kinds from 主题党日 to 三会一课 and 志愿服务 — with in-browser
//! signup (报名) while seats remain, then a waitlist (候补) promoted in arrival order when a
//! confirmed member cancels. Organisers are the community's staff; members sign themselves up,
//! and staff sign up members who cannot (代报名, audited).
mod calendar;
mod checkin;
mod choices;
mod committee;
mod compliance;
mod list;
mod live;
mod meeting;
mod member_list;
mod organise;
mod organiser_page;
pub(crate) mod reminders;
mod service;
mod signup;

pub use calendar::activity_ics;
pub use checkin::{
    check_in, current_code, finish_attendance, mark_attendance, Attendance, CheckIn, CheckInCode,
    CODE_SECONDS,
};
pub use choices::{choices, Choices};
pub(crate) use committee::{branch_members, committees_since, first_owed_period, lock_branch};
pub use committee::{
    branch_roster, committees, seat, unseat, Seat, SeatInput, COMMITTEE_MAX_SEATS,
    COMMITTEE_MIN_MEMBERS,
};
pub(crate) use compliance::Ledger;
pub use compliance::{
    cadences, compliance, set_cadence, BranchCompliance, GroupCompliance, KindCompliance,
    COMPLIANCE_KINDS,
};
pub(crate) use list::leave_asked;
pub use list::{
    activities, activity, organiser_list, signups, with_signups, Activity, MySignup, OrganiserList,
    SignupRow, PAST_PER_PAGE,
};
pub use live::{watcher, Live, Place, Standing, Watcher};
pub use meeting::{
    add_photos, ask_leave, decide_leave, mark_roll, may_add_photos, may_withdraw, meeting_record,
    my_roll, photo_file, remove_photo, save_minutes, withdraw_leave, MeetingRecord, Minutes,
    MinutesInput, MyRoll, NewPhoto, Photo, PhotoFile, RollEntry, MINUTES_MAX, PHOTOS_MAX,
};
pub use member_list::{member_activities, member_activity};
pub use organise::{cancel_activity, save_activity, ActivityInput};
pub use organiser_page::{organiser_page, OrganiserPage};
pub(crate) use service::{attended_in_year, service_in_year, start_of_year, Served};
pub use signup::{cancel_signup, sign_up, sign_up_for, withdraw, Enrolled};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::changes::Change;
use crate::clock::month_key;
use crate::entities::activity;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::TenantTx;

pub use crate::kinds::{ActivityKind, Audience, LeaveState, SignupState};

impl ActivityKind {
    /// What a paired unit's liaison may organise in the community: their unit's own
    /// volunteer, study and culture activities — never 三会一课 or 主题党日, which are the
    /// community's obligations (DOMAIN.md).
    pub fn unit_may_organise(self) -> bool {
        matches!(
            self,
            ActivityKind::Volunteer | ActivityKind::Study | ActivityKind::Culture
        )
    }

    /// 三会一课: the branch's organisational life.
    pub fn is_organisational_life(self) -> bool {
        matches!(
            self,
            ActivityKind::BranchAssembly
                | ActivityKind::BranchCommittee
                | ActivityKind::GroupMeeting
                | ActivityKind::PartyLesson
        )
    }

    /// 三会一课, 主题党日 and the yearly 组织生活会: held for a branch, they are its meetings,
    /// kept by roll (all but 组织生活会 are counted by the compliance rules).
    pub fn is_branch_meeting(self) -> bool {
        self.is_organisational_life()
            || matches!(self, ActivityKind::PartyDay | ActivityKind::OrgLifeMeeting)
    }
}

/// Organisers: the community's staff, a 支部书记 for their branch's activities, and the liaison
/// of a paired unit for their unit's own activities (`load` and `lock` show them no other).
pub(crate) fn ensure_organiser(tx: &TenantTx) -> DomainResult<()> {
    match (tx.acting_unit(), tx.role(), tx.branch()) {
        (Some(_), _, _) | (None, Role::BranchSecretary, Some(_)) => Ok(()),
        (None, _, _) => crate::members::ensure_staff(tx),
    }
}

/// Only the activities a paired unit runs when the organiser acts for one, and only a branch's
/// own when its 支部书记 organises.
pub(crate) fn own_unit_only(tx: &TenantTx) -> sea_orm::Condition {
    let mut only = sea_orm::Condition::all();
    if let Some(unit) = tx.acting_unit() {
        only = only.add(activity::Column::OrganiserUnitId.eq(unit));
    }
    if tx.role() == Role::BranchSecretary {
        // A role naming no branch matches nothing (`ensure_organiser` refused it already).
        let branch = tx.branch().unwrap_or_else(Uuid::nil);
        only = only
            .add(activity::Column::BranchId.eq(branch))
            .add(activity::Column::OrganiserUnitId.is_null());
    }
    only
}

/// The signups an organiser sees and marks: all of them, except that a 支部书记 sees only their
/// branch's members' (a member moved to another branch keeps the signup, which stays the
/// community staff's to handle).
pub(crate) async fn signups_in_reach(tx: &TenantTx) -> DomainResult<sea_orm::Condition> {
    use crate::entities::{activity_signup, member};
    if tx.role() != Role::BranchSecretary {
        return Ok(sea_orm::Condition::all());
    }
    let reach = crate::members::reach(tx).await?;
    let ids: Vec<Uuid> = tx
        .find::<member::Entity>()
        .filter(reach.members())
        .select_only()
        .column(member::Column::Id)
        .into_tuple()
        .all(tx)
        .await?;
    Ok(sea_orm::Condition::all().add(activity_signup::Column::MemberId.is_in(ids)))
}

pub(crate) async fn load(tx: &TenantTx, id: Uuid) -> DomainResult<activity::Model> {
    tx.find::<activity::Entity>()
        .filter(activity::Column::Id.eq(id))
        .filter(own_unit_only(tx))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Takes the activity's row lock before anything about its seats is read or changed, so every
/// signup, cancellation and capacity change of one activity runs one after the other (on
/// SQLite the write transaction already holds the database's lock).
pub(crate) async fn lock(tx: &TenantTx, id: Uuid) -> DomainResult<activity::Model> {
    let locked = tx
        .update_many::<activity::Entity>()
        .col_expr(
            activity::Column::WaitlistSeq,
            Expr::col(activity::Column::WaitlistSeq),
        )
        .filter(activity::Column::Id.eq(id))
        .filter(own_unit_only(tx))
        .exec(tx)
        .await?;
    if locked.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    // Whatever is changed under the lock, the page's live watchers re-read it after the commit.
    tx.pulse_after_commit(id);
    load(tx, id).await
}

/// Whether the activity is over (it ended) at `now`.
/// Records that an activity was published, changed (`before` as it was) or cancelled, or its
/// attendance marked: the months it is and was in, and 三会一课 if it counts toward it.
pub(crate) fn record_change(
    tx: &TenantTx,
    before: Option<&activity::Model>,
    after: &activity::Model,
) {
    let mut months = vec![month_key(after.starts_at)];
    if let Some(old) = before.map(|b| month_key(b.starts_at)) {
        if !months.contains(&old) {
            months.push(old);
        }
    }
    let org_life = before.is_some_and(counts_for_org_life) || counts_for_org_life(after);
    tx.record(Change::Activities { months, org_life });
}

/// Whether a change of this activity may move the 三会一课 counters: the community's meeting
/// of a counted kind, for a branch or (主题党日, 党课) for all (a paired unit's never counts).
fn counts_for_org_life(a: &activity::Model) -> bool {
    a.organiser_unit_id.is_none() && COMPLIANCE_KINDS.contains(&a.kind)
}

pub(crate) use crate::members::own_member;

pub(crate) fn ended(a: &activity::Model, now: DateTime<Utc>) -> bool {
    a.ends_at <= now
}
