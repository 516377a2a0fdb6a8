//! What the benchmarks share: percentiles and how a duration is printed.
use std::time::Duration;

/// The `p` quantile (0.0–1.0) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The server's router on `db` and the session cookie of `login` signed in through the login
/// form, as a browser would hold it.
#[allow(dead_code)] // the rollup benchmark makes no requests
pub async fn signed_in(db: &domain::db::Db, login: &str) -> (axum::Router, String) {
    use clap::Parser;
    use http::{header, Request};
    use tower::ServiceExt;
    let config = server::cli::Cli::parse_from(["gongjian"]).config;
    let router = server::router::build(&config, server::router::app_state(&config, db.clone()))
        .expect("router");
    let form = format!("login={login}&password={}", domain::testing::PASSWORD);
    let request = Request::post("/api/login")
        .header(header::HOST, "bench.test")
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("login");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    (router, cookie)
}
