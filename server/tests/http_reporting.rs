//! 双报到 and moving members over HTTP, on both engines: every new endpoint as every role
//! against other tenants' ids (nothing read, nothing written), then the real flow.
mod support;

use chrono::Datelike;
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::reporting::{self, PostInput};
use domain::tenancy::Commit;
use domain::testing::{member_input, today};
use support::*;
use tower::ServiceExt;
use uuid::Uuid;

struct Fixture {
    post: Uuid,
    other_post: Uuid,
    /// An in-service member of A without an account, and one linked to `member_a`.
    colleague: Uuid,
    me: Uuid,
    unit: Uuid,
}

async fn fixture(t: &TestDb, w: &World) -> Fixture {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let post_input = |name: &str| PostInput {
        name: name.into(),
        description: "每月一次".into(),
        active: true,
    };
    let post = reporting::save_post(&tx, None, &post_input("政策宣讲"))
        .await
        .expect("post");
    let other_post = reporting::save_post(&tx, None, &post_input("环境整治"))
        .await
        .expect("post");
    let in_service = |name: &str, employer: &str| MemberInput {
        category: "in_service".into(),
        employer: employer.into(),
        ..member_input(name)
    };
    let colleague = members::create(&tx, &in_service("诸葛文华", "宽城区税务局"), None, today())
        .await
        .expect("member");
    let me = members::create(
        &tx,
        &in_service("上官明月", "长春市第一中学"),
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member");
    let unit = placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("unit");
    tx.commit().await.expect("commit");
    Fixture {
        post,
        other_post,
        colleague,
        me,
        unit,
    }
}

/// What A's secretary sees of A: reports, the colleague's unit, and feedback exports audited.
async fn a_state(t: &TestDb, w: &World, f: &Fixture) -> (usize, Option<Uuid>, usize) {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let reports = reporting::reports(&tx).await.expect("reports").len();
    let unit = members::get(&tx, f.colleague)
        .await
        .expect("get")
        .member
        .unit_id;
    let posts = reporting::posts(&tx).await.expect("posts").len();
    tx.commit().await.expect("commit");
    (reports, unit, posts)
}

async fn reporting_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let f = fixture(&t, &w).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let before = a_state(&t, &w, &f).await;
    let writes = |community: Uuid| {
        vec![
            (
                "/api/reporting/post",
                format!("community={community}&post={}&name=x&description=", f.post),
            ),
            (
                "/api/reporting/report",
                format!(
                    "community={community}&member={}&posts[0]={}",
                    f.colleague, f.post
                ),
            ),
            (
                "/api/reporting/decide",
                format!("community={community}&member={}&decision=confirm", f.me),
            ),
            (
                "/api/members/move",
                format!(
                    "community={community}&unit={}&members[0]={}&back=",
                    f.unit, f.colleague
                ),
            ),
        ]
    };
    let reads = [
        format!("/org/{a}/members/reporting"),
        format!("/org/{a}/members/reporting/feedback?year=2026"),
        format!("/org/{a}/reporting-feedback.xlsx?year=2026"),
    ];
    let outsiders = not_staff_of_a();
    assert_forbidden(&router, &outsiders, &writes(a), &reads, Some("诸葛文华")).await;
    // Staff of B and C with their own community id but A's ids: not found there.
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own) {
            let reply = submit(&router, path, body, &cookie).await;
            let refused = [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&reply.status)
                || (reply.status == StatusCode::FOUND
                    && !reply.location.as_deref().unwrap_or("").contains("saved=1")
                    && !reply.location.as_deref().unwrap_or("").contains("moved="));
            assert!(
                refused,
                "{login_name} {path} with A's ids: {}",
                reply.status
            );
        }
    }
    assert_eq!(a_state(&t, &w, &f).await, before, "nothing written in A");
    assert_eq!(before.0, 0);

    // The member reports for themself (sparse indices: only the second box ticked).
    let cookie = login(&router, "member_a", None).await;
    let own = format!("community={a}&member=&posts[1]={}", f.other_post);
    let reply = submit(&router, "/api/reporting/report", own, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}?saved=1#reporting")));
    let home = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert!(home.body.contains("待确认") && home.body.contains("环境整治"));
    // Nothing ticked: a clear message on the home page, nothing changed.
    let none = format!("community={a}&member=");
    let reply = submit(&router, "/api/reporting/report", none, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}#reporting")));
    let home = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert!(home.body.contains("服务岗位不能为空"), "{}", home.body);

    // The secretary: a decline needs a reason; then confirms; the feedback and its download.
    let cookie = login(&router, "secretary_a", None).await;
    let page = visit(&router, &reads[0], &cookie).await;
    assert!(page.body.contains("上官明月") && page.body.contains("待确认"));
    let decline = format!("community={a}&member={}&decision=decline&reason=", f.me);
    let reply = submit(&router, "/api/reporting/decide", decline, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/reporting#reports"))
    );
    let page = visit(&router, &reads[0], &cookie).await;
    assert!(page.body.contains("退回原因不能为空"));
    let confirm = format!("community={a}&member={}&decision=confirm", f.me);
    let reply = submit(&router, "/api/reporting/decide", confirm, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/reporting?saved=1#reports"))
    );
    let year = today().year();
    let sheet = visit(
        &router,
        &format!("/org/{a}/members/reporting/feedback?year={year}"),
        &cookie,
    )
    .await;
    assert!(sheet.body.contains("长春市第一中学") && sheet.body.contains("上官明月"));
    let path = format!("/org/{a}/reporting-feedback.xlsx?year={year}");
    let response = router
        .clone()
        .oneshot(get(&path, Some(&cookie)))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    use calamine::Reader;
    let sheet = book
        .worksheet_range("长春市第一中学")
        .expect("the unit's sheet");
    let names: Vec<String> = sheet.rows().map(|r| r[1].to_string()).collect();
    assert!(names.contains(&"上官明月".to_owned()), "{names:?}");
    // On the colleague's page the secretary reports on their behalf: confirmed at once.
    let body = format!("community={a}&member={}&posts[0]={}", f.colleague, f.post);
    let reply = submit(&router, "/api/reporting/report", body, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!(
            "/org/{a}/members/{}?saved=1#reporting",
            f.colleague
        ))
    );
    assert_eq!(a_state(&t, &w, &f).await.0, 2);
}
both_engines!(dual_reporting_as_every_role, reporting_as_every_role);

async fn moving_over_http(t: TestDb) {
    let (router, w) = setup(&t).await;
    let f = fixture(&t, &w).await;
    let a = w.community_a.id;
    let cookie = login(&router, "secretary_a", None).await;
    let roster = visit(&router, &format!("/org/{a}/members"), &cookie).await;
    assert!(
        roster.body.contains("form=\"move\""),
        "keepers get the tick boxes"
    );
    let back = format!("/org/{a}/members?category=in_service");
    let body = format!(
        "community={a}&unit={}&members[0]={}&members[1]={}&back={}",
        f.unit,
        f.colleague,
        f.me,
        back.replace('/', "%2F")
            .replace('?', "%3F")
            .replace('=', "%3D")
    );
    let reply = submit(&router, "/api/members/move", body, &cookie).await;
    assert_eq!(reply.location, Some(format!("{back}&moved=2")));
    assert_eq!(a_state(&t, &w, &f).await.1, Some(f.unit));
    // Nothing ticked: the reason on the roster; a foreign "back" is ignored.
    let body = format!("community={a}&unit=&back=https%3A%2F%2Fevil.example%2F");
    let reply = submit(&router, "/api/members/move", body, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/members")));
    let roster = visit(&router, &format!("/org/{a}/members"), &cookie).await;
    assert!(roster.body.contains("党员未勾选"));
    // A member does not get the roster at all.
    let member = login(&router, "member_a", None).await;
    let reply = visit(&router, &format!("/org/{a}/members"), &member).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}
both_engines!(several_members_move_over_http, moving_over_http);
