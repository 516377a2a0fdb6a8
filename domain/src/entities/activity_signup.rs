use sea_orm::entity::prelude::*;

tenant_model! {
    /// A member's signup (报名) for an activity: confirmed, waitlisted (候补, in `queue_no` order)
    /// or cancelled.
    "activity_signups" {
        pub activity_id: Uuid,
        pub member_id: Uuid,
        pub state: crate::kinds::SignupState,
        pub queue_no: Option<i64>,
        pub signed_up_at: DateTimeUtc,
        pub promoted_at: Option<DateTimeUtc>,
        pub cancelled_at: Option<DateTimeUtc>,
        /// The staff member who signed them up (代报名).
        pub on_behalf_by: Option<Uuid>,
        /// `attended`, `no_show` or `excused`; none until checked in or marked.
        pub attendance: Option<crate::kinds::Attendance>,
        pub checked_in_at: Option<DateTimeUtc>,
        /// Wrong codes typed since the last lock (the rate limit).
        pub checkin_failures: i32,
        pub checkin_locked_until: Option<DateTimeUtc>,
        /// 请假 from a branch meeting: asked, approved or refused (none: not asked).
        pub leave_state: Option<crate::kinds::LeaveState>,
        pub leave_reason: Option<String>,
        pub leave_asked_at: Option<DateTimeUtc>,
        pub leave_decided_by: Option<Uuid>,
    }
}
