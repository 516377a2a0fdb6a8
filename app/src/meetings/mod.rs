//! 联席会议 in the UI: the meetings list and plan form, one meeting's page (invitees and sign-in,
//! agenda, resolutions, minutes), its print views (minutes, sign-in sheet) and the follow-up
//! page (督办 / 交办任务). Writes are form posts to the endpoints in `fns`.
#[cfg(feature = "ssr")]
mod agenda;
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod followup;
#[cfg(feature = "ssr")]
mod invitees;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod page;
#[cfg(feature = "ssr")]
mod print;
#[cfg(feature = "ssr")]
mod resolution;

#[cfg(feature = "ssr")]
pub use export::meetings_xlsx;
#[cfg(feature = "ssr")]
pub use followup::ResolutionsPage;
#[cfg(feature = "ssr")]
pub use list::MeetingsPage;
#[cfg(feature = "ssr")]
pub use page::MeetingPage;
#[cfg(feature = "ssr")]
pub use print::{MinutesPrintPage, SignInSheetPage};
#[cfg(feature = "ssr")]
pub use resolution::ResolutionTable;

#[cfg(feature = "ssr")]
pub use fns::{
    act_on_resolution, add_resolution, invite, propose_item, record_minutes, remove_item,
    save_meeting, sign_in, uninvite,
};

/// The meeting's name at the viewer's level, for headings.
#[cfg(feature = "ssr")]
pub(crate) fn level_title(viewer: domain::coop::Viewer) -> &'static str {
    match viewer {
        domain::coop::Viewer::Street => "meetings.street_title",
        domain::coop::Viewer::Community(_) => "meetings.community_title",
        domain::coop::Viewer::Unit(_) => "meetings.title",
    }
}
