//! Logging in over HTTP behind a reverse proxy: the client address is the one the proxy
//! appended to X-Forwarded-For (never what the client wrote), the per-address limit answers
//! 429 before anything is written (also where a contact's code is typed), and the audit log
//! names the proxy-appended address.
mod support;

use clap::Parser;
use domain::audit;
use domain::both_engines;
use domain::testing::{world, TestDb};
use server::cli::Cli;
use support::*;
use tower::ServiceExt;

async fn forged_forwarded_for(t: TestDb) {
    world(&t.db).await;
    let cfg = Cli::parse_from([
        "gongjian",
        "--trust-proxy",
        "--login-attempts-per-minute",
        "20",
    ])
    .config;
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    let mut statuses = Vec::new();
    for n in 0..25 {
        let mut request = form_post(
            "/api/login",
            format!("login=district&password={PASSWORD}"),
            None,
        );
        // The client writes any leftmost value it likes; the proxy appends what it saw.
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("10.66.{n}.1, 203.0.113.9").parse().expect("header"),
        );
        let reply = send(&router, request).await;
        statuses.push(reply.status);
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.body.contains("尝试次数过多"), "{}", reply.body);
            assert!(reply.body.contains("/login?error=rate_limited"));
        }
    }
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(limited, 5, "{statuses:?}");
    assert!(statuses[..20].iter().all(|s| *s == StatusCode::FOUND));
    let ok = audit::recent(&t.db, "login_ok", 100).await.expect("audit");
    assert_eq!(ok.len(), 20, "a refused attempt writes nothing");
    assert!(ok.iter().all(|e| e.ip.as_deref() == Some("203.0.113.9")));
    // Typing a contact's code is guessing a secret too: that address is held back there as
    // well, another is not.
    for (address, limited) in [("203.0.113.9", true), ("203.0.113.10", false)] {
        let mut request = form_post(
            "/api/account/confirm",
            "channel=email&code=000000".into(),
            None,
        );
        request
            .headers_mut()
            .insert("x-forwarded-for", address.parse().expect("header"));
        let status = send(&router, request).await.status;
        assert_eq!(status == StatusCode::TOO_MANY_REQUESTS, limited, "{status}");
    }
}
both_engines!(the_proxy_appended_address_is_limited, forged_forwarded_for);

async fn headers_on_every_response(t: TestDb) {
    let (router, w) = setup(&t).await;
    let cookie = login(&router, "secretary_a", None).await;
    let page = router
        .clone()
        .oneshot(get(
            &format!("/org/{}/members", w.community_a.id),
            Some(&cookie),
        ))
        .await
        .expect("page");
    let csp = page
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    let body = to_bytes(page.into_body(), 4 << 20).await.expect("body");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce");
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the islands' loader carries the nonce"
    );
    for (path, cookie) in [
        (
            format!("/org/{}/members", w.community_a.id),
            Some(cookie.as_str()),
        ),
        (
            format!("/org/{}/roster.xlsx", w.community_a.id),
            Some(&cookie),
        ),
        ("/login".to_owned(), None),
        ("/healthz".to_owned(), None),
    ] {
        let reply = router
            .clone()
            .oneshot(get(&path, cookie))
            .await
            .expect("reply");
        let h = reply.headers();
        let value = |name: header::HeaderName| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(value(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        assert_eq!(value(header::REFERRER_POLICY), "same-origin", "{path}");
        assert_eq!(value(header::X_FRAME_OPTIONS), "DENY", "{path}");
        assert_eq!(value(header::CACHE_CONTROL), "no-store", "{path}");
        assert!(value(header::CONTENT_SECURITY_POLICY).contains("frame-ancestors 'none'"));
        // Not in dev mode (plain HTTP on loopback).
        assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    }
    // In production browsers are told to use HTTPS only.
    let secret = "q3Jx9V0mZt7LkPw2Hs5Ne8Ra4Uc1Yb6Gd0Fi3Oj7Tl9Wv2Xe5Kz8Mn1Qp4Sr6Ay0B";
    let cfg = Cli::parse_from([
        "gongjian",
        "--mode",
        "production",
        "--session-secret",
        secret,
    ])
    .config;
    let production =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    let reply = production
        .oneshot(get("/healthz", None))
        .await
        .expect("reply");
    assert!(reply
        .headers()
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("max-age=")));
}
both_engines!(
    security_headers_on_every_response,
    headers_on_every_response
);
