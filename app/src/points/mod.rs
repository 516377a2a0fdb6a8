//! 积分 in the UI: a member's own points (total, by category, every entry); for staff the
//! community's ranking by year and category, one member's ledger with adjustments and
//! reversals, and the points rules.
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub use fns::{adjust_points, freeze_year, reverse_points, set_rule};
#[cfg(feature = "ssr")]
pub use page::PointsPage;

/// Name of the points forms (their error comes back in the flash).
pub const POINTS_FORM: &str = "points";
