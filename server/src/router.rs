//! The HTTP surface: pages, server functions, /healthz and static files, wrapped in the session,
//! origin and body-size layers.
use std::sync::Arc;

use app::activities::meeting::photos::PHOTO_UPLOAD_LIMIT;
use app::members::IMPORT_LIMIT_BYTES;
use app::notices::upload::NOTICE_UPLOAD_LIMIT;
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;

use axum::extract::{DefaultBodyLimit, Request};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use domain::auth::LoginGuard;
use domain::sessions::DbSessionStore;
use domain::Db;
use http::StatusCode;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{Key, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;
use crate::security::{
    check_origin, limit_logins, security_headers, HeaderPolicy, LoginLimit, OriginPolicy,
};
use crate::session_policy::{keep_sessions, system_clock, Clock, SessionPolicy};

/// Request bodies above this are refused with 413.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;
pub const SESSION_COOKIE: &str = "gongjian_session";

/// The files of `public/`: the icons and the web app manifest.
const PUBLIC_FILES: [&str; 4] = [
    "/favicon.svg",
    "/manifest.webmanifest",
    "/icon-192.png",
    "/icon-512.png",
];

/// Build output and static files: no personal data, cacheable, no session needed.
pub fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || PUBLIC_FILES.contains(&path)
}

/// A build file named with its content hash (`gongjian.<hash>.css`, cargo-leptos `hash-files`):
/// a new build has new names, so a browser may keep this one for good.
pub fn is_hashed_build_file(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    matches!(parts.as_slice(), [stem, hash, _ext]
        if !stem.is_empty()
            && hash.len() >= 16
            && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// cargo-leptos writes `hash.txt` beside the server binary when it names build files by
/// their hash; pages then link those names.
fn build_files_hashed() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file()))
        .unwrap_or(false)
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("gongjian")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(build_files_hashed())
        .env(if config.is_production() {
            leptos::config::Env::PROD
        } else {
            leptos::config::Env::DEV
        })
        .build()
}

/// Lets the process hold as many open files (connections) as the system allows it: a soft
/// limit of 1,024 would let a few hundred open live pages stop the server accepting anyone.
pub fn raise_open_files_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!("open files limit: {limit}"),
        Err(err) => tracing::warn!("open files limit not raised: {err}"),
    }
}

/// Live streams the server keeps at most: as configured, and never more than half the open
/// files the process may hold (the rest is for pages, the database and the files it serves).
fn live_streams_cap(config: &Config) -> usize {
    let files = rlimit::getrlimit(rlimit::Resource::NOFILE)
        .map(|(soft, _)| usize::try_from(soft).unwrap_or(usize::MAX))
        .unwrap_or(1024);
    config.live_streams.min(files / 2)
}

pub fn app_state(config: &Config, db: Db) -> AppState {
    AppState {
        db: db.clone(),
        login_guard: Arc::new(LoginGuard::new(config.login_attempts_per_minute)),
        proxy_hops: config.proxy_hops(),
        imports: Arc::default(),
        public_origin: config.public_origin.clone(),
        watching: Arc::new(app::activities::Watching::new(
            db,
            live_streams_cap(config),
            config.live_streams_per_account,
        )),
        // The same channels the outbox sends through (`main` refuses to start if they fail).
        codes: crate::channels::Channels::from_config(config)
            .ok()
            .map(|c| Arc::new(c) as Arc<dyn app::account::codes::SendsCodes>),
    }
}

pub fn build(config: &Config, state: AppState) -> Result<Router, String> {
    build_with_clock(config, state, system_clock())
}

/// `build` with the clock the session policy reads (tests move it).
pub fn build_with_clock(config: &Config, state: AppState, clock: Clock) -> Result<Router, String> {
    let options = leptos_options(config);
    let key = Key::try_from(config.session_key()?.as_slice()).map_err(|e| e.to_string())?;
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_production())
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            config.session_idle_minutes,
        )))
        .with_signed(key);
    let state_guard = state.login_guard.clone();
    let routes = generate_route_list(App);
    let pages = pages_and_functions(&options, state.clone(), routes)
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES));
    let uploads = roster_uploads(state.clone())
        .layer(DefaultBodyLimit::max(IMPORT_LIMIT_BYTES))
        .layer(RequestBodyLimitLayer::new(IMPORT_LIMIT_BYTES));
    let notice_uploads = notice_uploads(state.clone())
        .layer(DefaultBodyLimit::max(NOTICE_UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(NOTICE_UPLOAD_LIMIT));
    let metrics_access = crate::metrics::MetricsAccess {
        token: config.metrics_token.clone(),
        state: state.clone(),
    };
    let photo_uploads = photo_uploads(state)
        .layer(DefaultBodyLimit::max(PHOTO_UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(PHOTO_UPLOAD_LIMIT));
    let metrics = Router::new()
        .route("/metrics", get(crate::metrics::scrape))
        .with_state(metrics_access);
    let router = pages
        .merge(uploads)
        .merge(notice_uploads)
        .merge(photo_uploads)
        .merge(metrics)
        .nest_service("/pkg", build_files(config))
        .route_layer(axum::middleware::from_fn(crate::metrics::note_route))
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        .layer(axum::middleware::from_fn_with_state(
            LoginLimit {
                guard: state_guard,
                proxy_hops: config.proxy_hops(),
            },
            limit_logins,
        ))
        .layer(axum::middleware::from_fn_with_state(
            OriginPolicy {
                public_origin: config.public_origin.clone(),
            },
            check_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            SessionPolicy {
                idle: chrono::Duration::minutes(config.session_idle_minutes),
                absolute: chrono::Duration::hours(config.session_max_hours),
                clock,
            },
            keep_sessions,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            HeaderPolicy {
                hsts: config.is_production(),
            },
            security_headers,
        ))
        // Rendered pages and downloads go out gzipped at level 2 when the browser accepts it: a
        // street dashboard's 30 KB of HTML is ~6 KB on a phone's network (README: level 2
        // against 3). Not brotli, although
        // browsers prefer it: its encoder zeroes hundreds of KB of tables for every response,
        // a third of a warm page's CPU, for 3-4 % fewer bytes (README). The build files are
        // brotli, compressed once at release build time (`build_files`).
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(CompressionLevel::Precise(2))
                .compress_when(
                    DefaultPredicate::new()
                        .and(NotForContentType::const_new("application/wasm"))
                        // Compressed already (PDF, zipped Office files) or not worth it.
                        .and(NotForContentType::const_new("application/pdf"))
                        .and(NotForContentType::const_new("application/vnd."))
                        .and(NotForContentType::const_new("application/msword")),
                ),
        )
        .layer(axum::middleware::from_fn(crate::metrics::count_requests))
        // Paths only: a query string may hold what someone searched for.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                tracing::info_span!(
                    "request",
                    id = %crate::request_ids::of(request),
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn(
            crate::request_ids::drop_unsound_ids,
        ));
    Ok(router)
}

/// `/pkg`: the built CSS, JS and wasm, sent as the `.br` or `.gz` file the release build wrote
/// beside each (`cargo leptos build --release --precompress`) when the browser accepts it.
fn build_files(config: &Config) -> ServeDir {
    let dir = std::path::Path::new(&config.site_root).join("pkg");
    ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

/// Pages, server functions, downloads and /healthz (small request bodies only).
fn pages_and_functions(
    options: &LeptosOptions,
    state: AppState,
    routes: Vec<leptos_axum::AxumRouteListing>,
) -> Router<LeptosOptions> {
    let fn_state = state.clone();
    let page_state = state.clone();
    let health_db = state.db.clone();
    let downloads: Router<LeptosOptions> = Router::new()
        .route("/org/{id}/roster.xlsx", get(app::members::export_xlsx))
        .route(
            "/org/{id}/roster-template.xlsx",
            get(app::members::template_xlsx),
        )
        .route(
            "/org/{id}/reporting-feedback.xlsx",
            get(app::reporting::feedback_xlsx),
        )
        .route(
            "/org/{id}/dashboard.xlsx",
            get(app::dashboard::dashboard_xlsx),
        )
        .route("/org/{id}/meetings.xlsx", get(app::meetings::meetings_xlsx))
        .route("/org/{id}/dues.xlsx", get(app::dues::dues_xlsx))
        .route(
            "/org/{id}/calendar/{file}",
            get(app::activities::activity_ics),
        )
        .route(
            "/org/{id}/activities/{aid}/live",
            get(app::activities::activity_live),
        )
        .route(
            "/org/{id}/notices/{nid}/files/{fid}",
            get(app::notices::files::sent_file),
        )
        .route(
            "/org/{id}/messages/{mid}/files/{fid}",
            get(app::notices::files::received_file),
        )
        .route(
            "/org/{id}/activities/{aid}/record/photos/{pid}",
            get(app::activities::meeting::photos::photo),
        )
        .route(
            "/org/{id}/activities/{aid}/record/photos/{pid}/thumb",
            get(app::activities::meeting::photos::thumbnail),
        )
        .with_state(state);
    Router::new()
        .merge(downloads)
        .route(
            "/healthz",
            get(move || {
                let db = health_db.clone();
                async move {
                    match db.ping().await {
                        Ok(()) => (StatusCode::OK, "ok"),
                        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
                    }
                }
            }),
        )
        .route(
            "/api/{*name}",
            post(move |request: Request<Body>| {
                let state = fn_state.clone();
                async move {
                    handle_server_fns_with_context(move || provide_context(state.clone()), request)
                        .await
                        .into_response()
                }
            }),
        )
        .leptos_routes_with_context(
            options,
            routes,
            move || provide_context(page_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
}

/// A server function that returned an error answers with the error's own status (403, 404,
/// 400…): the one place it is set, so endpoints just use `?`. The body is the encoded error.
async fn server_fn_status(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let response = next.run(request).await;
    if !response
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The encoded error is small; a body past the cap is answered as it is.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return axum::response::Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    axum::response::Response::from_parts(parts, Body::from(bytes))
}

/// A notice with its attachments, up to `NOTICE_UPLOAD_LIMIT`.
fn notice_uploads(state: AppState) -> Router<LeptosOptions> {
    Router::new()
        .route(
            "/org/{id}/notices/publish",
            post(app::notices::upload::publish_upload),
        )
        .with_state(state)
}

/// A meeting's photos, up to `PHOTO_UPLOAD_LIMIT`.
fn photo_uploads(state: AppState) -> Router<LeptosOptions> {
    Router::new()
        .route(
            "/org/{id}/activities/{aid}/record/photos",
            post(app::activities::meeting::photos::add_photos_upload),
        )
        .with_state(state)
}

/// Roster file uploads, which may be up to `IMPORT_LIMIT_BYTES`.
fn roster_uploads(state: AppState) -> Router<LeptosOptions> {
    Router::new()
        .route("/org/{id}/roster/import", post(app::members::import_upload))
        .with_state(state)
}
