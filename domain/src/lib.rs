//! The server-only core of gongjian: entities, tenancy, authorisation, the org tree,
//! rollups and the audit log. Everything here can be called from a test without HTTP.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#[macro_use]
mod code_enum;

pub mod activities;
pub mod audit;
pub mod auth;
pub mod changes;
pub mod clock;
pub mod collate;
pub mod coop;
pub mod demo;
pub mod divisions;
pub mod dues;
pub mod entities;
pub mod error;
pub mod file_sweep;
pub mod files;
pub mod kinds;
pub mod members;
pub mod notices;
pub mod operations;
pub mod org;
pub mod outbound;
pub mod overview;
pub mod points;
pub mod reminders;
pub mod reporting;
pub mod reviews;
pub mod rollup;
pub mod sessions;
pub mod tenancy;
#[cfg(feature = "test-support")]
pub mod testing;
pub(crate) mod text_search;
pub mod validate;
pub mod volunteers;
pub mod workbench;

pub use error::{DomainError, DomainResult};
pub use tenancy::db;
pub use tenancy::db::Db;
