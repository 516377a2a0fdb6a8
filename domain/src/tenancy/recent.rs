//! Values read for a request and kept a few seconds by key, forgotten at once when this process
//! changes them (the signed-in principal, the session record, a node's rolled-up figures).
//! Another process's change is seen when the value's age passes `max_age`, which bounds how
//! stale it can be anywhere. Keys fall in groups (a node's several reads), forgotten together.
use std::any::Any;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Past this many values (or groups forgotten) a cache starts again, unless made smaller.
const CAPACITY: usize = 20_000;

type Value = Arc<dyn Any + Send + Sync>;

/// A kept value with when it was kept and its weight.
type Entry = (Instant, Value, usize);

/// A key of a `Recent` cache and the group it is forgotten with.
pub(crate) trait Key: Hash + Eq {
    type Group: Hash + Eq + Clone;
    fn group(&self) -> &Self::Group;
}

impl Key for Uuid {
    type Group = Uuid;
    fn group(&self) -> &Uuid {
        self
    }
}

impl Key for String {
    type Group = String;
    fn group(&self) -> &String {
        self
    }
}

impl Key for NodeRead {
    type Group = Uuid;
    fn group(&self) -> &Uuid {
        &self.node
    }
}

/// One of a node's reads (`what`), for one viewer where it depends on who looks (their id and
/// role there), as of a day in China; forgotten with the node's other reads.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub(crate) struct NodeRead {
    pub node: Uuid,
    pub what: &'static str,
    pub whom: Option<(Uuid, crate::kinds::Role)>,
    pub day: chrono::NaiveDate,
}

/// Nodes' rolled-up figures, forgotten per node when its totals change.
pub(crate) type NodeReads = Recent<NodeRead>;

/// What a commit makes stale, per node: its pages and figures, and apart from them each
/// person's unread count there (thousands of tiny counts must not push the pages out).
#[derive(Debug)]
pub(crate) struct KeptReads {
    pub(crate) pages: NodeReads,
    pub(crate) unread: NodeReads,
}

/// Both guards of `KeptReads::forget_each_after`.
pub(crate) type ForgetBoth<'a> = (ForgetAfter<'a, NodeRead>, ForgetAfter<'a, NodeRead>);

impl KeptReads {
    pub(crate) fn with_capacity(pages: usize, unread: usize) -> Self {
        KeptReads {
            pages: NodeReads::with_capacity(pages),
            unread: NodeReads::with_capacity(unread),
        }
    }

    pub(crate) fn forget_each(&self, nodes: &[Uuid]) {
        self.pages.forget_each(nodes);
        self.unread.forget_each(nodes);
    }

    #[cfg(feature = "test-support")]
    pub(crate) fn forget_all(&self) {
        self.pages.forget_all();
        self.unread.forget_all();
    }

    /// `Recent::forget_after` on both (`None`: everything).
    pub(crate) fn forget_after(&self, nodes: Option<Vec<Uuid>>) -> ForgetBoth<'_> {
        match nodes {
            Some(nodes) => (
                self.pages.forget_each_after(nodes.clone()),
                self.unread.forget_each_after(nodes),
            ),
            None => (
                self.pages.forget_after(None),
                self.unread.forget_after(None),
            ),
        }
    }
}

pub struct Recent<K: Key> {
    inner: Mutex<Inner<K>>,
    capacity: usize,
    /// The keys being read (`read_turn`), each with the turn its readers wait for.
    reading: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

struct Inner<K: Key> {
    values: HashMap<K::Group, HashMap<K, Entry>>,
    /// The values' weights summed.
    weight: usize,
    /// Moves on every forget.
    generation: u64,
    /// The generation of each group's last forget: a value read before it is not kept after.
    forgotten: HashMap<K::Group, u64>,
    /// The generation of the last time everything was forgotten.
    floor: u64,
}

impl<K: Key> Inner<K> {
    fn start_again(&mut self) {
        self.values.clear();
        self.weight = 0;
        self.forgotten.clear();
        self.floor = self.generation;
    }
}

impl<K: Key> std::fmt::Debug for Recent<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recent")
    }
}

impl<K: Key> Default for Recent<K> {
    fn default() -> Self {
        Recent::with_capacity(CAPACITY)
    }
}

impl<K: Key> Recent<K> {
    /// A cache of at most `capacity` values of weight 1 (a node's dashboard is tens of KB; a
    /// principal a few hundred bytes), or fewer heavier ones.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Recent {
            capacity,
            reading: Mutex::new(HashMap::new()),
            inner: Mutex::new(Inner {
                values: HashMap::new(),
                weight: 0,
                generation: 0,
                forgotten: HashMap::new(),
                floor: 0,
            }),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner<K>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value kept for `key`, if it is younger than `max_age`.
    pub(crate) fn get<T: Any + Send + Sync>(&self, key: &K, max_age: Duration) -> Option<Arc<T>> {
        let mut inner = self.inner();
        let group = inner.values.get_mut(key.group())?;
        let (at, value, weight) = group.get(key)?;
        if at.elapsed() < max_age {
            return value.clone().downcast().ok();
        }
        // Too old: its weight is given back at once (it would be read anew anyway).
        let weight = *weight;
        group.remove(key);
        inner.weight -= weight;
        None
    }

    /// One read of `key` at a time: a value many ask for at once as it expires or is forgotten
    /// is read once, the others wait for that read and then find it kept. Held until dropped.
    pub(crate) async fn read_turn(&self, key: &K) -> ReadTurn<'_, K>
    where
        K: Clone,
    {
        let turn = {
            let mut reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(reading.entry(key.clone()).or_default())
        };
        let held = Arc::clone(&turn).lock_owned().await;
        ReadTurn {
            recent: self,
            key: key.clone(),
            turn,
            held: Some(held),
        }
    }

    /// Taken before reading a value from the database, and given back to `keep`.
    pub(crate) fn generation(&self) -> u64 {
        self.inner().generation
    }

    /// Keeps `value` unless its group was forgotten since it was read (`read_at`): a change
    /// committed meanwhile may not be in it.
    pub(crate) fn keep<T: Any + Send + Sync>(&self, key: K, value: Arc<T>, read_at: u64) {
        self.keep_weighing(key, value, read_at, 1);
    }

    /// `keep` for a value that counts as `weight` values against the capacity (a community's
    /// whole roster weighs as many pages as it takes memory). One heavier than the whole
    /// capacity is not kept.
    pub(crate) fn keep_weighing<T: Any + Send + Sync>(
        &self,
        key: K,
        value: Arc<T>,
        read_at: u64,
        weight: usize,
    ) {
        let mut inner = self.inner();
        let forgotten = inner.forgotten.get(key.group()).copied().unwrap_or(0);
        if inner.floor.max(forgotten) > read_at || weight > self.capacity {
            return;
        }
        let replaced = inner
            .values
            .get_mut(key.group())
            .and_then(|group| group.remove(&key));
        if let Some((_, _, old)) = replaced {
            inner.weight -= old;
        }
        if inner.weight + weight > self.capacity {
            inner.start_again();
        }
        let group = inner.values.entry(key.group().clone()).or_default();
        group.insert(key, (Instant::now(), value, weight));
        inner.weight += weight;
    }

    /// Forgets `group` (everything for `None`) when the guard is dropped. Armed before a
    /// change, it fires after the change whatever happens: committed, failed, or the request
    /// dropped while the commit was under way (which may still have committed).
    pub(crate) fn forget_after(&self, group: Option<K::Group>) -> ForgetAfter<'_, K> {
        ForgetAfter {
            recent: self,
            groups: group.map(|g| vec![g]),
        }
    }

    /// `forget_after` for several groups at once.
    pub(crate) fn forget_each_after(&self, groups: Vec<K::Group>) -> ForgetAfter<'_, K> {
        ForgetAfter {
            recent: self,
            groups: Some(groups),
        }
    }

    /// Called after a change to each of `groups` is committed.
    pub(crate) fn forget_each(&self, groups: &[K::Group]) {
        let mut inner = self.inner();
        inner.generation += 1;
        if inner.forgotten.len() + groups.len() > self.capacity {
            inner.start_again();
            return;
        }
        let generation = inner.generation;
        for group in groups {
            inner.forgotten.insert(group.clone(), generation);
            if let Some(values) = inner.values.remove(group) {
                inner.weight -= values.values().map(|(_, _, w)| w).sum::<usize>();
            }
        }
    }

    /// Called after a change to values that cannot be named one by one is committed.
    pub(crate) fn forget_all(&self) {
        let mut inner = self.inner();
        inner.generation += 1;
        inner.start_again();
    }
}

/// See `Recent::read_turn`.
pub(crate) struct ReadTurn<'a, K: Key + Clone> {
    recent: &'a Recent<K>,
    key: K,
    turn: Arc<tokio::sync::Mutex<()>>,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<K: Key + Clone> Drop for ReadTurn<'_, K> {
    fn drop(&mut self) {
        self.held.take();
        let mut reading = self
            .recent
            .reading
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Only the map's and this one's: nobody waits (a waiter holds its own), so the key is
        // no longer being read. Counted under the lock every new reader takes it under.
        if Arc::strong_count(&self.turn) == 2 {
            reading.remove(&self.key);
        }
    }
}

/// See `Recent::forget_after`.
#[must_use = "forgets when dropped: keep it until the change is made"]
pub(crate) struct ForgetAfter<'a, K: Key> {
    recent: &'a Recent<K>,
    /// None: everything.
    groups: Option<Vec<K::Group>>,
}

impl<K: Key> Drop for ForgetAfter<'_, K> {
    fn drop(&mut self) {
        match &self.groups {
            Some(groups) => self.recent.forget_each(groups),
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
        let recent = Recent::<String>::default();
        let key = "1".to_owned();
        let read_at = recent.generation();
        recent.keep(key.clone(), Arc::new("书记".to_owned()), read_at);
        assert_eq!(
            recent
                .get::<String>(&key, LONG)
                .as_deref()
                .map(String::as_str),
            Some("书记")
        );
        assert!(
            recent.get::<String>(&key, Duration::ZERO).is_none(),
            "too old"
        );
        assert!(recent.get::<u64>(&key, LONG).is_none(), "another type");
        recent.forget_each(std::slice::from_ref(&key));
        assert!(recent.get::<String>(&key, LONG).is_none());
    }

    #[test]
    fn a_value_read_before_its_change_is_not_kept_and_others_are() {
        let recent = Recent::<String>::default();
        let (one, two) = ("1".to_owned(), "2".to_owned());
        let read_at = recent.generation();
        // Another request changes the first key while this one reads both.
        recent.forget_each(std::slice::from_ref(&one));
        recent.keep(one.clone(), Arc::new(1_u8), read_at);
        recent.keep(two.clone(), Arc::new(2_u8), read_at);
        assert!(
            recent.get::<u8>(&one, LONG).is_none(),
            "read before its change"
        );
        assert!(recent.get::<u8>(&two, LONG).is_some(), "not changed");
        recent.keep(one.clone(), Arc::new(1_u8), recent.generation());
        assert!(recent.get::<u8>(&one, LONG).is_some());
        let read_at = recent.generation();
        recent.forget_all();
        assert!(recent.get::<u8>(&one, LONG).is_none());
        recent.keep(two.clone(), Arc::new(2_u8), read_at);
        assert!(
            recent.get::<u8>(&two, LONG).is_none(),
            "read before everything was forgotten"
        );
    }

    #[test]
    fn a_group_is_forgotten_with_all_its_reads() {
        let recent = NodeReads::default();
        let (street, community) = (Uuid::now_v7(), Uuid::now_v7());
        let read = |node, what| NodeRead {
            node,
            what,
            whom: None,
            day: chrono::NaiveDate::MIN,
        };
        let read_at = recent.generation();
        for node in [street, community] {
            for what in ["overview", "dashboard"] {
                recent.keep(read(node, what), Arc::new(what), read_at);
            }
        }
        recent.forget_each(&[street]);
        assert!(recent
            .get::<&str>(&read(street, "overview"), LONG)
            .is_none());
        assert!(recent
            .get::<&str>(&read(street, "dashboard"), LONG)
            .is_none());
        assert!(recent
            .get::<&str>(&read(community, "dashboard"), LONG)
            .is_some());
    }

    #[test]
    fn a_guard_forgets_when_dropped_however_its_scope_ends() {
        let recent = Recent::<Uuid>::default();
        let (one, two) = (Uuid::now_v7(), Uuid::now_v7());
        recent.keep(one, Arc::new(1_u8), recent.generation());
        recent.keep(two, Arc::new(2_u8), recent.generation());
        fn change_that_fails(recent: &Recent<Uuid>, id: Uuid) -> Result<(), ()> {
            let _forget = recent.forget_after(Some(id));
            Err(())
        }
        assert!(change_that_fails(&recent, one).is_err());
        assert!(
            recent.get::<u8>(&one, LONG).is_none(),
            "forgotten on the error path"
        );
        assert!(recent.get::<u8>(&two, LONG).is_some());
        drop(recent.forget_after(None));
        assert!(recent.get::<u8>(&two, LONG).is_none(), "everything");
    }

    #[test]
    fn starts_again_when_full() {
        let recent = Recent::<Uuid>::with_capacity(100);
        let read_at = recent.generation();
        let first = Uuid::now_v7();
        recent.keep(first, Arc::new(0_u8), read_at);
        for _ in 0..100 {
            recent.keep(Uuid::now_v7(), Arc::new(0_u8), read_at);
        }
        assert!(
            recent.get::<u8>(&first, LONG).is_none(),
            "dropped when full"
        );
        assert!(recent.inner().weight <= 100);
    }

    #[tokio::test]
    async fn a_key_is_read_by_one_at_a_time() {
        let recent = Arc::new(Recent::<Uuid>::default());
        let key = Uuid::now_v7();
        let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut readers = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (recent, reads) = (Arc::clone(&recent), Arc::clone(&reads));
            readers.spawn(async move {
                let _turn = recent.read_turn(&key).await;
                if recent.get::<u8>(&key, LONG).is_none() {
                    let read_at = recent.generation();
                    reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    recent.keep(key, Arc::new(1_u8), read_at);
                }
            });
        }
        while let Some(done) = readers.join_next().await {
            done.expect("reader");
        }
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(
            recent.reading.lock().expect("lock").is_empty(),
            "the last reader leaves nothing behind"
        );
    }

    #[test]
    fn heavy_values_count_by_their_weight() {
        let recent = Recent::<Uuid>::with_capacity(100);
        let read_at = recent.generation();
        let (light, heavy, again) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        recent.keep(light, Arc::new(0_u8), read_at);
        recent.keep_weighing(heavy, Arc::new(1_u8), read_at, 60);
        recent.keep_weighing(heavy, Arc::new(2_u8), read_at, 60);
        assert_eq!(recent.inner().weight, 61, "a value kept again weighs once");
        assert_eq!(recent.get::<u8>(&heavy, LONG).as_deref(), Some(&2));
        recent.keep_weighing(again, Arc::new(3_u8), read_at, 60);
        assert!(
            recent.get::<u8>(&light, LONG).is_none() && recent.get::<u8>(&heavy, LONG).is_none(),
            "61 + 60 is past the capacity: started again"
        );
        assert_eq!(recent.inner().weight, 60);
        recent.keep_weighing(again, Arc::new(4_u8), read_at, 70);
        assert_eq!(
            recent.get::<u8>(&again, LONG).as_deref(),
            Some(&4),
            "60 replaced by 70: within the capacity, nothing else to drop"
        );
        assert!(
            recent.get::<u8>(&again, Duration::ZERO).is_none(),
            "too old"
        );
        assert_eq!(
            recent.inner().weight,
            0,
            "a value too old gives its weight back"
        );
        recent.keep_weighing(again, Arc::new(5_u8), read_at, 60);
        recent.forget_each(&[again]);
        assert_eq!(recent.inner().weight, 0, "forgetting gives the weight back");
        recent.keep_weighing(light, Arc::new(4_u8), recent.generation(), 101);
        assert!(recent.get::<u8>(&light, LONG).is_none(), "heavier than all");
    }
}
