//! The signed-in person's own account (`/account`): choosing their password, which a one-time
//! password forces at first login, and seeing and ending their sessions on other devices.
#[cfg(feature = "ssr")]
pub mod codes;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod page;

#[cfg(feature = "ssr")]
pub use page::AccountPage;
