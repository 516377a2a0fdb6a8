//! What a signed-in page costs in database statements, on both engines. Each page is opened
//! once to warm the per-process caches (org nodes, principals, sessions) and then again, and
//! the second opening's statements are counted against a budget, so the cost of a page cannot
//! creep back up unseen; over budget, the test prints the statements.
mod support;

use chrono::Utc;
use domain::activities;
use domain::both_engines;
use domain::tenancy::db::StatementLog;
use domain::tenancy::Commit;
use domain::testing::{activity_tomorrow, member_a_record};
use support::*;

/// The statements one more opening of `path` runs, signed in with `cookie`.
async fn statements_of(
    router: &Router,
    log: &StatementLog,
    path: &str,
    cookie: &str,
) -> Vec<String> {
    let warm = send(router, get(path, Some(cookie))).await;
    assert_eq!(warm.status, StatusCode::OK, "{path}: {}", warm.body);
    log.take();
    let reply = send(router, get(path, Some(cookie))).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}");
    log.take()
}

async fn pages_stay_within_their_budgets(t: TestDb) {
    let (counted, log) = t.db.counting();
    let counted_db = TestDb { db: counted, ..t };
    let (router, w) = setup(&counted_db).await;
    let (a, s) = (w.community_a.id, w.street.id);
    // member_a's own record, and an activity in A with a signup of theirs.
    let tx = w.write_as(&counted_db.db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    let activity =
        activities::save_activity(&tx, None, &activity_tomorrow("主题党日", "30"), Utc::now())
            .await
            .expect("activity");
    // Three for the in-service reporters only: whether member_a is one is read once for the
    // list, not once per activity.
    for n in 1..=3 {
        let mut reporters = activity_tomorrow(&format!("报到党员服务 {n}"), "");
        reporters.audience = "in_service".into();
        activities::save_activity(&tx, None, &reporters, Utc::now())
            .await
            .expect("activity");
    }
    tx.commit().await.expect("commit");
    let tx = w.write_as(&counted_db.db, "member_a", a).await;
    activities::sign_up(&tx, activity, Utc::now())
        .await
        .expect("signed up");
    tx.commit().await.expect("commit");
    let members = member_ids(&counted_db, &w, "secretary_a", a).await;
    // login, page, most statements it may run once warm (PostgreSQL's count: each transaction
    // there also sets its tenant, one statement more than SQLite).
    let pages: Vec<(&str, String, usize)> = vec![
        // Kept until something is written in the community (`overview::community_home`).
        ("secretary_a", format!("/org/{a}"), 0),
        // Kept until something is written in the community (`members::roster`), whatever
        // the page, filter or search.
        ("secretary_a", format!("/org/{a}/members"), 0),
        (
            "secretary_a",
            format!("/org/{a}/members?q=%E7%8E%8B&page=2"),
            0,
        ),
        ("secretary_a", format!("/org/{a}/members/{}", members[0]), 9),
        // Kept until something is written in the community (`activities::organiser_page`).
        ("secretary_a", format!("/org/{a}/activities"), 0),
        ("secretary_a", format!("/org/{a}/activities/{activity}"), 6),
        // Their record and home; the workbench's counts kept per person (`workbench::member`).
        ("member_a", format!("/org/{a}"), 6),
        // The community's activities kept (`activities::member_activities`); their record,
        // their signups and whether they are an in-service reporter read.
        ("member_a", format!("/org/{a}/activities"), 4),
        // The same kept activities: their record and signups read.
        ("member_a", format!("/org/{a}/activities/{activity}"), 3),
        // The street's figures are kept until something below changes (`rollup::overview`),
        // its co-construction to-do and meetings until something is written in the street
        // (`coop::todo_of`, `coop::meetings_of`).
        ("street", format!("/org/{s}"), 0),
        ("street", format!("/org/{s}/meetings"), 0),
        ("secretary_a", format!("/org/{a}/meetings"), 0),
        ("street", format!("/org/{s}/needs"), 3),
        // Kept whole (`rollup::dashboard`): nothing is read the second time.
        ("street", format!("/org/{s}/dashboard"), 0),
    ];
    let mut over = Vec::new();
    for (login_name, path, budget) in pages {
        let cookie = login(&router, login_name, None).await;
        let ran = statements_of(&router, &log, &path, &cookie).await;
        println!("{login_name} {path}: {} statements", ran.len());
        if ran.len() > budget {
            over.push(format!(
                "{login_name} {path}: {} statements, budget {budget}:\n  {}",
                ran.len(),
                ran.join("\n  ")
            ));
        }
    }
    assert!(over.is_empty(), "over budget:\n{}", over.join("\n"));
}

both_engines!(
    signed_in_pages_run_few_statements,
    pages_stay_within_their_budgets
);
