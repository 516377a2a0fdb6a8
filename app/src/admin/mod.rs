//! A node's accounts page (`/org/:id/accounts`): the accounts holding the roles its staff grant
//! below them, opening one (with a one-time password shown once to hand over), giving an
//! existing login another role, revoking, deactivating, reactivating and resetting a password,
//! and the account changes in the subtree.
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub use page::{AccountsPage, HandoverNotice, LoginButtons};

/// A liaison's login as the street sees it on the unit's page.
#[cfg(feature = "ssr")]
pub struct LiaisonLogin {
    pub account: uuid::Uuid,
    pub active: bool,
    /// A one-time password just made by a reset, shown this once.
    pub handover: Option<crate::state::Handover>,
}

/// Name of the accounts forms (a refusal comes back in the flash).
pub const ACCOUNTS_FORM: &str = "accounts";
