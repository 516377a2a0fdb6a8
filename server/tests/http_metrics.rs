//! `/metrics`: what Prometheus reads (requests by route pattern, never an id or an unknown path;
//! the pool; the rollup's lag; the jobs), and who may read it (a bearer token, or a loopback
//! peer no proxy forwarded). Every request carries an id back in its response.
mod support;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use clap::Parser;
use domain::both_engines;
use domain::tenancy::Commit;
use domain::testing::TestDb;
use server::cli::Cli;
use support::*;

const TOKEN: &str = "metrics-token-0123456789abcdef0123456789";

fn scrape_from(peer: Option<&str>, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get("/metrics").header(header::HOST, HOST);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(Body::empty()).expect("request");
    if let Some(peer) = peer {
        let addr: SocketAddr = peer.parse().expect("address");
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    request
}

async fn what_is_counted(t: TestDb) {
    let (router, w) = setup(&t).await;
    let cookie = login(&router, "secretary_a", None).await;
    let page = visit(&router, &format!("/org/{}", w.community_a.id), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    // A flood of paths nobody serves: one label, not one each.
    for i in 0..300 {
        let reply = send(&router, get(&format!("/nope-{i}"), None)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    // Server functions nobody registered: one label.
    for i in 0..50 {
        send(
            &router,
            form_post(&format!("/api/xyz-{i}"), String::new(), Some(&cookie)),
        )
        .await;
    }
    // Any token is a method to HTTP: made-up ones count as one.
    for i in 0..50 {
        let request = Request::builder()
            .method(format!("BREW{i}").as_str())
            .uri("/healthz")
            .header(header::HOST, HOST)
            .body(Body::empty())
            .expect("request");
        send(&router, request).await;
    }
    let reply = send(&router, scrape_from(Some("127.0.0.1:50000"), &[])).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.body;
    for expected in [
        "gongjian_http_requests_total{route=\"/org/{id}\",method=\"GET\",status=\"2xx\"}",
        "gongjian_http_requests_total{route=\"/api/login\",method=\"POST\"",
        "gongjian_http_requests_total{route=\"(not found)\",method=\"GET\",status=\"4xx\"}",
        "gongjian_http_request_duration_seconds_count{route=\"/org/{id}\"}",
        "gongjian_db_pool_connections{state=\"in_use\"}",
        "gongjian_db_pool_max_connections 10",
        "gongjian_rollup_pending_deltas",
        "gongjian_rollup_lag_seconds",
        "gongjian_live_pages 0",
    ] {
        assert!(body.contains(expected), "{expected} missing from:\n{body}");
    }
    // The audit log is kept by month on PostgreSQL only.
    assert_eq!(
        body.contains("gongjian_audit_log_unplaced_rows 0"),
        t.engine == domain::testing::Engine::Postgres,
        "{body}"
    );
    assert!(!body.contains("nope-"), "an unknown path became a label");
    assert!(!body.contains("BREW"), "a made-up method became a label");
    assert!(
        !body.contains("xyz-"),
        "an unknown server function became a label"
    );
    assert!(body.contains("route=\"/api/(unknown)\""), "{body}");
    assert!(body.contains("method=\"OTHER\""), "{body}");
    assert!(
        !body.contains(&w.community_a.id.to_string()),
        "an id became a label"
    );
}
both_engines!(requests_are_counted_by_route_pattern, what_is_counted);

/// Every connection held elsewhere: the database's readings wait out their time, but the pool's
/// figures (kept in memory) are still scraped — a saturated pool is when they matter.
async fn pool_shown_while_saturated(t: TestDb) {
    let (router, w) = setup(&t).await;
    let max = t.db.pool_use().max;
    let mut held = Vec::new();
    for _ in 0..max {
        held.push(w.read_as(&t.db, "secretary_a", w.community_a.id).await);
    }
    let reply = send(&router, scrape_from(Some("127.0.0.1:50000"), &[])).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains(&format!(
            "gongjian_db_pool_connections{{state=\"in_use\"}} {max}"
        )),
        "{}",
        reply.body
    );
    for tx in held {
        tx.commit().await.expect("commit");
    }
}
both_engines!(
    the_pool_is_shown_while_saturated,
    pool_shown_while_saturated
);

#[tokio::test]
async fn only_loopback_unforwarded_or_the_token_reads_metrics() {
    let Some(t) = domain::testing::fresh(domain::testing::Engine::Sqlite).await else {
        return;
    };
    let (open, _) = setup(&t).await;
    for (peer, headers, allowed) in [
        (Some("127.0.0.1:50000"), vec![], true),
        (Some("[::1]:50000"), vec![], true),
        (None, vec![], false),
        (Some("203.0.113.9:50000"), vec![], false),
        // Through a proxy on this machine: the proxy's peer is loopback, its client is not.
        (
            Some("127.0.0.1:50000"),
            vec![("x-forwarded-for", "203.0.113.9")],
            false,
        ),
    ] {
        let reply = send(&open, scrape_from(peer, &headers)).await;
        assert_eq!(
            reply.status == StatusCode::OK,
            allowed,
            "{peer:?} {headers:?}: {}",
            reply.status
        );
    }

    let cfg = Cli::parse_from(["gongjian", "--metrics-token", TOKEN]).config;
    let guarded =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    let bearer = format!("Bearer {TOKEN}");
    let wrong = format!("Bearer {}x", &TOKEN[..TOKEN.len() - 1]);
    for (peer, headers, allowed) in [
        (Some("127.0.0.1:50000"), vec![], false),
        (
            Some("127.0.0.1:50000"),
            vec![("authorization", wrong.as_str())],
            false,
        ),
        (
            Some("203.0.113.9:50000"),
            vec![("authorization", bearer.as_str())],
            true,
        ),
        (None, vec![("authorization", bearer.as_str())], true),
    ] {
        let reply = send(&guarded, scrape_from(peer, &headers)).await;
        assert_eq!(
            reply.status == StatusCode::OK,
            allowed,
            "{peer:?} {headers:?}: {}",
            reply.status
        );
    }
    let short = Cli::parse_from(["gongjian", "--metrics-token", "short"]).config;
    assert!(short.validate().is_err(), "a short token is refused");
}

#[tokio::test]
async fn every_response_names_its_request() {
    let Some(t) = domain::testing::fresh(domain::testing::Engine::Sqlite).await else {
        return;
    };
    let (router, _) = setup(&t).await;
    let id_of = |response: &http::Response<Body>| {
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let ask = |id: Option<&str>| {
        let mut builder = Request::get("/healthz").header(header::HOST, HOST);
        if let Some(id) = id {
            builder = builder.header("x-request-id", id);
        }
        builder.body(Body::empty()).expect("request")
    };
    use tower::ServiceExt;
    let made = id_of(&router.clone().oneshot(ask(None)).await.expect("reply")).expect("an id");
    assert!(uuid::Uuid::parse_str(&made).is_ok(), "{made}");
    let kept = id_of(
        &router
            .clone()
            .oneshot(ask(Some("nginx-5f2b8c0e")))
            .await
            .expect("reply"),
    );
    assert_eq!(
        kept.as_deref(),
        Some("nginx-5f2b8c0e"),
        "the proxy's id is kept"
    );
    let replaced = id_of(
        &router
            .clone()
            .oneshot(ask(Some("forged id=\"x\" level=error")))
            .await
            .expect("reply"),
    )
    .expect("an id");
    assert!(uuid::Uuid::parse_str(&replaced).is_ok(), "{replaced}");
}
