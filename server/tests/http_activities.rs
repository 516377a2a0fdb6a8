//! 活动 over HTTP on both engines: every activity endpoint, page and the calendar file as every
//! role against other tenants' ids (nothing read, nothing written), then a member's signup, the
//! waitlist and promotion, and refusals shown as localised messages.
mod support;

use chrono::{DateTime, Utc};
use domain::activities::{self, Activity, ActivityInput, SignupRow};
use domain::both_engines;
use domain::members;
use domain::tenancy::Commit;
use domain::testing::{activity_tomorrow as tomorrow, member_a_record, member_input, today};
use support::*;
use uuid::Uuid;

/// The form body of an activity, as the publish form posts it.
fn form(node: Uuid, activity: &str, input: &ActivityInput) -> String {
    let fields = [
        ("kind", &input.kind),
        ("title", &input.title),
        ("description", &input.description),
        ("venue", &input.venue),
        ("starts_at", &input.starts_at),
        ("ends_at", &input.ends_at),
        ("capacity", &input.capacity),
        ("signup_opens_at", &input.signup_opens_at),
        ("signup_closes_at", &input.signup_closes_at),
        ("audience", &input.audience),
        ("branch", &input.branch),
        ("points", &input.points),
        ("volunteer_hours", &input.volunteer_hours),
    ];
    let mut body = format!("node={node}&activity={activity}");
    for (name, value) in fields {
        body.push_str(&format!("&{name}={}", enc(value)));
    }
    body
}

/// A's secretary publishes a one-seat activity and signs 李淑珍 up; 陈晓明 is `member_a`.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Uuid, Uuid, Uuid) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    member_a_record(&tx, w).await;
    let other = members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    let activity = activities::save_activity(&tx, None, &tomorrow("秘密主题党日", "1"), Utc::now())
        .await
        .expect("activity");
    activities::sign_up_for(&tx, activity, other, Utc::now())
        .await
        .expect("on behalf");
    let signup = activities::signups(&tx, activity).await.expect("signups")[0].id;
    let entry = domain::points::adjust(&tx, other, "3", "秘密加分", Utc::now())
        .await
        .expect("adjusted");
    tx.commit().await.expect("commit");
    (activity, other, signup, entry)
}

/// The community's points rules, 三会一课 cadences and whether 2024 was frozen.
type Settings = (
    Vec<(domain::points::Rule, i32)>,
    Vec<(activities::ActivityKind, i32)>,
    Option<DateTime<Utc>>,
);

async fn state(
    t: &TestDb,
    w: &World,
    activity: Uuid,
    member: Uuid,
) -> (
    Vec<Activity>,
    Vec<SignupRow>,
    domain::points::MemberPoints,
    Settings,
) {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let list = activities::activities(&tx, Utc::now()).await.expect("list");
    let signups = activities::signups(&tx, activity).await.expect("signups");
    let year = chrono::Datelike::year(&domain::clock::today());
    let points = domain::points::member_points(&tx, member, year)
        .await
        .expect("points");
    let rules = domain::points::rules(&tx).await.expect("rules");
    let cadences = activities::cadences(&tx).await.expect("cadences");
    let frozen = domain::points::frozen_at(&tx, 2024).await.expect("frozen");
    tx.commit().await.expect("commit");
    (list, signups, points, (rules, cadences, frozen))
}

fn writes(
    node: Uuid,
    activity: Uuid,
    member: Uuid,
    signup: Uuid,
    entry: Uuid,
) -> Vec<(&'static str, String)> {
    vec![
        ("/api/activities/save", form(node, "", &tomorrow("x", ""))),
        (
            "/api/activities/save",
            form(node, &activity.to_string(), &tomorrow("x", "")),
        ),
        (
            "/api/activities/cancel",
            format!("node={node}&activity={activity}"),
        ),
        (
            "/api/activities/signup",
            format!("node={node}&activity={activity}&action=join"),
        ),
        (
            "/api/activities/signup",
            format!("node={node}&activity={activity}&action=leave"),
        ),
        (
            "/api/activities/signup_now",
            format!("node={node}&activity={activity}&action=join"),
        ),
        (
            "/api/activities/signup_now",
            format!("node={node}&activity={activity}&action=leave"),
        ),
        (
            "/api/activities/sign_up_for",
            format!("node={node}&activity={activity}&member={member}"),
        ),
        (
            "/api/activities/withdraw",
            format!("node={node}&activity={activity}&signup={signup}"),
        ),
        (
            "/api/activities/check_in",
            format!("node={node}&activity={activity}&code=123456"),
        ),
        (
            "/api/activities/attendance",
            format!("node={node}&activity={activity}&signup={signup}&mark=attended"),
        ),
        (
            "/api/activities/finish",
            format!("node={node}&activity={activity}"),
        ),
        (
            "/api/points/adjust",
            format!("node={node}&member={member}&points=5&reason=x"),
        ),
        (
            "/api/points/reverse",
            format!("node={node}&member={member}&entry={entry}&reason=x"),
        ),
        (
            "/api/points/rule",
            format!("node={node}&rule=attend&points=9"),
        ),
        (
            "/api/activities/cadence",
            format!("node={node}&kind=group_meeting&months=12"),
        ),
        ("/api/points/freeze", format!("node={node}&year=2024")),
    ]
}

async fn activities_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (activity, other, signup, entry) = fixture(&t, &w).await;
    let a = w.community_a.id;
    let before = state(&t, &w, activity, other).await;
    let pages = |node: Uuid| {
        vec![
            format!("/org/{node}/activities"),
            format!("/org/{node}/activities?past=1"),
            format!("/org/{node}/activities/{activity}"),
            format!("/org/{node}/calendar/{activity}.ics"),
            format!("/org/{node}/activities/{activity}/code"),
            format!("/org/{node}/activities/{activity}/live"),
            format!("/org/{node}/points"),
            format!("/org/{node}/points?member={other}"),
            format!("/org/{node}/compliance"),
        ]
    };
    let outsiders = NOT_IN_A;
    let a_writes = writes(a, activity, other, signup, entry);
    assert_forbidden(&router, &outsiders, &a_writes, &pages(a), None).await;
    // Staff of B and C with their own node and A's ids: nothing found, nothing shown.
    for (login_name, own) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own, activity, other, signup, entry) {
            let own_settings = [
                "/api/points/rule",
                "/api/activities/cadence",
                "/api/points/freeze",
            ];
            if body.contains("activity=&") || own_settings.contains(&path) {
                continue; // their own activity and their own rule are theirs to set
            }
            let reply = submit(&router, path, body.clone(), &cookie).await;
            assert!(
                refused(&reply),
                "{login_name} {path} {body}: {}",
                reply.status
            );
        }
        for path in pages(own) {
            let reply = visit(&router, &path, &cookie).await;
            let leaked = ["秘密主题党日", "秘密加分", "李淑珍"]
                .iter()
                .any(|s| reply.body.contains(s));
            assert!(!leaked, "{login_name} sees {path}");
        }
    }
    // A's member may only join or leave.
    let member = login(&router, "member_a", None).await;
    for (path, body) in writes(a, activity, other, signup, entry) {
        if path.contains("/signup") || path.ends_with("/check_in") {
            continue;
        }
        let reply = submit(&router, path, body, &member).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "member {path}");
    }
    assert_eq!(
        state(&t, &w, activity, other).await,
        before,
        "nothing written"
    );

    // The member joins the full activity: waitlisted first in line, then promoted when the
    // staff withdraw the confirmed signup.
    let join = format!("node={a}&activity={activity}&action=join");
    let reply = submit(&router, "/api/activities/signup", join.clone(), &member).await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let page = visit(&router, &format!("/org/{a}/activities/{activity}"), &member).await;
    assert!(
        page.body.contains("候补第 1 位"),
        "the place in line is shown"
    );
    let reply = submit(&router, "/api/activities/signup", join, &member).await;
    assert!(!reply.location.expect("back").contains("saved=1"));
    let page = visit(&router, &format!("/org/{a}/activities/{activity}"), &member).await;
    assert!(page.body.contains("报名已报过名"), "{}", page.body);
    let secretary = login(&router, "secretary_a", None).await;
    let reply = submit(
        &router,
        "/api/activities/withdraw",
        format!("node={a}&activity={activity}&signup={signup}"),
        &secretary,
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let page = visit(&router, &format!("/org/{a}/activities/{activity}"), &member).await;
    assert!(page.body.contains("已报名") && !page.body.contains("候补第 1 位"));
    let ics = visit(
        &router,
        &format!("/org/{a}/calendar/{activity}.ics"),
        &member,
    )
    .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.body.contains("BEGIN:VCALENDAR") && ics.body.contains("秘密主题党日"));
    // The phone reminds a day and two hours before, as the 消息 centre does.
    assert_eq!(ics.body.matches("BEGIN:VALARM").count(), 2);
    for trigger in ["-PT86400S", "-PT7200S"] {
        assert!(
            ics.body
                .contains(&format!("TRIGGER;RELATED=START:{trigger}")),
            "{trigger}"
        );
    }

    // A new activity starts with the community's points for attending (the rule's default).
    let page = visit(&router, &format!("/org/{a}/activities"), &secretary).await;
    let points_field = page
        .body
        .split("name=\"points\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .expect("points field");
    assert!(points_field.contains("value=\"2\""), "{points_field}");

    // Refused input comes back as a message; markup stays text.
    let mut bad = tomorrow("<script>alert(1)</script>党课", "");
    bad.ends_at = bad.starts_at.clone();
    let reply = submit(
        &router,
        "/api/activities/save",
        form(a, "", &bad),
        &secretary,
    )
    .await;
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("/org/{a}/activities#new").as_str())
    );
    let page = visit(&router, &format!("/org/{a}/activities"), &secretary).await;
    assert!(page.body.contains("结束时间应晚于开始时间"));
    let good = tomorrow("<script>alert(1)</script>党课", "");
    let reply = submit(
        &router,
        "/api/activities/save",
        form(a, "", &good),
        &secretary,
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let page = visit(&router, &format!("/org/{a}/activities"), &secretary).await;
    assert!(page
        .body
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;党课"));
    assert!(!page.body.contains("<script>alert(1)"));
}

both_engines!(activities_as_every_role, activities_as_every_role);

/// A paired unit's liaison over HTTP: publishes an activity for the community; cannot see or
/// change the community's own activities, sign members up, or open its other pages; an
/// unpaired community stays closed.
async fn paired_liaison(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (activity, other, signup, entry) = fixture(&t, &w).await;
    domain::testing::paired_school(&t.db, &w).await;
    let a = w.community_a.id;
    let before = state(&t, &w, activity, other).await;
    let liaison = login(&router, "liaison", None).await;
    // The community's own activity: nothing shown, nothing changed (their own new activity and
    // check-in, a member's action, are left out here).
    for (path, body) in writes(a, activity, other, signup, entry) {
        if body.contains("activity=&") || path.ends_with("/check_in") {
            continue;
        }
        let reply = submit(&router, path, body.clone(), &liaison).await;
        assert!(refused(&reply), "liaison {path} {body}: {}", reply.status);
    }
    for path in [
        format!("/org/{a}/activities/{activity}"),
        format!("/org/{a}/activities/{activity}/code"),
        format!("/org/{a}/activities/{activity}/live"),
        format!("/org/{a}/calendar/{activity}.ics"),
        format!("/org/{a}/points"),
        format!("/org/{a}/compliance"),
        format!("/org/{a}/volunteers"),
        format!("/org/{a}/members"),
    ] {
        let reply = visit(&router, &path, &liaison).await;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&reply.status),
            "liaison {path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("李淑珍") && !reply.body.contains("秘密"));
    }
    let list = visit(&router, &format!("/org/{a}/activities"), &liaison).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("秘密主题党日"));
    assert_eq!(
        state(&t, &w, activity, other).await,
        before,
        "nothing written"
    );
    // B is not paired with the school.
    let b = w.community_b.id;
    let reply = visit(&router, &format!("/org/{b}/activities"), &liaison).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = submit(
        &router,
        "/api/activities/save",
        form(b, "", &tomorrow("x", "")),
        &liaison,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Publishing for A works, and A's secretary sees it as the unit's.
    let reply = submit(
        &router,
        "/api/activities/save",
        form(
            a,
            "",
            &ActivityInput {
                kind: "study".into(),
                ..tomorrow("一中开放日：科普讲座", "30")
            },
        ),
        &liaison,
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let list = visit(&router, &format!("/org/{a}/activities"), &liaison).await;
    assert!(list.body.contains("一中开放日：科普讲座"));
    let secretary = login(&router, "secretary_a", None).await;
    let list = visit(&router, &format!("/org/{a}/activities"), &secretary).await;
    assert!(list.body.contains("一中开放日：科普讲座") && list.body.contains("秘密主题党日"));
    // The community's home page for the liaison offers its activities and nothing else.
    let home = visit(&router, &format!("/org/{a}"), &liaison).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("结对共建社区") && home.body.contains("长春市第一中学"));
    assert!(!home.body.contains("李淑珍"));
}

both_engines!(paired_liaison_runs_activities, paired_liaison);

/// The organiser's check-in screen is a read: on SQLite it answers while another request holds
/// the database's write lock (it used to begin with `BEGIN IMMEDIATE` and queue behind it).
#[tokio::test]
async fn the_check_in_screen_reads_while_a_write_holds_the_lock() {
    let t = domain::testing::fresh(domain::testing::Engine::Sqlite)
        .await
        .expect("sqlite");
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let now = Utc::now();
    let soon = ActivityInput {
        starts_at: domain::testing::local_field(now + chrono::Duration::minutes(10)),
        ends_at: domain::testing::local_field(now + chrono::Duration::minutes(70)),
        signup_closes_at: domain::testing::local_field(now + chrono::Duration::minutes(10)),
        ..tomorrow("主题党日", "")
    };
    let tx = scope.write(&t.db).await.expect("tx");
    let activity = activities::save_activity(&tx, None, &soon, now)
        .await
        .expect("activity");
    tx.commit().await.expect("commit");
    let cookie = login(&router, "secretary_a", None).await;

    // Another community's write, holding SQLite's one write lock until it commits.
    let holding = w.write_as(&t.db, "worker_b", w.community_b.id).await;
    let reply = visit(
        &router,
        &format!("/org/{a}/activities/{activity}/code"),
        &cookie,
    )
    .await;
    holding.commit().await.expect("commit");
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("checkin-code"), "{}", reply.body);
}

/// The staff's list pages its past activities: the latest on the list, a link to older ones,
/// and from there a link back.
async fn past_pages(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    let now = Utc::now();
    let held = domain::activities::PAST_PER_PAGE + 1;
    for n in 1..=held {
        let starts = now - chrono::Duration::days(n as i64);
        let input = domain::activities::ActivityInput {
            starts_at: domain::testing::local_field(starts),
            ends_at: domain::testing::local_field(starts + chrono::Duration::hours(1)),
            signup_opens_at: domain::testing::local_field(starts - chrono::Duration::days(2)),
            signup_closes_at: domain::testing::local_field(starts),
            ..domain::testing::activity_tomorrow(&format!("往期活动{n:02}"), "")
        };
        activities::save_activity(&tx, None, &input, now)
            .await
            .expect("past activity");
    }
    tx.commit().await.expect("commit");
    let cookie = login(&router, "secretary_a", None).await;
    let first = send(&router, get(&format!("/org/{a}/activities"), Some(&cookie))).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("往期活动01"));
    assert!(!first.body.contains(&format!("往期活动{held:02}")));
    assert!(first.body.contains(&format!("/org/{a}/activities?past=1")));
    let older = send(
        &router,
        get(&format!("/org/{a}/activities?past=1"), Some(&cookie)),
    )
    .await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains(&format!("往期活动{held:02}")));
    assert!(!older.body.contains("往期活动01"));
    assert!(older.body.contains("较近的活动"));
    assert!(!older.body.contains("?past=2"));
}
both_engines!(staff_list_pages_its_past, past_pages);
