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

/// Database errors never leave the domain as text: they are logged and become `Internal` —
/// except a write that lost a race to another at the same moment, which is a `Conflict` the
/// person is told to reload and try again (its transaction is rolled back whole).
impl From<sea_orm::DbErr> for DomainError {
    fn from(err: sea_orm::DbErr) -> Self {
        if lost_a_race(&err) {
            tracing::warn!(error = %err, "a transaction lost a race with another (conflict)");
            return DomainError::Conflict("changed_meanwhile".into());
        }
        tracing::error!(error = %err, "database error");
        DomainError::Internal
    }
}

/// A unique key another transaction took first, or (PostgreSQL) a deadlock or serialization
/// failure between two transactions.
fn lost_a_race(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, SqlErr};
    if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return true;
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    match &**e {
        sea_orm::sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("40001" | "40P01"))
        }
        _ => false,
    }
}
