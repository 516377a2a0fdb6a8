//! Change notices for what open pages follow live (an activity's seats). A write names what it
//! changed on its transaction (`TenantTx::pulse_after_commit`); once the transaction has
//! committed, the followers of that (tenant, key) see their counter move and read the new state
//! themselves. A notice carries no data, so following one reveals nothing: what is read after it
//! is authorised as any read is. In-process only (one server process per database).
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use tokio::sync::watch;
use uuid::Uuid;

/// Keys nobody follows any more are dropped when the map has grown past this (and then past
/// twice what was left), so a follow does not scan the map each time.
const PRUNE_FROM: usize = 1024;

#[derive(Debug, Default)]
pub struct Pulses {
    keys: Mutex<Keys>,
}

#[derive(Debug, Default)]
struct Keys {
    beats: HashMap<(Uuid, Uuid), watch::Sender<u64>>,
    prune_at: usize,
}

impl Pulses {
    /// A counter that moves after every commit that changed `key` in `tenant`.
    pub(crate) fn follow(&self, tenant: Uuid, key: Uuid) -> watch::Receiver<u64> {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if keys.beats.len() >= keys.prune_at.max(PRUNE_FROM) {
            keys.beats.retain(|_, beat| beat.receiver_count() > 0);
            keys.prune_at = 2 * keys.beats.len();
        }
        keys.beats
            .entry((tenant, key))
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    /// `key` in `tenant` changed (its transaction has committed).
    pub(super) fn beat(&self, tenant: Uuid, key: Uuid) {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(beat) = keys.beats.get(&(tenant, key)) {
            if beat.receiver_count() == 0 {
                keys.beats.remove(&(tenant, key));
            } else {
                beat.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
    }
}
