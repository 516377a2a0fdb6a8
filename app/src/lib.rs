//! The Leptos UI. Pages are rendered on the server (islands mode); only the `islands` module is
//! shipped to the browser as wasm. Server functions are thin adapters over `domain`.
#![recursion_limit = "512"]
#![deny(clippy::unwrap_used, clippy::expect_used)]

rust_i18n::i18n!("locales", fallback = "zh-CN");

pub mod account;
pub mod activities;
pub mod admin;
pub mod auth;
pub mod coop;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod download;
pub mod dues;
pub mod error;
#[cfg(feature = "ssr")]
pub mod form;
pub mod i18n;
pub mod islands;
pub mod meetings;
pub mod members;
pub mod notices;
pub mod reviews;

pub mod org;
#[cfg(feature = "ssr")]
pub mod page;
pub mod points;
pub mod reporting;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod shell;
#[cfg(feature = "ssr")]
pub mod state;
pub mod volunteers;

#[cfg(feature = "ssr")]
pub use shell::{shell, App};
