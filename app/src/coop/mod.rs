//! 共建单位 in the UI: the street registers units, pairs them with its communities and gives each
//! a liaison login; a community sees the units paired with it; a liaison sees their unit.
#[cfg(feature = "ssr")]
mod agreements;
#[cfg(feature = "ssr")]
mod list;
mod need_fns;
#[cfg(feature = "ssr")]
mod needs;
mod project_fns;
#[cfg(feature = "ssr")]
mod projects;
#[cfg(feature = "ssr")]
mod resources;
#[cfg(feature = "ssr")]
mod unit;
mod unit_fns;

#[cfg(feature = "ssr")]
pub use list::UnitsPage;
#[cfg(feature = "ssr")]
pub use needs::NeedsPage;
#[cfg(feature = "ssr")]
pub use projects::ProjectsPage;
#[cfg(feature = "ssr")]
pub use unit::UnitPage;

pub use need_fns::{act_on_need, post_need, reveal_requester_phone, set_unclaimed_days};
pub use project_fns::{create_project, update_project};
pub use unit_fns::{
    add_agreement, change_pairing, create_liaison, save_resource, save_unit, set_commitment,
};

/// Name of the forms on the unit pages (their error comes back in the flash).
pub const COOP_FORM: &str = "coop";

/// The caller's scope on the co-construction space of the street `node` is or belongs to, and
/// the node's id.
#[cfg(feature = "ssr")]
pub(crate) async fn coop_scope(
    node: &str,
) -> Result<(crate::state::AppState, domain::coop::CoopScope, uuid::Uuid), crate::error::AppError> {
    use crate::error::fail;
    let state = crate::state::app_state()?;
    let principal = crate::state::principal().await?;
    let id = domain::validate::parse_id(node).map_err(fail)?;
    let scope = principal.coop_scope(&state.db, id).await.map_err(fail)?;
    Ok((state, scope, id))
}
