//! Signup benchmark (not a test): 200 concurrent clients post signups (代报名, the same path as
//! a member's own signup plus its audit line) through the real router for 20 activities of 50
//! seats each — 4,000 signups, most of them onto the waitlist — and a bare axum handler takes
//! the same load in the same run. Prints signups per second and p50/p99 latency.
//! Run with `scripts/bench-signups` (SQLite, and PostgreSQL when GONGJIAN_TEST_PG is set).
mod common;

use domain::tenancy::Commit;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use common::{ms, percentile};
use domain::activities::{self, ActivityInput};
use domain::members;
use domain::testing::{fresh, member_input, today, world, Engine};
use http::{header, Request, StatusCode};
use tower::ServiceExt;
use uuid::Uuid;

const CLIENTS: usize = 200;
const ACTIVITIES: usize = 20;

fn at(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&domain::clock::CHINA)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Runs `CLIENTS` tasks; task `c` sends the requests `make(c, i)` for `i` in 0..`per_client`,
/// one after another. Returns requests per second and the sorted latencies.
async fn load(
    router: &Router,
    per_client: usize,
    make: Arc<dyn Fn(usize, usize) -> Request<Body> + Send + Sync>,
    expect: StatusCode,
) -> (f64, Vec<Duration>) {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CLIENTS);
    for c in 0..CLIENTS {
        let (router, make) = (router.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let request = make(c, i);
                let sent = Instant::now();
                let response = router.clone().oneshot(request).await.expect("response");
                assert_eq!(response.status(), expect);
                let _ = to_bytes(response.into_body(), 1 << 20).await.expect("body");
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::with_capacity(CLIENTS * per_client);
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    let rate = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort();
    (rate, all)
}

async fn run(engine: Engine) {
    let Some(t) = fresh(engine).await else {
        println!("{engine:?}: skipped (no PostgreSQL configured)");
        return;
    };
    let w = world(&t.db).await;
    let community = w.community_a.id;
    let secretary = w.principal(&t.db, "secretary_a").await;
    let scope = secretary
        .tenant_scope(&t.db, community)
        .await
        .expect("scope");
    let tx = scope.write(&t.db).await.expect("tx");
    let mut people = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        people.push(
            members::create(&tx, &member_input(&format!("党员{i:03}")), None, today())
                .await
                .expect("member"),
        );
    }
    let now = Utc::now();
    let mut events: Vec<Uuid> = Vec::with_capacity(ACTIVITIES);
    for n in 0..ACTIVITIES {
        let starts = now + chrono::Duration::days(1 + n as i64);
        let input = ActivityInput {
            kind: "volunteer".into(),
            title: format!("志愿服务第{n}场"),
            venue: "社区广场".into(),
            starts_at: at(starts),
            ends_at: at(starts + chrono::Duration::hours(2)),
            capacity: "50".into(),
            signup_opens_at: at(now - chrono::Duration::hours(1)),
            signup_closes_at: at(starts),
            audience: "all".into(),
            points: "2".into(),
            ..Default::default()
        };
        events.push(
            activities::save_activity(&tx, None, &input, now)
                .await
                .expect("activity"),
        );
    }
    tx.commit().await.expect("commit");

    let (router, cookie) = common::signed_in(&t.db, "secretary_a").await;

    let (people, events) = (Arc::new(people), Arc::new(events));
    let landed = events.clone();
    let make = Arc::new(move |c: usize, i: usize| {
        Request::post("/api/activities/sign_up_for")
            .header(header::HOST, "bench.test")
            .header(header::ORIGIN, "http://bench.test")
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie.clone())
            .body(Body::from(format!(
                "node={community}&activity={}&member={}",
                events[i], people[c]
            )))
            .expect("request")
    });
    let (rate, times) = load(&router, ACTIVITIES, make, StatusCode::FOUND).await;

    // Every signup landed: 50 seats each, the rest in line.
    let tx = scope.read(&t.db).await.expect("tx");
    for activity in landed.iter() {
        let seen = activities::activity(&tx, *activity, Utc::now())
            .await
            .expect("activity");
        assert_eq!((seen.confirmed, seen.waitlisted), (50, CLIENTS as u32 - 50));
    }
    tx.commit().await.expect("commit");

    let bare = Router::new()
        .route("/bare", post(|| async { "ok" }))
        .route("/get", get(|| async { "ok" }));
    let bare_make =
        Arc::new(|_: usize, _: usize| Request::post("/bare").body(Body::empty()).expect("request"));
    let (bare_rate, bare_times) = load(&bare, ACTIVITIES, bare_make, StatusCode::OK).await;
    println!(
        "{engine:?}: {} signups by {CLIENTS} concurrent clients: {rate:.0} signups/s, p50 {}, p99 {}",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    println!(
        "{engine:?}: bare axum handler, same load, same run: {bare_rate:.0} requests/s, p50 {}, p99 {}",
        ms(percentile(&bare_times, 0.5)),
        ms(percentile(&bare_times, 0.99))
    );
}

#[tokio::main]
async fn main() {
    run(Engine::Sqlite).await;
    run(Engine::Postgres).await;
}
