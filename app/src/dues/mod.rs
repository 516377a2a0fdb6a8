//! 党费 in the UI: the community's dues page (summary per branch, each member's state, the
//! arrears with the six-month warning, print and .xlsx), a member's dues (assess, record, undo),
//! and the street's and district's figures without names. Writes are form posts.
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod member;
#[cfg(feature = "ssr")]
mod page;
#[cfg(feature = "ssr")]
mod totals;

#[cfg(feature = "ssr")]
pub use export::dues_xlsx;
#[cfg(feature = "ssr")]
pub use fns::{assess_dues, record_dues_payment, undo_dues_payment};
#[cfg(feature = "ssr")]
pub use member::MemberDuesPage;
#[cfg(feature = "ssr")]
pub use page::DuesPage;
#[cfg(feature = "ssr")]
pub use totals::DuesTotalsPage;

/// Name of the forms on the dues pages (their error comes back in the flash).
pub const DUES_FORM: &str = "dues";

/// Fen as yuan with two decimals (`1234` → `12.34`).
pub fn yuan(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The month asked for in the address (`?month=2026-11`), or this one.
#[cfg(feature = "ssr")]
pub(crate) fn month_param(value: Option<String>) -> chrono::NaiveDate {
    let today = domain::clock::today();
    value
        .and_then(|v| domain::dues::parse_month("month", &v, today).ok())
        .unwrap_or(today)
}
