//! What the platform operator watches (the country's accounts page, beside the channels; and
//! `/metrics`): the serving pool, how far the upper levels' totals and the read replica are
//! behind, and audit log lines that no month holds.
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::db::{PoolUse, ReplicaLag};
use crate::error::{DomainError, DomainResult};
use crate::rollup::Lag;
use crate::Db;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub pool: PoolUse,
    pub rollup: Lag,
    /// None: no read replica configured (or it did not answer: `replica_unreachable`).
    pub replica: Option<ReplicaLag>,
    pub replica_unreachable: bool,
    /// Audit log lines no month holds (PostgreSQL; counted up to 10,000; None on SQLite).
    pub audit_unplaced: Option<i64>,
    /// They could not be counted (a default partition remade by hand without the serving
    /// role's rights).
    pub audit_unreadable: bool,
}

/// How long a reading waits for the replica's answer.
const REPLICA_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The service's health, for the platform operator only.
pub async fn health(db: &Db, principal: &Principal) -> DomainResult<Health> {
    if !principal.is_operator() {
        return Err(DomainError::Forbidden);
    }
    measure(db).await
}

/// The readings themselves, for callers that authorised the reader already (`/metrics` checks
/// its token or peer). A replica that is down is what the operator comes to see: it fails
/// nothing, it is reported.
pub async fn measure(db: &Db) -> DomainResult<Health> {
    let (replica, replica_unreachable) =
        match tokio::time::timeout(REPLICA_WAIT, db.replica_lag()).await {
            Ok(Ok(lag)) => (lag, false),
            Ok(Err(_)) | Err(_) => (None, true),
        };
    let (audit_unplaced, audit_unreadable) = match crate::audit::unplaced(db).await {
        Ok(n) => (n, false),
        Err(err) => {
            tracing::warn!(error = %err, "counting unplaced audit lines");
            (None, true)
        }
    };
    Ok(Health {
        pool: db.pool_use(),
        rollup: crate::rollup::lag(db).await?,
        replica,
        replica_unreachable,
        audit_unplaced,
        audit_unreadable,
    })
}
