//! 通知公告 and 消息 in the UI. Staff send a notice down the tree and follow who has read it
//! (`sent`, `receipts`); everyone reads what was sent to them in their message centre
//! (`inbox`), whose unread count the header shows. Writes are form posts.
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod inbox;
#[cfg(feature = "ssr")]
mod receipts;
#[cfg(feature = "ssr")]
mod sent;

#[cfg(feature = "ssr")]
pub use fns::{confirm_message, publish_notice, remind_notice, withdraw_notice};
#[cfg(feature = "ssr")]
pub use inbox::{InboxPage, MessagePage};
#[cfg(feature = "ssr")]
pub use receipts::NoticePage;
#[cfg(feature = "ssr")]
pub use sent::NoticesPage;

/// Name of the notice forms (their error comes back in the flash).
pub const NOTICE_FORM: &str = "notices";

/// The page asked for in the query (`?page=`), from 1.
#[cfg(feature = "ssr")]
pub(crate) fn page_of(query: Option<String>) -> u64 {
    query
        .and_then(|p| p.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}
