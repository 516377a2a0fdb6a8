//! 活动 in the UI: the list (a member's: what they may join, with their seat or place in line;
//! staff: every activity and the publish form), one activity (join, leave, add to calendar; for
//! staff the signup list, 代报名, edit and cancel) and its `.ics`. Writes are form posts.
#[cfg(feature = "ssr")]
mod calendar;
#[cfg(feature = "ssr")]
mod code;
#[cfg(feature = "ssr")]
mod compliance;
mod fns;
#[cfg(feature = "ssr")]
mod form;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub use calendar::activity_ics;
#[cfg(feature = "ssr")]
pub use code::CheckInCodePage;
#[cfg(feature = "ssr")]
pub use compliance::CompliancePage;
#[cfg(feature = "ssr")]
pub(crate) use fns::on_community;
pub use fns::{
    cancel_activity, check_in, finish_attendance, mark_attendance, save_activity, set_cadence,
    sign_up, sign_up_for, withdraw,
};
#[cfg(feature = "ssr")]
pub use list::ActivitiesPage;
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

/// The caller's scope on the community `node` (staff, member, or a paired unit's liaison —
/// the domain decides what each may do) and the node's id.
#[cfg(feature = "ssr")]
pub async fn activity_scope(
    node: &str,
) -> Result<
    (
        crate::state::AppState,
        domain::tenancy::TenantScope,
        uuid::Uuid,
    ),
    crate::error::AppError,
> {
    use crate::error::fail;
    let state = crate::state::app_state()?;
    let principal = crate::state::principal().await?;
    let id = domain::validate::parse_id(node).map_err(fail)?;
    let scope = principal
        .activities_scope(&state.db, id)
        .await
        .map_err(fail)?;
    Ok((state, scope, id))
}
