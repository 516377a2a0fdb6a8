//! A node's accounts page (`/org/:id/accounts`): the accounts holding the roles its staff grant
//! below them, opening one (with a one-time password shown once to hand over), giving an
//! existing login another role, revoking, deactivating, reactivating and resetting a password,
//! and the account changes in the subtree.
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub(crate) use page::button_form;
#[cfg(feature = "ssr")]
pub use page::{AccountsPage, HandoverNotice};

/// Name of the accounts forms (a refusal comes back in the flash).
pub const ACCOUNTS_FORM: &str = "accounts";
