//! How long a sign-in lasts, with a controlled clock: an active user is kept signed in past the
//! idle window (the session is touched once half of it has passed, not on every request), and
//! every sign-in ends after the absolute lifetime however active.
mod support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{Duration, Utc};
use clap::Parser;
use domain::both_engines;
use domain::testing::TestDb;
use server::cli::Cli;
use support::*;

async fn lifetimes(t: TestDb) {
    let w = domain::testing::world(&t.db).await;
    let seconds = Arc::new(AtomicI64::new(0));
    let clock: server::session_policy::Clock = {
        let seconds = seconds.clone();
        Arc::new(move || Utc::now() + Duration::seconds(seconds.load(Ordering::SeqCst)))
    };
    let cfg = Cli::parse_from([
        "gongjian",
        "--session-idle-minutes",
        "2",
        "--session-max-hours",
        "12",
    ])
    .config;
    let router = server::router::build_with_clock(
        &cfg,
        server::router::app_state(&cfg, t.db.clone()),
        clock,
    )
    .expect("router");
    let page = format!("/org/{}", w.community_a.id);
    let at = |s: i64| seconds.store(s, Ordering::SeqCst);
    let cookie = login(&router, "secretary_a", None).await;

    // Within half the idle window: served, and nothing is written.
    at(30);
    let reply = visit(&router, &page, &cookie).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.cookie_header, None, "no write on every request");

    // An open page's live stream (here refused: no such activity) is not the person being
    // active: it does not touch the session.
    at(70);
    let stream = format!(
        "/org/{}/activities/{}/live",
        w.community_a.id,
        uuid::Uuid::now_v7()
    );
    let reply = visit(&router, &stream, &cookie).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.cookie_header, None, "not touched by a live stream");

    // Active for ten minutes (five idle windows), a request every 70 s: each one past half
    // the window touches the session, so its expiry keeps moving.
    for n in 1..=9 {
        at(70 * n);
        let reply = visit(&router, &page, &cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "after {} s", 70 * n);
        let set = reply.cookie_header.expect("touched");
        assert!(set.contains("Max-Age=120"), "{set}");
    }

    // Twelve hours after signing in, the sign-in ends however active.
    at(12 * 3600 - 60);
    assert_eq!(visit(&router, &page, &cookie).await.status, StatusCode::OK);
    at(12 * 3600 + 1);
    let reply = visit(&router, &page, &cookie).await;
    assert_eq!(reply.location.as_deref().map(without_next), Some("/login"));
    let again = visit(&router, &page, &cookie).await;
    assert_eq!(
        again.location.as_deref().map(without_next),
        Some("/login"),
        "the session is gone"
    );

    // A new sign-in starts a new lifetime.
    let fresh = login(&router, "secretary_a", Some(&cookie)).await;
    at(12 * 3600 + 70);
    assert_eq!(visit(&router, &page, &fresh).await.status, StatusCode::OK);
}
both_engines!(
    sessions_last_while_active_and_end_at_twelve_hours,
    lifetimes
);
