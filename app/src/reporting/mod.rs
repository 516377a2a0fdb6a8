//! 双报到 in the UI: the community's posts and reports, a member's own report on their home
//! page, and the year-end feedback sheets (print and .xlsx). Writes are form posts.
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
mod feedback;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod page;
#[cfg(feature = "ssr")]
mod picker;

#[cfg(feature = "ssr")]
pub use export::feedback_xlsx;
#[cfg(feature = "ssr")]
pub use feedback::FeedbackPage;
#[cfg(feature = "ssr")]
pub use fns::{decide, report, save_post};
#[cfg(feature = "ssr")]
pub use page::ReportingPage;
#[cfg(feature = "ssr")]
pub use picker::{PostPicker, ReportSummary};

/// Name of the forms on the 双报到 pages (their error comes back in the flash).
pub const REPORTING_FORM: &str = "reporting";
