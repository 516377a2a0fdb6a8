//! Accounts, roles, authorisation (the only builder of scopes) and login.
pub mod account;
pub mod admin;
pub mod authz;
pub mod contact;
pub mod login;
pub mod passwords;
pub mod roles;
pub mod strength;
pub mod users;

pub use authz::{NodeAccess, Principal};
pub use login::{login, logout, LoginGuard};
pub use roles::Role;
