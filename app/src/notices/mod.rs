//! 通知公告 and 消息 in the UI. Staff send a notice down the tree and follow who has read it
//! (`sent`, `receipts`); everyone reads what was sent to them in their message centre
//! (`inbox`), whose unread count the header shows. Writes are form posts.
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod inbox;
#[cfg(feature = "ssr")]
pub mod outgoing;
#[cfg(feature = "ssr")]
mod receipts;
#[cfg(feature = "ssr")]
mod sent;
#[cfg(feature = "ssr")]
pub mod told;
#[cfg(feature = "ssr")]
pub mod upload;

#[cfg(feature = "ssr")]
pub use fns::{
    confirm_message, remind_notice, remove_robot, save_preferences, save_robot, withdraw_notice,
};
#[cfg(feature = "ssr")]
pub use inbox::{InboxPage, MessagePage};
#[cfg(feature = "ssr")]
pub use receipts::NoticePage;
#[cfg(feature = "ssr")]
pub use sent::NoticesPage;

/// Name of the notice forms (their error comes back in the flash).
pub const NOTICE_FORM: &str = "notices";

/// What a notice form just did, as `?done=` names it, for the page to say (nothing for any
/// other value).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Published,
    Confirmed,
    Withdrawn,
}

#[cfg(feature = "ssr")]
impl Done {
    pub(crate) const ALL: [Done; 3] = [Done::Published, Done::Confirmed, Done::Withdrawn];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Done::Published => "published",
            Done::Confirmed => "confirmed",
            Done::Withdrawn => "withdrawn",
        }
    }

    pub(crate) fn from_query(query: Option<String>) -> Option<Done> {
        Done::ALL
            .into_iter()
            .find(|d| query.as_deref() == Some(d.as_str()))
    }

    /// The page's link back after it.
    pub(crate) fn on(self, page: crate::routes::Href) -> crate::routes::Href {
        page.query("done", self.as_str())
    }
}

/// Says what was just done, if anything.
#[cfg(feature = "ssr")]
#[leptos::component]
pub(crate) fn DoneNote(done: Option<Done>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let lang = crate::i18n::use_lang();
    done.map(|d| {
        let text = crate::i18n::t(lang, &format!("notices.done.{}", d.as_str()));
        view! { <p class="notice" role="status">{text}</p> }
    })
}

/// Whom a notice went to, as the sender reads it: the audience, and the branch by name.
#[cfg(feature = "ssr")]
pub(crate) fn sent_to(lang: crate::i18n::Lang, n: &domain::notices::SentNotice) -> String {
    let audience = crate::i18n::t(lang, &format!("notices.audience.{}", n.audience.as_str()));
    match &n.branch_name {
        Some(branch) => format!("{audience}（{branch}）"),
        None => audience,
    }
}

/// The page asked for in the query (`?page=`), from 1.
#[cfg(feature = "ssr")]
pub(crate) fn page_of(query: Option<String>) -> u64 {
    query
        .and_then(|p| p.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}
