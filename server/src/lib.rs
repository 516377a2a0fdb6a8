#![recursion_limit = "512"]
//! The axum server: configuration, the router with its security layers, and CLI sub-commands.
#![deny(clippy::unwrap_used, clippy::expect_used)]
pub mod backup;
pub mod channels;
pub mod cli;
pub mod config;
pub mod metrics;
pub mod request_ids;
pub mod router;
pub mod security;
pub mod session_policy;
