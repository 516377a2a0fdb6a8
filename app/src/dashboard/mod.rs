//! 党建统筹: the dashboard of a street, a district (or any node above a community) and, at the
//! bottom, a community — rolled-up figures only, charts drawn on the server with tables beside
//! them, the children ranked by a chosen figure with those behind highlighted, and each child
//! one click further down.
#[cfg(feature = "ssr")]
mod charts;
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub use export::dashboard_xlsx;
#[cfg(feature = "ssr")]
pub use page::DashboardPage;
