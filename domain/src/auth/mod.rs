//! Accounts, roles, authorisation (the only builder of scopes) and login.
pub mod authz;
pub mod login;
pub mod passwords;
pub mod roles;
pub mod users;

pub use authz::{NodeAccess, Principal};
pub use login::{login, logout, LoginGuard};
pub use roles::Role;
