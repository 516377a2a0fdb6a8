//! Proposed changes to a member's own details over HTTP on both engines: only the member
//! proposes; every other role, on A's node or its own, decides nothing and sees no list; A's
//! secretary approves.
mod support;

use domain::both_engines;
use domain::members;
use domain::tenancy::Commit;
use domain::testing::member_a_record;
use sea_orm::ConnectionTrait;
use support::*;

async fn proposals_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let propose = |node: uuid::Uuid| format!("community={node}&phone=13912345678&building=7");

    // Staff and outsiders propose nothing for themselves here.
    for login_name in not_staff_of_a()
        .into_iter()
        .filter(|l| *l != "member_a")
        .chain(["secretary_a"])
    {
        let cookie = login(&router, login_name, None).await;
        let reply = submit(&router, "/api/members/propose", propose(a), &cookie).await;
        assert!(
            refused(&reply),
            "{login_name}: {} {:?}",
            reply.status,
            reply.location
        );
    }
    let member = login(&router, "member_a", None).await;
    // A refused megabyte goes back to the form, but not into the session: what is kept to be
    // shown again is cut to the longest text a form takes.
    let flood = format!(
        "community={a}&phone=13912345678&building={}",
        "x".repeat(900_000)
    );
    let reply = submit(&router, "/api/members/propose", flood, &member).await;
    assert!(refused(&reply), "{} {:?}", reply.status, reply.location);
    let conn = sea_orm::Database::connect(&t.app_url)
        .await
        .expect("connect");
    let largest = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT CAST(MAX(LENGTH(data)) AS BIGINT) AS n FROM sessions",
        ))
        .await
        .expect("read")
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .expect("a session");
    assert!((10_000..50_000).contains(&largest), "{largest}");
    let reply = submit(&router, "/api/members/propose", propose(a), &member).await;
    assert!(
        reply.location.as_deref().unwrap_or("").contains("saved=1"),
        "{:?}",
        reply.location
    );
    let tx = w.read_as(&t.db, "secretary_a", a).await;
    let waiting = members::open_proposals(&tx).await.expect("open");
    tx.commit().await.expect("commit");
    assert_eq!(waiting.len(), 1);
    let id = waiting[0].id;

    let page = format!("/org/{a}/members/proposals");
    for login_name in not_staff_of_a() {
        let cookie = login(&router, login_name, None).await;
        assert_eq!(
            visit(&router, &page, &cookie).await.status,
            StatusCode::FORBIDDEN,
            "{login_name}"
        );
        let own = w.account(login_name).node;
        for node in [a, own] {
            let body = format!("community={node}&proposal={id}&decision=approve");
            let reply = submit(&router, "/api/members/decide", body, &cookie).await;
            assert!(refused(&reply), "{login_name} on {node}: {}", reply.status);
        }
    }
    let tx = w.read_as(&t.db, "secretary_a", a).await;
    assert_eq!(
        members::open_proposals(&tx).await.expect("open").len(),
        1,
        "still open"
    );
    tx.commit().await.expect("commit");

    let secretary = login(&router, "secretary_a", None).await;
    let list = visit(&router, &page, &secretary).await;
    assert!(list.body.contains("139****5678"), "{}", list.body);
    let reply = submit(
        &router,
        "/api/members/decide",
        format!("community={a}&proposal={id}&decision=approve"),
        &secretary,
    )
    .await;
    assert!(reply.location.as_deref().unwrap_or("").contains("saved=1"));
    let tx = w.read_as(&t.db, "secretary_a", a).await;
    assert!(members::open_proposals(&tx).await.expect("open").is_empty());
    tx.commit().await.expect("commit");
    let home = visit(&router, &format!("/org/{a}"), &member).await;
    assert!(home.body.contains("已通过"), "{}", home.body);
}
both_engines!(proposals_as_every_role, proposals_as_every_role);
