//! What the platform operator watches (the country's accounts page, beside the channels): the
//! serving pool, how far the upper levels' totals and the read replica are behind.
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::db::{PoolUse, ReplicaLag};
use crate::error::{DomainError, DomainResult};
use crate::rollup::Lag;
use crate::Db;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub pool_open: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
    pub rollup: Lag,
    /// None: no read replica configured (or it did not answer: `replica_unreachable`).
    pub replica: Option<ReplicaLag>,
    pub replica_unreachable: bool,
}

/// How long the page waits for the replica's answer.
const REPLICA_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The service's health, for the platform operator only.
pub async fn health(db: &Db, principal: &Principal) -> DomainResult<Health> {
    if !principal.is_operator() {
        return Err(DomainError::Forbidden);
    }
    let PoolUse { open, idle, max } = db.pool_use();
    // A replica that is down is what the operator comes to see: it does not fail the page.
    let (replica, replica_unreachable) =
        match tokio::time::timeout(REPLICA_WAIT, db.replica_lag()).await {
            Ok(Ok(lag)) => (lag, false),
            Ok(Err(_)) | Err(_) => (None, true),
        };
    Ok(Health {
        pool_open: open,
        pool_idle: idle,
        pool_max: max,
        rollup: crate::rollup::lag(db).await?,
        replica,
        replica_unreachable,
    })
}
