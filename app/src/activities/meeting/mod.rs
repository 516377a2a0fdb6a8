//! 会议记录 in the UI: a branch meeting's record page (the A4 会议记录 to print, the minutes
//! form, the roll with marks and leave to decide) and the member's 请假.
pub(crate) mod fns;
mod page;
pub mod photos;

pub use page::MeetingRecordPage;
