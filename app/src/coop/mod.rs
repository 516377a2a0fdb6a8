//! 共建单位 in the UI: the street registers units, pairs them with its communities and gives each
//! a liaison login; a community sees the units paired with it; a liaison sees their unit.
#[cfg(feature = "ssr")]
mod agreements;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod needs;
#[cfg(feature = "ssr")]
mod projects;
#[cfg(feature = "ssr")]
mod resources;
#[cfg(feature = "ssr")]
mod unit;

#[cfg(feature = "ssr")]
pub use list::UnitsPage;
#[cfg(feature = "ssr")]
pub use needs::NeedsPage;
#[cfg(feature = "ssr")]
pub use projects::ProjectsPage;
#[cfg(feature = "ssr")]
pub use unit::UnitPage;

#[cfg(feature = "ssr")]
pub use fns::{
    act_on_need, add_agreement, change_pairing, create_liaison, create_project, post_need,
    reveal_requester_phone, save_partner, save_resource, set_commitment, set_unclaimed_days,
    update_project,
};

/// Name of the forms on the unit pages (their error comes back in the flash).
pub const COOP_FORM: &str = "coop";
