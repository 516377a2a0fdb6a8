//! An activity's seats as the people on its page see them, live. Every open page of one
//! activity shares one feed: after a commit that changed the activity (`lock` announces it),
//! the feed reads the seats and the line once and every page takes its own place from that
//! read, so a thousand watchers cost one query per change, not a thousand. Bursts are
//! coalesced: the feed reads at once after a change, then at most once per `GAP`, always after
//! the last change it saw.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sea_orm::ColumnTrait;
use tokio::sync::watch;
use uuid::Uuid;

use super::{load, own_member, SignupState};
use crate::entities::activity_signup;
use crate::error::DomainResult;
use crate::kinds::Role;
use crate::tenancy::{TenantScope, TenantTx};
use crate::Db;

/// The shortest time between two reads of one activity's feed.
const GAP: Duration = Duration::from_millis(100);

/// Where one member stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Confirmed,
    /// 1 = next in line.
    Waitlisted(u64),
}

/// One activity's seats and line at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    pub capacity: Option<u32>,
    pub confirmed: u32,
    pub waitlisted: u32,
    pub cancelled: bool,
    /// Every live signup's member and place.
    places: HashMap<Uuid, Place>,
}

impl Standing {
    pub fn seats_left(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.confirmed))
    }

    /// Where `member` stands (none: not signed up).
    pub fn place_of(&self, member: Uuid) -> Option<Place> {
        self.places.get(&member).copied()
    }
}

/// Proof that someone may watch an activity (built only by `watcher`): which activity of which
/// community, and whose place to show (a member's; staff see the counts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watcher {
    tenant: Uuid,
    activity: Uuid,
    member: Option<Uuid>,
}

impl Watcher {
    pub fn member(&self) -> Option<Uuid> {
        self.member
    }

    pub fn activity(&self) -> Uuid {
        self.activity
    }
}

/// The caller may watch the activity if they may open its page (`activity`'s rule: staff any
/// of theirs, a member one open to them or that they signed up for).
pub async fn watcher(
    tx: &TenantTx,
    activity: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Watcher> {
    super::activity(tx, activity, now).await?;
    let member = match tx.role() {
        Role::Member => Some(own_member(tx).await?.id),
        _ => None,
    };
    Ok(Watcher {
        tenant: tx.tenant_id(),
        activity,
        member,
    })
}

type Feed = Arc<watch::Sender<Option<Arc<Standing>>>>;

/// The feeds of the activities someone is watching; a feed ends with its last watcher.
#[derive(Clone, Debug)]
pub struct Live {
    db: Db,
    feeds: Arc<Mutex<HashMap<(Uuid, Uuid), Feed>>>,
}

impl Live {
    pub fn new(db: Db) -> Live {
        Live {
            db,
            feeds: Arc::default(),
        }
    }

    /// The activity's standing, now and after every change (`None` until the first read).
    pub fn follow(&self, watcher: &Watcher) -> watch::Receiver<Option<Arc<Standing>>> {
        let key = (watcher.tenant, watcher.activity);
        let mut feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(feed) = feeds.get(&key) {
            return feed.subscribe();
        }
        let (sender, receiver) = watch::channel(None);
        let feed = Arc::new(sender);
        feeds.insert(key, Arc::clone(&feed));
        tokio::spawn(self.clone().run(key, feed));
        receiver
    }

    /// How many activities have a feed running (tests and the benchmark).
    pub fn feeds(&self) -> usize {
        self.feeds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    async fn run(self, key: (Uuid, Uuid), feed: Feed) {
        // However the loop ends (or panics), the map does not keep a feed that no longer runs.
        let _ended = Ended {
            live: self.clone(),
            key,
            feed: Arc::clone(&feed),
        };
        // Followed before the first read, so no commit after that read goes unseen.
        let mut changed = self.db.pulses().follow(key.0, key.1);
        loop {
            match standing(&self.db, key.0, key.1).await {
                Ok(now) => {
                    feed.send_replace(Some(Arc::new(now)));
                }
                // The watchers keep what they had; the next change tries again.
                Err(err) => tracing::warn!("live seats of an activity not read: {err}"),
            }
            // The next read comes no sooner than `GAP` after this one: commits meanwhile are
            // seen together. A change after a quiet spell is read at once.
            tokio::time::sleep(GAP).await;
            tokio::select! {
                beat = changed.changed() => {
                    if beat.is_err() {
                        break;
                    }
                }
                () = feed.closed() => {
                    if self.nobody_watches(key, &feed) {
                        break;
                    }
                }
            }
        }
    }

    /// Removes the feed if nobody watches it, under the lock `follow` takes: a watcher
    /// arriving now either found it, and it runs on, or will start a new one.
    fn nobody_watches(&self, key: (Uuid, Uuid), feed: &Feed) -> bool {
        let mut feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        if feed.receiver_count() > 0 {
            return false;
        }
        if feeds.get(&key).is_some_and(|f| Arc::ptr_eq(f, feed)) {
            feeds.remove(&key);
        }
        true
    }
}

/// Removes its feed from the map when the feed's task ends (only that feed: a new one for the
/// same activity may have taken its place).
struct Ended {
    live: Live,
    key: (Uuid, Uuid),
    feed: Feed,
}

impl Drop for Ended {
    fn drop(&mut self) {
        let mut feeds = self
            .live
            .feeds
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if feeds
            .get(&self.key)
            .is_some_and(|f| Arc::ptr_eq(f, &self.feed))
        {
            feeds.remove(&self.key);
        }
    }
}

/// Reads one activity's standing as the system (the watchers were authorised by `watcher`).
async fn standing(db: &Db, tenant: Uuid, activity: Uuid) -> DomainResult<Standing> {
    let scope = TenantScope::new(tenant, Uuid::nil(), Role::CommunitySecretary);
    let tx = scope.read(db).await?;
    let row = load(&tx, activity).await?;
    let signups: Vec<(Uuid, SignupState, Option<i64>)> = tx
        .find::<activity_signup::Entity>()
        .filter(activity_signup::Column::ActivityId.eq(activity))
        .filter(activity_signup::Column::State.ne(SignupState::Cancelled.as_str()))
        .order_by_asc(activity_signup::Column::QueueNo)
        .select_only()
        .column(activity_signup::Column::MemberId)
        .column(activity_signup::Column::State)
        .column(activity_signup::Column::QueueNo)
        .into_tuple()
        .all(&tx)
        .await?;
    crate::tenancy::Commit::commit(tx).await?;
    // The counts come from the rows themselves, not the activity's counter: on PostgreSQL the
    // two statements may see different commits, and the rows must agree with each other.
    let mut places = HashMap::with_capacity(signups.len());
    let (mut seated, mut line) = (0u32, 0u64);
    for (member, state, _) in signups {
        let place = match state {
            SignupState::Waitlisted => {
                line += 1;
                Place::Waitlisted(line)
            }
            _ => {
                seated += 1;
                Place::Confirmed
            }
        };
        places.insert(member, place);
    }
    Ok(Standing {
        capacity: row.capacity.and_then(|c| u32::try_from(c).ok()),
        confirmed: seated,
        waitlisted: u32::try_from(line).unwrap_or(u32::MAX),
        cancelled: row.cancelled_at.is_some(),
        places,
    })
}
