//! Live signup over HTTP on both engines: the activity page's island (with the form post that
//! works without JavaScript), its event stream (the seats and the member's own place, sent
//! again after each change), the in-place signup answered as JSON (refusals localised, nothing
//! written), other communities refused both, and the cap on one account's open streams.
mod support;

use std::time::Duration;

use axum::body::Body;
use chrono::Utc;
use domain::activities;
use domain::both_engines;
use domain::tenancy::Commit;
use domain::testing::{activity_tomorrow as tomorrow, member_a_record, member_input, today};
use futures::StreamExt;
use support::*;
use tower::ServiceExt;
use uuid::Uuid;

/// A one-seat activity in A, its seat taken by 李淑珍; member_a has a record.
async fn fixture(t: &TestDb, w: &World) -> Uuid {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    member_a_record(&tx, w).await;
    let other = domain::members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    let activity = activities::save_activity(&tx, None, &tomorrow("秘密主题党日", "1"), Utc::now())
        .await
        .expect("activity");
    activities::sign_up_for(&tx, activity, other, Utc::now())
        .await
        .expect("seated");
    tx.commit().await.expect("commit");
    activity
}

/// An open event stream.
struct Events {
    body: axum::body::BodyDataStream,
    buffer: String,
}

impl Events {
    async fn open(router: &Router, path: &str, cookie: &str) -> Result<Events, Reply> {
        let response = router
            .clone()
            .oneshot(get(path, Some(cookie)))
            .await
            .expect("response");
        if response.status() != StatusCode::OK {
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap_or_default();
            return Err(Reply {
                status,
                location: None,
                cookie: None,
                cookie_header: None,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
        let headers = response.headers();
        assert_eq!(headers[header::CONTENT_TYPE], "text/event-stream");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        Ok(Events {
            body: response.into_body().into_data_stream(),
            buffer: String::new(),
        })
    }

    /// The next event's data (keep-alive comments skipped).
    async fn next(&mut self) -> serde_json::Value {
        let wait = async {
            loop {
                if let Some((event, rest)) = self.buffer.split_once("\n\n") {
                    let (event, rest) = (event.to_owned(), rest.to_owned());
                    self.buffer = rest;
                    let data: String = event
                        .lines()
                        .filter_map(|l| l.strip_prefix("data: "))
                        .collect();
                    if !data.is_empty() {
                        return serde_json::from_str(&data).expect("json");
                    }
                    continue;
                }
                let chunk = self.body.next().await.expect("open").expect("chunk");
                self.buffer.push_str(&String::from_utf8_lossy(&chunk));
            }
        };
        // The bound only keeps a broken stream from hanging the suite.
        tokio::time::timeout(Duration::from_secs(60), wait)
            .await
            .expect("an event")
    }
}

fn json_post(path: &str, body: String, cookie: &str) -> Request<Body> {
    let mut request = form_post(path, body, Some(cookie));
    request
        .headers_mut()
        .insert(header::ACCEPT, "application/json".parse().expect("value"));
    request
}

async fn signups(t: &TestDb, w: &World, activity: Uuid) -> usize {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let list = activities::signups(&tx, activity).await.expect("signups");
    tx.commit().await.expect("commit");
    list.len()
}

async fn live_signup(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let activity = fixture(&t, &w).await;
    let member = login(&router, "member_a", None).await;
    let page = format!("/org/{a}/activities/{activity}");
    let live = format!("{page}/live");

    // The page: the seats as they stand in the island, and the form that posts without JS.
    let html = visit(&router, &page, &member).await.body;
    assert!(html.contains("signup-live"), "the island is on the page");
    assert!(html.contains("1/1 · 名额已满"), "{html}");
    assert!(html.contains("action=\"/api/activities/signup\""));

    // The stream starts with the standing, the member not signed up.
    let mut events = Events::open(&router, &live, &member)
        .await
        .expect("the member may watch");
    let first = events.next().await;
    assert_eq!(first["confirmed"], 1);
    assert_eq!(first["capacity"], 1);
    assert_eq!(first["mine"], "Out");

    // Joining in place: waitlisted, first in line, told so; the stream follows.
    let join = format!("node={a}&activity={activity}&action=join");
    let reply = send(
        &router,
        json_post("/api/activities/signup_now", join.clone(), &member),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(answer["mine"]["Waitlisted"], 1);
    assert_eq!(answer["message"], "名额已满，您已进入候补，第 1 位");
    let after = events.next().await;
    assert_eq!(after["mine"]["Waitlisted"], 1);
    assert_eq!(after["waitlisted"], 1);

    // A refusal is an answer in the member's language, and writes nothing.
    let before = signups(&t, &w, activity).await;
    let reply = send(
        &router,
        json_post("/api/activities/signup_now", join, &member),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let answer: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(answer["mine"], serde_json::Value::Null);
    assert_eq!(answer["message"], "报名已报过名");
    let odd = format!("node={a}&activity={activity}&action=<script>x</script>");
    let reply = send(
        &router,
        json_post("/api/activities/signup_now", odd, &member),
    )
    .await;
    let answer: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(answer["mine"], serde_json::Value::Null);
    assert!(!answer["message"]
        .as_str()
        .expect("text")
        .contains("<script"));
    assert_eq!(signups(&t, &w, activity).await, before, "nothing written");

    // Leaving in place.
    let leave = format!("node={a}&activity={activity}&action=leave");
    let reply = send(
        &router,
        json_post("/api/activities/signup_now", leave, &member),
    )
    .await;
    let answer: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(answer["mine"], "Out");
    assert_eq!(answer["message"], "已取消报名");
    let after = events.next().await;
    assert_eq!(
        (after["mine"].clone(), after["waitlisted"].clone()),
        ("Out".into(), 0.into())
    );

    // Other communities: neither the stream nor the signup, with their own node or A's.
    let before = signups(&t, &w, activity).await;
    for (login_name, own) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let cookie = login(&router, login_name, None).await;
        for node in [own, a] {
            let path = format!("/org/{node}/activities/{activity}/live");
            let refused = Events::open(&router, &path, &cookie)
                .await
                .err()
                .expect("refused");
            assert!(
                [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&refused.status),
                "{login_name} {path}: {}",
                refused.status
            );
            assert!(!refused.body.contains("秘密"), "{login_name} {path}");
            let join = format!("node={node}&activity={activity}&action=join");
            let reply = send(
                &router,
                json_post("/api/activities/signup_now", join, &cookie),
            )
            .await;
            assert!(
                [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&reply.status),
                "{login_name} {node}: {}",
                reply.status
            );
        }
    }
    assert_eq!(signups(&t, &w, activity).await, before, "nothing written");

    // One account holds a few streams at once; past the cap it is refused until one closes.
    let mut open = vec![events];
    while open.len() < config().live_streams_per_account {
        open.push(
            Events::open(&router, &live, &member)
                .await
                .expect("under the cap"),
        );
    }
    let refused = Events::open(&router, &live, &member)
        .await
        .err()
        .expect("over the cap");
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    open.pop();
    // The stream is dropped with its body; its place is free again.
    Events::open(&router, &live, &member)
        .await
        .expect("a place was freed");
}

both_engines!(signup_in_place_and_live_seats, live_signup);
