//! Values read for a request and kept a few seconds by key, forgotten at once when this process
//! changes them (the signed-in principal, the session record). Another process's change is seen
//! when the value's age passes `max_age`, which bounds how stale it can be anywhere.
use std::any::Any;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Past this many values the cache starts again.
const CAPACITY: usize = 20_000;

type Value = Arc<dyn Any + Send + Sync>;

pub struct Recent<K> {
    inner: Mutex<Inner<K>>,
}

struct Inner<K> {
    values: HashMap<K, (Instant, Value)>,
    /// Moves on every `forget`: a value read before a change is not kept after it.
    generation: u64,
}

impl<K> Default for Recent<K> {
    fn default() -> Self {
        Recent {
            inner: Mutex::new(Inner {
                values: HashMap::new(),
                generation: 0,
            }),
        }
    }
}

impl<K> std::fmt::Debug for Recent<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recent")
    }
}

impl<K: Hash + Eq> Recent<K> {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner<K>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value kept for `key`, if it is younger than `max_age`.
    pub(crate) fn get<T: Any + Send + Sync>(&self, key: &K, max_age: Duration) -> Option<Arc<T>> {
        let inner = self.inner();
        let (at, value) = inner.values.get(key)?;
        if at.elapsed() >= max_age {
            return None;
        }
        value.clone().downcast().ok()
    }

    /// Taken before reading a value from the database, and given back to `keep`.
    pub(crate) fn generation(&self) -> u64 {
        self.inner().generation
    }

    /// Keeps `value` unless something was forgotten since it was read (`read_at`): a change
    /// committed meanwhile may not be in it.
    pub(crate) fn keep<T: Any + Send + Sync>(&self, key: K, value: Arc<T>, read_at: u64) {
        let mut inner = self.inner();
        if inner.generation != read_at {
            return;
        }
        if inner.values.len() >= CAPACITY {
            inner.values.clear();
        }
        inner.values.insert(key, (Instant::now(), value));
    }

    /// Forgets `key` (everything for `None`) when the guard is dropped. Armed before a change,
    /// it fires after the change whatever happens: committed, failed, or the request dropped
    /// while the commit was under way (which may still have committed).
    pub(crate) fn forget_after(&self, key: Option<K>) -> ForgetAfter<'_, K> {
        ForgetAfter { recent: self, key }
    }

    /// Called after a change to `key` is committed.
    pub(crate) fn forget(&self, key: &K) {
        let mut inner = self.inner();
        inner.generation += 1;
        inner.values.remove(key);
    }

    /// Called after a change to values that cannot be named one by one is committed.
    pub(crate) fn forget_all(&self) {
        let mut inner = self.inner();
        inner.generation += 1;
        inner.values.clear();
    }
}

/// See `Recent::forget_after`.
#[must_use = "forgets when dropped: keep it until the change is made"]
pub(crate) struct ForgetAfter<'a, K: Hash + Eq> {
    recent: &'a Recent<K>,
    key: Option<K>,
}

impl<K: Hash + Eq> Drop for ForgetAfter<'_, K> {
    fn drop(&mut self) {
        match &self.key {
            Some(key) => self.recent.forget(key),
            None => self.recent.forget_all(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(60);

    #[test]
    fn keeps_a_value_until_it_is_forgotten_or_too_old() {
        let recent = Recent::<u32>::default();
        let read_at = recent.generation();
        recent.keep(1, Arc::new("书记".to_owned()), read_at);
        assert_eq!(
            recent
                .get::<String>(&1, LONG)
                .as_deref()
                .map(String::as_str),
            Some("书记")
        );
        assert!(
            recent.get::<String>(&1, Duration::ZERO).is_none(),
            "too old"
        );
        assert!(recent.get::<u64>(&1, LONG).is_none(), "another type");
        recent.forget(&1);
        assert!(recent.get::<String>(&1, LONG).is_none());
    }

    #[test]
    fn a_value_read_before_a_change_is_not_kept() {
        let recent = Recent::<u32>::default();
        let read_at = recent.generation();
        // Another request changes something (any key) while this one reads.
        recent.forget(&2);
        recent.keep(1, Arc::new(1_u8), read_at);
        assert!(recent.get::<u8>(&1, LONG).is_none());
        recent.keep(1, Arc::new(1_u8), recent.generation());
        assert!(recent.get::<u8>(&1, LONG).is_some());
        recent.forget_all();
        assert!(recent.get::<u8>(&1, LONG).is_none());
    }

    #[test]
    fn a_guard_forgets_when_dropped_however_its_scope_ends() {
        let recent = Recent::<u32>::default();
        recent.keep(1, Arc::new(1_u8), recent.generation());
        recent.keep(2, Arc::new(2_u8), recent.generation());
        fn change_that_fails(recent: &Recent<u32>) -> Result<(), ()> {
            let _forget = recent.forget_after(Some(1));
            Err(())
        }
        assert!(change_that_fails(&recent).is_err());
        assert!(
            recent.get::<u8>(&1, LONG).is_none(),
            "forgotten on the error path"
        );
        assert!(recent.get::<u8>(&2, LONG).is_some());
        drop(recent.forget_after(None));
        assert!(recent.get::<u8>(&2, LONG).is_none(), "everything");
    }
}
