//! `GET /org/:id/activities/:aid/live`: the event stream of an activity's seats for its open
//! page. Authorised once as the page is (`activities::watcher`), then fed from the activity's
//! one shared feed (`activities::Live`): each watcher gets the standing with its own place,
//! only when what it would see changed. A stream lasts a few minutes (`lifetime`: the browser
//! reconnects and is authorised again, so a sign-out or a lost role is obeyed within minutes);
//! the server holds at most `max_total` streams, and one account `per_account`.
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::activities::{self, Place, Standing};
use domain::tenancy::Commit;
use tokio::sync::watch;
use tower_sessions::Session;
use uuid::Uuid;

use super::live::{Mine, Seats};
use crate::download::session_principal;
use crate::error::AppError;
use crate::state::AppState;

/// How long one stream lasts before the browser is asked to reconnect: four to six minutes,
/// at random, so streams opened together (after a restart) do not all end together.
fn lifetime() -> Duration {
    Duration::from_secs(rand::random_range(240..=360))
}
/// How soon the browser reconnects after a stream ends.
const RECONNECT: Duration = Duration::from_secs(3);

/// The streams open now, in all and per account.
#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_account: HashMap<Uuid, usize>,
}

/// The open streams: counted against the caps, all ended when the server stops.
#[derive(Debug)]
pub struct Watching {
    pub feeds: activities::Live,
    max_total: usize,
    per_account: usize,
    open: Mutex<Open>,
    closing: watch::Sender<bool>,
}

impl Watching {
    pub fn new(db: domain::Db, max_total: usize, per_account: usize) -> Watching {
        Watching {
            feeds: activities::Live::new(db),
            max_total,
            per_account,
            open: Mutex::default(),
            closing: watch::channel(false).0,
        }
    }

    /// Ends every stream (the server is stopping: they would hold its shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// How many streams are open.
    pub fn open(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }

    fn admit(self: &Arc<Self>, user: Uuid) -> Result<Slot, AppError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = open.by_account.get(&user).copied().unwrap_or(0);
        if open.total >= self.max_total || mine >= self.per_account {
            return Err(AppError::RateLimited);
        }
        open.total += 1;
        open.by_account.insert(user, mine + 1);
        Ok(Slot {
            watching: Arc::clone(self),
            user,
        })
    }
}

/// One admitted stream; its place is given back when the stream is dropped.
struct Slot {
    watching: Arc<Watching>,
    user: Uuid,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .watching
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        match open.by_account.get(&self.user).copied() {
            Some(n) if n > 1 => {
                open.by_account.insert(self.user, n - 1);
            }
            _ => {
                open.by_account.remove(&self.user);
            }
        }
    }
}

pub async fn activity_live(
    State(state): State<AppState>,
    session: Session,
    Path((node, activity)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let principal = session_principal(&state, &session).await?;
    let node = domain::validate::parse_id(&node)?;
    let activity = domain::validate::parse_id(&activity)?;
    let scope = principal.activities_scope(&state.db, node).await?;
    let tx = scope.read(&state.db).await?;
    let watcher = activities::watcher(&tx, activity, chrono::Utc::now()).await?;
    tx.commit().await?;
    let slot = state.watching.admit(principal.user_id)?;
    let stream = Stream {
        standing: state.watching.feeds.follow(&watcher),
        closing: state.watching.closing.subscribe(),
        member: watcher.member(),
        sent: None,
        ends: tokio::time::Instant::now() + lifetime(),
        _slot: slot,
    };
    let events = futures::stream::unfold(stream, Stream::next);
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response();
    let headers = response.headers_mut();
    // A member's own place: never stored; not buffered by a proxy (nginx) in front.
    headers.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    headers.insert("x-accel-buffering", http::HeaderValue::from_static("no"));
    Ok(response)
}

/// One watcher's stream.
struct Stream {
    standing: watch::Receiver<Option<Arc<Standing>>>,
    closing: watch::Receiver<bool>,
    member: Option<Uuid>,
    /// What this watcher was sent last.
    sent: Option<Seats>,
    ends: tokio::time::Instant,
    _slot: Slot,
}

impl Stream {
    /// The next event: the standing as this watcher sees it, whenever that changed; none once
    /// the stream's time is up or the server stops.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Stream)> {
        loop {
            if *self.closing.borrow() {
                return None;
            }
            let latest = self.standing.borrow_and_update().clone();
            if let Some(standing) = latest {
                let seats = seen_by(&standing, self.member);
                if self.sent != Some(seats) {
                    self.sent = Some(seats);
                    // Seats is plain numbers: it always serialises.
                    let data = serde_json::to_string(&seats).unwrap_or_default();
                    let event = Event::default().data(data).retry(RECONNECT);
                    return Some((Ok(event), self));
                }
            }
            tokio::select! {
                changed = self.standing.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                _ = self.closing.changed() => return None,
                () = tokio::time::sleep_until(self.ends) => return None,
            }
        }
    }
}

/// The standing as one watcher sees it: the counts, and a member's own place.
fn seen_by(standing: &Standing, member: Option<Uuid>) -> Seats {
    let mine = match member.and_then(|m| standing.place_of(m)) {
        None => Mine::Out,
        Some(Place::Confirmed) => Mine::Confirmed,
        Some(Place::Waitlisted(n)) => Mine::Waitlisted(n),
    };
    Seats {
        capacity: standing.capacity,
        confirmed: standing.confirmed,
        waitlisted: standing.waitlisted,
        cancelled: standing.cancelled,
        mine,
    }
}
