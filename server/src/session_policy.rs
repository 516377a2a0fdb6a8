//! How long a sign-in lasts. tower-sessions writes a session (and so moves its expiry) only
//! when it changed, so an idle timeout alone would end an active user's session a fixed time
//! after login. Here a signed-in session is touched once half the idle window has passed since
//! it was last touched (not on every request: most requests write nothing), and it ends
//! `absolute` after sign-in whatever the activity.
use std::sync::Arc;

use app::state::{SIGNED_IN_AT, USER_KEY};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use tower_sessions::Session;
use uuid::Uuid;

/// When the session was last touched (Unix seconds).
const TOUCHED_AT: &str = domain::sessions::keys::TOUCHED_AT;

/// The time the policy reads (tests move it).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Clone)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
    pub clock: Clock,
}

pub async fn keep_sessions(
    State(policy): State<SessionPolicy>,
    session: Session,
    request: Request<Body>,
    next: Next,
) -> Response {
    // Build output and the health check never read the session (no store lookup for them).
    let path = request.uri().path();
    if crate::router::is_static_file(path) || path == "/healthz" {
        return next.run(request).await;
    }
    // An open page's live stream reconnects by itself every few minutes: that is not the
    // person being active, so it does not keep the session alive.
    let is_activity = !path.ends_with("/live");
    let now = (policy.clock)().timestamp();
    let signed_in = |s: &Session| {
        let s = s.clone();
        async move { s.get::<Uuid>(USER_KEY).await.ok().flatten().is_some() }
    };
    if signed_in(&session).await {
        let since: Option<i64> = session.get(SIGNED_IN_AT).await.ok().flatten();
        if since.is_some_and(|at| now - at >= policy.absolute.num_seconds()) {
            // Past the absolute lifetime: signed out before the request is served.
            let _ = session.flush().await;
        }
    }
    let response = next.run(request).await;
    if is_activity && signed_in(&session).await {
        let since: Option<i64> = session.get(SIGNED_IN_AT).await.ok().flatten();
        let touched: Option<i64> = session.get(TOUCHED_AT).await.ok().flatten();
        match (since, touched) {
            (Some(_), Some(at)) if now - at < policy.idle.num_seconds() / 2 => {}
            (Some(_), _) => {
                let _ = session.insert(TOUCHED_AT, now).await;
            }
            // Just signed in (or signed in before this policy existed).
            (None, _) => {
                let _ = session.insert(SIGNED_IN_AT, now).await;
                let _ = session.insert(TOUCHED_AT, now).await;
            }
        }
    }
    response
}
