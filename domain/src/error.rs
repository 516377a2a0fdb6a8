//! The one domain error type. The UI layer maps it once to HTTP status and a localised message.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DomainError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    /// `reason` is a stable code (`required`, `too_long`, …) the UI translates.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// Someone else got there first (a micro-wish already claimed); `by` names them.
    #[error("already taken by {by}")]
    Taken { by: String },
    #[error("wrong login or password")]
    BadCredentials,
    #[error("too many attempts, try later")]
    RateLimited,
    #[error("internal error")]
    Internal,
}

pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    pub fn invalid(field: &str, reason: &str) -> Self {
        DomainError::Invalid {
            field: field.to_owned(),
            reason: reason.to_owned(),
        }
    }
}

/// Database errors never leave the domain as text: they are logged and become `Internal`.
impl From<sea_orm::DbErr> for DomainError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        DomainError::Internal
    }
}
