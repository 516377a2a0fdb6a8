//! `/metrics` for Prometheus: requests by route (count and latency), the pool's connections,
//! the background jobs' runs, how far the upper levels' totals are behind, open live pages.
//! Counters live in one registry for the process; the gauges are read when scraped.
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Instant;

use app::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

/// Distinct route labels kept, at most: past it (only a bug could get there: unknown paths
/// are one label) requests count under "(other)".
const ROUTES_MAX: usize = 1_000;

struct Metrics {
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
    jobs: Family<Labels, Counter>,
    routes: Mutex<HashSet<String>>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics {
    requests: Family::default(),
    latency: Family::new_with_constructor(|| {
        // 1 ms to ~16 s.
        Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
            0.001, 2.0, 15,
        ))
    }),
    jobs: Family::default(),
    routes: Mutex::default(),
});

/// Where the route a request matched is noted (`note_route`, inside the routing) for
/// `count_requests` (outside it, where the fallback's requests pass too).
#[derive(Clone, Default)]
struct RouteSlot(Arc<Mutex<Option<String>>>);

/// The registered server functions' paths (`/api/login`, …): only these become labels.
static SERVER_FNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect()
});

/// The route a request matched, as its pattern (`/org/{id}/members`): ids never become labels.
/// A server function is its path (`/api/login`); a name nobody registered is
/// "/api/(unknown)".
pub async fn note_route(request: Request, next: Next) -> Response {
    if let (Some(slot), Some(matched)) = (
        request.extensions().get::<RouteSlot>(),
        request.extensions().get::<MatchedPath>(),
    ) {
        let label = if matched.as_str() == "/api/{*name}" {
            let path = request.uri().path();
            if SERVER_FNS.contains(path) {
                path.to_owned()
            } else {
                "/api/(unknown)".to_owned()
            }
        } else {
            matched.as_str().to_owned()
        };
        *slot.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(label);
    }
    next.run(request).await
}

/// Counts each request under its route, method and status class, and its latency under its
/// route; requests no route matched (the icons, errors) under "(fallback)".
pub async fn count_requests(mut request: Request, next: Next) -> Response {
    let slot = RouteSlot::default();
    request.extensions_mut().insert(slot.clone());
    // A client may send any token as its method: only the usual ones become labels.
    let method = match request.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m.to_owned(),
        _ => "OTHER".to_owned(),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    let route = slot
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .unwrap_or_else(|| "(fallback)".to_owned());
    let route = if status == StatusCode::NOT_FOUND {
        "(not found)".to_owned()
    } else {
        let mut routes = METRICS
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if routes.contains(&route) || routes.len() < ROUTES_MAX {
            routes.insert(route.clone());
            route
        } else {
            "(other)".to_owned()
        }
    };
    let class = format!("{}xx", status.as_u16() / 100);
    METRICS
        .requests
        .get_or_create(&vec![
            ("route", route.clone()),
            ("method", method),
            ("status", class),
        ])
        .inc();
    METRICS
        .latency
        .get_or_create(&vec![("route", route)])
        .observe(started.elapsed().as_secs_f64());
    response
}

/// A background job's turn: `ok` or `failed`.
pub fn job_ran(job: &'static str, ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    METRICS
        .jobs
        .get_or_create(&vec![
            ("job", job.to_owned()),
            ("outcome", outcome.to_owned()),
        ])
        .inc();
}

/// Who may read `/metrics`.
#[derive(Clone)]
pub struct MetricsAccess {
    pub token: Option<String>,
    pub state: AppState,
}

/// With a token configured, a request bearing it; without, a loopback peer that no proxy
/// forwarded (nginx adds X-Forwarded-For; deploy/nginx also refuses the path outright).
fn allowed(access: &MetricsAccess, request: &Request) -> bool {
    if let Some(token) = &access.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        return constant_time_eq(given.as_bytes(), token.as_bytes());
    }
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|info| info.0.ip().is_loopback());
    loopback && !request.headers().contains_key("x-forwarded-for")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`.
pub async fn scrape(State(access): State<MetricsAccess>, request: Request) -> Response {
    if !allowed(&access, &request) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut registry = Registry::with_prefix("gongjian");
    registry.register(
        "http_requests",
        "Requests answered, by route, method and status class",
        METRICS.requests.clone(),
    );
    registry.register(
        "http_request_duration_seconds",
        "Time to the response's head, by route",
        METRICS.latency.clone(),
    );
    registry.register(
        "job_runs",
        "Background jobs' turns, by job and outcome",
        METRICS.jobs.clone(),
    );
    let gauge = |value: i64| {
        let g: Gauge = Gauge::default();
        g.set(value);
        g
    };
    let seconds = |value: f64| {
        let g: Gauge<f64, std::sync::atomic::AtomicU64> = Gauge::default();
        g.set(value);
        g
    };
    // The pool's use is kept in memory: shown even when the database's readings below wait
    // (a saturated pool is when it matters most).
    let pool = access.state.db.pool_use();
    let connections: Family<Labels, Gauge> = Family::default();
    connections
        .get_or_create(&vec![("state", "in_use".to_owned())])
        .set(i64::from(pool.in_use()));
    connections
        .get_or_create(&vec![("state", "idle".to_owned())])
        .set(i64::from(pool.idle));
    registry.register(
        "db_pool_connections",
        "The database pool's connections, in use and idle",
        connections,
    );
    registry.register(
        "db_pool_max_connections",
        "The database pool's most connections",
        gauge(i64::from(pool.max)),
    );
    // The database's readings wait at most this long: a busy pool must not cost the scrape
    // the figures kept in memory.
    let within = std::time::Duration::from_secs(4);
    match tokio::time::timeout(within, domain::operations::measure(&access.state.db)).await {
        Ok(Ok(health)) => {
            registry.register(
                "rollup_pending_deltas",
                "Deltas of the upper levels' totals waiting to be folded in",
                gauge(health.rollup.pending),
            );
            registry.register(
                "rollup_lag_seconds",
                "How long the oldest pending delta has waited",
                seconds(health.rollup.oldest_ms.unwrap_or(0) as f64 / 1000.0),
            );
            if let Some(lag) = health.replica {
                registry.register(
                    "replica_lag_bytes",
                    "The primary's log the read replica has not replayed yet",
                    gauge(lag.bytes),
                );
                registry.register(
                    "replica_lag_seconds",
                    "Since the read replica last replayed a transaction, while it is behind",
                    seconds(lag.seconds),
                );
            }
            if let Some(unplaced) = health.audit_unplaced {
                registry.register(
                    "audit_log_unplaced_rows",
                    "Audit log lines no month's partition holds (the default one's; README, retention)",
                    gauge(unplaced),
                );
            }
            if health.replica_unreachable {
                tracing::warn!("the read replica does not answer (/metrics)");
            }
        }
        Ok(Err(err)) => tracing::warn!(error = %err, "reading the service's health for /metrics"),
        Err(_) => tracing::warn!("reading the service's health for /metrics: timed out"),
    }
    registry.register(
        "live_pages",
        "Live activity pages open on this process",
        gauge(i64::try_from(access.state.watching.open()).unwrap_or(i64::MAX)),
    );
    let mut body = String::new();
    if encode(&mut body, &registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
