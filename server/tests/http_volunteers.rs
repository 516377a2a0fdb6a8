//! 志愿服务队 over HTTP on both engines: every team endpoint and page as every role against
//! other tenants' ids (nothing read, nothing written), then the secretary forms a team, adds
//! a member, refusals come back as localised messages, and markup stays text.
mod support;

use chrono::Utc;
use domain::both_engines;
use domain::members;
use domain::tenancy::Commit;
use domain::testing::{member_a_record, member_input, today};
use domain::volunteers::{self, TeamDetail, TeamInput, TeamSummary};
use support::*;
use uuid::Uuid;

/// A's secretary forms 秘密服务队 led by 李淑珍; 陈晓明 is `member_a`, not on the team.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Uuid, Uuid) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let me = member_a_record(&tx, w).await;
    let leader = members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    let input = TeamInput {
        name: "秘密服务队".into(),
        service_area: "秘密服务".into(),
        leader: leader.to_string(),
    };
    let team = volunteers::save_team(&tx, None, &input, Utc::now())
        .await
        .expect("team");
    tx.commit().await.expect("commit");
    (team, leader, me)
}

async fn state(t: &TestDb, w: &World, team: Uuid) -> (Vec<TeamSummary>, TeamDetail) {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let year = chrono::Datelike::year(&domain::clock::today());
    let teams = volunteers::teams(&tx, year).await.expect("teams");
    let detail = volunteers::team(&tx, team, year).await.expect("team");
    tx.commit().await.expect("commit");
    (teams, detail)
}

fn writes(node: Uuid, team: Uuid, leader: Uuid, me: Uuid) -> Vec<(&'static str, String)> {
    vec![
        ("/api/volunteers/save", format!("node={node}&team=&name=x")),
        (
            "/api/volunteers/save",
            format!("node={node}&team={team}&name=x"),
        ),
        (
            "/api/volunteers/add",
            format!("node={node}&team={team}&member={me}"),
        ),
        (
            "/api/volunteers/remove",
            format!("node={node}&team={team}&member={leader}"),
        ),
    ]
}

async fn volunteers_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (team, leader, me) = fixture(&t, &w).await;
    let a = w.community_a.id;
    let before = state(&t, &w, team).await;
    let pages = |node: Uuid| {
        vec![
            format!("/org/{node}/volunteers"),
            format!("/org/{node}/volunteers/{team}"),
        ]
    };
    let outsiders = not_staff_of_a();
    let a_writes = writes(a, team, leader, me);
    assert_forbidden(&router, &outsiders, &a_writes, &pages(a), None).await;
    // Staff of B and C with their own node and A's ids: nothing found, nothing shown.
    for (login_name, own) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own, team, leader, me) {
            if body.contains("team=&") {
                continue; // a team of their own is theirs to form
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
            let leaked = ["秘密服务", "李淑珍"]
                .iter()
                .any(|s| reply.body.contains(s));
            assert!(!leaked, "{login_name} sees {path}");
        }
    }
    assert_eq!(state(&t, &w, team).await, before, "nothing written");

    // The secretary: a refused team comes back with its message, markup stays text.
    let secretary = login(&router, "secretary_a", None).await;
    let reply = submit(
        &router,
        "/api/volunteers/save",
        format!("node={a}&team=&name=%20"),
        &secretary,
    )
    .await;
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("/org/{a}/volunteers#new").as_str())
    );
    let page = visit(&router, &format!("/org/{a}/volunteers"), &secretary).await;
    assert!(page.body.contains("服务队名称不能为空"), "{}", page.body);
    let name = "<b>青年</b>志愿服务队";
    let reply = submit(
        &router,
        "/api/volunteers/save",
        format!("node={a}&team=&name={}", enc(name)),
        &secretary,
    )
    .await;
    let to = reply.location.expect("to");
    assert!(to.contains("saved=1"), "{to}");
    let youth: Uuid = to
        .trim_start_matches(&format!("/org/{a}/volunteers/"))
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the new team's page");
    let page = visit(&router, &format!("/org/{a}/volunteers"), &secretary).await;
    assert!(
        page.body.contains("&lt;b&gt;青年&lt;/b&gt;志愿服务队") && !page.body.contains("<b>青年")
    );
    // Finding 陈晓明 by name and adding him; adding him twice is refused with a message.
    let page = visit(
        &router,
        &format!("/org/{a}/volunteers/{youth}?who={}", enc("陈晓明")),
        &secretary,
    )
    .await;
    assert!(page
        .body
        .contains(&format!("name=\"member\" value=\"{me}\"")));
    let add = format!("node={a}&team={youth}&member={me}");
    let reply = submit(&router, "/api/volunteers/add", add.clone(), &secretary).await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let reply = submit(&router, "/api/volunteers/add", add, &secretary).await;
    assert!(!reply.location.expect("back").contains("saved=1"));
    let page = visit(&router, &format!("/org/{a}/volunteers/{youth}"), &secretary).await;
    assert!(page.body.contains("该党员已是本队队员"), "{}", page.body);
    // The member sees their team on their points page.
    let member = login(&router, "member_a", None).await;
    let page = visit(&router, &format!("/org/{a}/points"), &member).await;
    assert!(page.body.contains("我的志愿服务") && page.body.contains("&lt;b&gt;青年"));
}

both_engines!(volunteers_as_every_role, volunteers_as_every_role);
