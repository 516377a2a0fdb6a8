//! 活动 in the UI: the list (a member's: what they may join, with their seat or place in line;
//! staff: every activity and the publish form), one activity (join, leave, add to calendar; for
//! staff the signup list, 代报名, edit and cancel) and its `.ics`. Writes are form posts.
#[cfg(feature = "ssr")]
mod calendar;
#[cfg(feature = "ssr")]
mod code;
#[cfg(feature = "ssr")]
mod compliance;
#[cfg(feature = "ssr")]
mod feed;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod form;
#[cfg(feature = "ssr")]
mod list;
pub mod live;
#[cfg(feature = "ssr")]
pub mod meeting;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub use calendar::activity_ics;
#[cfg(feature = "ssr")]
pub use code::CheckInCodePage;
#[cfg(feature = "ssr")]
pub use compliance::CompliancePage;
#[cfg(feature = "ssr")]
pub use feed::{activity_live, Watching};
#[cfg(feature = "ssr")]
pub use fns::{
    cancel_activity, check_in, finish_attendance, mark_attendance, save_activity,
    seat_committee_member, set_cadence, sign_up, sign_up_for, unseat_committee_member, withdraw,
};
#[cfg(feature = "ssr")]
pub use list::ActivitiesPage;
#[cfg(feature = "ssr")]
pub use meeting::MeetingRecordPage;
#[cfg(feature = "ssr")]
pub use page::ActivityPage;

/// Name of the activity forms (their error comes back in the flash).
pub const ACTIVITY_FORM: &str = "activity";

/// Local time for display: `11月23日 14:30`.
#[cfg(feature = "ssr")]
pub fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&domain::clock::CHINA)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Local time for a datetime-local field.
#[cfg(feature = "ssr")]
pub(crate) fn field_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&domain::clock::CHINA)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}
